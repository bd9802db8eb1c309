// Per-user limit on rejoin attempts (joins that present a token), counted in ticks.
// Being limited never touches the seat: its deadline is neither shortened nor extended.

/** Ticks of recent attempts per userId. Plain JSON so it survives the server's state copies. */
export type AttemptLog = Record<string, number[]>;

/**
 * Records an attempt at `tick` and says whether it is allowed: at most `limit` attempts in any
 * `windowTicks`-long window. Refused attempts are not recorded, so a client retrying in a tight
 * loop is let in again as soon as its window clears. Stale entries are pruned as it goes.
 */
export function allowAttempt(log: AttemptLog, userId: string, tick: number, limit: number, windowTicks: number): boolean {
  const recent = (log[userId] ?? []).filter((t) => t > tick - windowTicks);
  if (recent.length >= limit) {
    log[userId] = recent;
    return false;
  }
  recent.push(tick);
  log[userId] = recent;
  return true;
}

/** Drops users with no attempt inside the window, so the log stays bounded by active users. */
export function pruneAttempts(log: AttemptLog, tick: number, windowTicks: number): void {
  for (const userId of Object.keys(log)) {
    if (!log[userId].some((t) => t > tick - windowTicks)) delete log[userId];
  }
}
