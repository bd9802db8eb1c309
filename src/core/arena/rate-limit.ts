// Sliding-window rate limits, on any clock the caller passes in (match ticks, milliseconds), and
// the per-user limit on rejoin attempts (joins that present a token), counted in ticks. Being
// limited never touches the seat: its deadline is neither shortened nor extended.

/** One event judged against a sliding-window limit. */
export interface WindowCheck {
  allowed: boolean;
  /** The events still inside the window, oldest first; the new one included when it is allowed. */
  recent: number[];
  /** When refused, how long from `now` until one more event is allowed; 0 when allowed. */
  wait: number;
}

/**
 * Judges an event at `now` given the times of earlier allowed events: at most `limit` events in
 * any `window`-long span, so it is allowed while fewer than `limit` of them are later than
 * `now - window`. Times that have aged out are dropped from `recent`. Refused events are not
 * recorded, so a client retrying in a tight loop is let in again as soon as its window clears.
 */
export function admitInWindow(times: readonly number[], now: number, limit: number, window: number): WindowCheck {
  const recent = times.filter((t) => t > now - window).sort((a, b) => a - b);
  if (recent.length >= limit) return { allowed: false, recent, wait: recent[recent.length - limit] + window - now };
  recent.push(now);
  return { allowed: true, recent, wait: 0 };
}

/** Ticks of recent attempts per userId. Plain JSON so it survives the server's state copies. */
export type AttemptLog = Record<string, number[]>;

/**
 * Records an attempt at `tick` and says whether it is allowed: at most `limit` attempts in any
 * `windowTicks`-long window (see admitInWindow). Stale entries are pruned as it goes.
 */
export function allowAttempt(log: AttemptLog, userId: string, tick: number, limit: number, windowTicks: number): boolean {
  const check = admitInWindow(log[userId] ?? [], tick, limit, windowTicks);
  log[userId] = check.recent;
  return check.allowed;
}

/** Drops users with no attempt inside the window, so the log stays bounded by active users. */
export function pruneAttempts(log: AttemptLog, tick: number, windowTicks: number): void {
  for (const userId of Object.keys(log)) {
    if (!log[userId].some((t) => t > tick - windowTicks)) delete log[userId];
  }
}
