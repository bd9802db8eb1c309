// Reconnect delays: exponential backoff with full jitter, never scheduling an attempt past the
// seat's deadline. Randomness and time come in as arguments so the schedule can be tested.

export interface BackoffOptions {
  /** Cap of the first delay, ms. */
  baseMs: number;
  /** Largest cap, ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 5000 };

/** The cap of attempt `attempt` (0 = the first retry): min(max, base × 2^attempt). */
export function backoffCap(attempt: number, opts: BackoffOptions): number {
  return Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
}

/**
 * Delay before attempt `attempt`: uniform in [0, cap), the "full jitter" of the AWS architecture
 * blog, which spreads a crowd of clients that lost the same server instead of making them retry
 * in step. `random` returns a number in [0, 1).
 */
export function jitteredDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
  return Math.floor(random() * backoffCap(attempt, opts));
}

/**
 * The wait before attempt `attempt`, or null when none fits: an attempt is only worth making if
 * it starts more than `minLeadMs` before `deadlineMs` (null: no deadline). The jittered delay is
 * cut short so that the last attempt still starts in time.
 */
export function nextDelay(attempt: number, nowMs: number, deadlineMs: number | null, opts: BackoffOptions, random: () => number, minLeadMs = 100): number | null {
  const delay = jitteredDelay(attempt, opts, random);
  if (deadlineMs === null) return delay;
  const latest = deadlineMs - minLeadMs - nowMs;
  // No room left: stop. (A delay cut short to `latest` is the last attempt: the next call finds
  // no room, so attempts that fail at once never pile up at the deadline.)
  if (latest <= 0) return null;
  return Math.min(delay, latest);
}

/**
 * Local estimate of the seat's deadline: when the drop was noticed plus the grace window of the
 * last SNAPSHOT (`graceTicks / tickRate` seconds). The server notices a drop later than the
 * client, never earlier, so this errs on the early side. Null for a manual grace window.
 */
export function localDeadline(noticedAtMs: number, graceTicks: number | null, tickRate: number): number | null {
  if (graceTicks === null || !(tickRate > 0)) return null;
  return noticedAtMs + (graceTicks / tickRate) * 1000;
}

/**
 * When the client stops retrying: the local deadline, or for a manual grace window (no deadline)
 * `manualGiveUpMs` after the drop, so that no client retries forever.
 */
export function giveUpAt(noticedAtMs: number, graceTicks: number | null, tickRate: number, manualGiveUpMs: number): number {
  return localDeadline(noticedAtMs, graceTicks, tickRate) ?? noticedAtMs + manualGiveUpMs;
}
