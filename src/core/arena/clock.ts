// Time-driven rules, run at the start and end of every callback ("settle") and once per tick:
// grace expiry, lapsed claims, the round clock, empty matches, and the label. Freeing a seat and
// ending the match are lifecycle.ts's.

import { EndReason, SeatStatus } from '../../protocol.js';
import type { Effects } from './effects.js';
import { NEVER } from '../game.js';
import { inGrace, secondsToTicks } from './grace.js';
import { pruneAttempts } from './rate-limit.js';
import { broadcastEvents } from './broadcast.js';
import { endMatch, releaseSeat } from './lifecycle.js';
import { anyoneHolds, publishLabel, type ArenaDeps, type ArenaState } from './state.js';

const NONE: readonly number[] = [];

/**
 * Whether anything time-driven is due at `tick`. The one boundary: every callback ends by
 * settling and scheduling `dueTick`, so before it a tick with no input changes nothing, and one
 * with input needs no settling before the input is read.
 */
export function isDue(state: Pick<ArenaState, 'dueTick'>, tick: number): boolean {
  return tick >= state.dueTick;
}

/**
 * Brings the state up to date with `tick`: lapsed claims are dropped, seats whose grace ran out
 * are freed (exactly once: a freed seat is no longer reserved), and the label follows.
 */
export function settle(state: ArenaState, deps: ArenaDeps, fx: Effects, tick: number, schedule = true): void {
  if (state.ended !== null || state.stopping !== null) return;
  // Someone held a seat up to now: an empty-match timer starts no earlier than this tick, even
  // when the loop slept through the ticks before it.
  if (anyoneHolds(state)) state.emptySinceTick = Math.max(state.emptySinceTick, tick);
  for (let i = 0; i < state.seats.length; i++) {
    const s = state.seats[i];
    if (s.claim !== null && tick >= s.claim.tick + state.claimTicks) s.claim = null;
    // A live claim holds the seat: its rejoin attempt was in time, the join is on its way.
    if (s.status === SeatStatus.RESERVED && s.claim === null && !inGrace(s.deadline, tick)) releaseSeat(state, deps, fx, s, 'expired', tick);
  }
  publishLabel(state, fx);
  // The clock schedules after its own work (tickClock): no need to do it twice.
  if (schedule) state.dueTick = dueFrom(state, deps, tick);
}

function hasAny(o: object): boolean {
  // Own keys only: a for-in would walk the prototype's too, on every scheduled tick.
  return Object.keys(o).length > 0;
}

/** Smallest multiple of `every` that is at least `from` and above 0. */
function nextMultiple(from: number, every: number): number {
  return Math.max(every, Math.ceil(from / every) * every);
}

/**
 * The first tick, from `from` on, at which tickClock has something to do with no input: the
 * earliest of a claim lapsing, a grace window ending, the round ending, an empty match's end, a
 * periodic checkpoint, a rate-limit prune, and the game's own next tick.
 */
export function dueFrom(state: ArenaState, deps: ArenaDeps, from: number): number {
  if (state.stopping !== null) return NEVER;
  if (state.ended !== null) return from;
  // Runs after every tick with input: one pass over the seats, comparisons rather than calls.
  let due = state.roundEndTick;
  let held = false;
  for (let i = 0; i < state.seats.length; i++) {
    const s = state.seats[i];
    if (s.claim !== null) {
      held = true;
      const lapse = s.claim.tick + state.claimTicks;
      if (lapse < due) due = lapse;
    } else if (s.status !== SeatStatus.FREE) {
      held = true;
      if (s.status === SeatStatus.RESERVED && s.deadline !== null && s.deadline < due) due = s.deadline;
    }
  }
  if (!held) {
    const empty = state.everSeated ? from : state.emptySinceTick + secondsToTicks(state.mode.emptySec, state.mode.tickRate);
    if (empty < due) due = empty;
  }
  if (state.checkpointTicks > 0 && held) {
    const checkpoint = nextMultiple(from, state.checkpointTicks);
    if (checkpoint < due) due = checkpoint;
  }
  if (hasAny(state.attempts)) {
    const prune = nextMultiple(from, state.mode.tickRate);
    if (prune < due) due = prune;
  }
  const game = deps.game.nextTick === undefined ? from : deps.game.nextTick(state.game, from);
  if (game < due) due = game;
  return due > from ? due : from;
}

/**
 * Freezes the match for a graceful server shutdown, once its checkpoint is written: from here on
 * the clock stands still, no seat changes and nothing is applied, so the checkpoint remains the
 * whole truth for the match restored after the restart. Nobody may take a seat meanwhile.
 */
export function freezeForShutdown(state: ArenaState, _deps: ArenaDeps, fx: Effects, tick: number): void {
  if (state.ended !== null || state.stopping !== null) return;
  state.stopping = tick;
  publishLabel(state, fx);
  fx.log('info', 'match frozen for shutdown', { tick });
}

/** One match tick, after its messages: game clock, round end, empty-match end. */
export function tickClock(state: ArenaState, deps: ArenaDeps, fx: Effects, tick: number): void {
  runClock(state, deps, fx, tick);
  // This tick is done: the next one due comes after it.
  state.dueTick = dueFrom(state, deps, tick + 1);
}

function runClock(state: ArenaState, deps: ArenaDeps, fx: Effects, tick: number): void {
  // Before dueTick settling has nothing to do: no claim, grace window or empty timer runs out,
  // and every change published its own label. A tick with input but nothing due skips it.
  if (isDue(state, tick)) settle(state, deps, fx, tick, false);
  if (state.ended !== null || state.stopping !== null) return;
  const step = deps.game.tick(state.game, tick);
  broadcastEvents(state, fx, step.events, tick);
  const release = step.release ?? NONE;
  for (let i = 0; i < release.length; i++) {
    const s = state.seats[release[i]];
    if (s !== undefined && s.status === SeatStatus.RESERVED) releaseSeat(state, deps, fx, s, 'released', tick);
  }
  if (step.over === true || tick >= state.roundEndTick) {
    endMatch(state, deps, fx, EndReason.ROUND_OVER, tick);
    return;
  }
  const held = anyoneHolds(state);
  if (held) {
    state.emptySinceTick = tick + 1;
  } else {
    // A match whose players all left or expired is over at once; a fresh one waits for players.
    if (state.everSeated) endMatch(state, deps, fx, EndReason.ABANDONED, tick);
    else if (tick - state.emptySinceTick >= secondsToTicks(state.mode.emptySec, state.mode.tickRate)) endMatch(state, deps, fx, EndReason.EMPTY, tick);
    if (state.ended !== null) return;
  }
  // Only a match someone holds a seat in has anything to restore: an open match nobody joined
  // (or an ended one) writes nothing.
  if (state.checkpointTicks > 0 && tick > 0 && tick % state.checkpointTicks === 0 && held) fx.push({ type: 'checkpoint' });
  if (tick % state.mode.tickRate === 0) pruneAttempts(state.attempts, tick, secondsToTicks(state.mode.rejoinWindowSec, state.mode.tickRate));
}
