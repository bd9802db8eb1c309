// Grace arithmetic, in match ticks only: no wall clock enters the core.
//
// A seat dropped at tick `dropTick` stays reserved until `deadline = dropTick + graceTicks`.
// One predicate, inGrace, decides both whether a rejoin is in time and whether the seat has
// expired, so the two can never disagree about the boundary tick.

/** Grace length in ticks: ceil(graceSec × tickRate); null for manual grace. */
export function graceTicks(graceSec: number | 'manual', tickRate: number): number | null {
  if (graceSec === 'manual') return null;
  // Round before ceil so that 0.3 s × 10 ticks (2.9999999999999996) is 3 ticks, not 4.
  return Math.max(1, Math.ceil(Number((graceSec * tickRate).toFixed(6))));
}

/** Converts a duration in seconds to whole ticks (at least one). */
export function secondsToTicks(seconds: number, tickRate: number): number {
  return Math.max(1, Math.ceil(Number((seconds * tickRate).toFixed(6))));
}

/** First tick at which the seat is lost; null when the grace window is manual. */
export function deadlineFor(dropTick: number, ticks: number | null): number | null {
  return ticks === null ? null : dropTick + ticks;
}

/** The one boundary rule: at tick t a reserved seat is still held iff t < deadline. */
export function inGrace(deadline: number | null, tick: number): boolean {
  return deadline === null || tick < deadline;
}

/** Ticks left before the seat is lost (0 once it is); null for manual grace. */
export function ticksLeft(deadline: number | null, tick: number): number | null {
  return deadline === null ? null : Math.max(0, deadline - tick);
}
