// Presences leaving: a drop reserves the seat, a consented leave frees it, and the leave of a
// session that no longer holds its seat (taken over, or already quit) changes nothing.

import { SeatReason, SeatStatus } from '../../protocol.js';
import type { Effects, PresenceRef } from './effects.js';
import { deadlineFor } from './grace.js';
import { broadcastEvents, broadcastSeat } from './broadcast.js';
import { settle } from './clock.js';
import { releaseSeat } from './lifecycle.js';
import { seatOfSession, type ArenaDeps, type ArenaState } from './state.js';

export interface Leaving extends PresenceRef {
  /** The player chose to leave (not a drop): the seat frees at once. */
  consented: boolean;
}

export function leave(state: ArenaState, deps: ArenaDeps, fx: Effects, p: Leaving, tick: number): void {
  // Frozen for shutdown: the checkpoint already holds every seat; a drop now is the restart's.
  if (state.stopping !== null) return;
  settle(state, deps, fx, tick);
  unseat(state, deps, fx, p, tick);
  settle(state, deps, fx, tick);
}

function unseat(state: ArenaState, deps: ArenaDeps, fx: Effects, p: Leaving, tick: number): void {
  const s = seatOfSession(state, p.sessionId);
  if (s === null || s.status !== SeatStatus.CONNECTED) {
    fx.count('rejoin_stale_leaves', { mode: state.mode.name });
    return;
  }
  // A kick is no consent either, but the match kicks only sessions that no longer hold a seat,
  // so it never reaches this point.
  if (p.consented) {
    releaseSeat(state, deps, fx, s, 'left', tick);
    return;
  }
  s.status = SeatStatus.RESERVED;
  s.presence = null;
  s.dropTick = tick;
  s.deadline = deadlineFor(tick, state.graceTicks);
  // The consumed token stays usable only if this session never spoke (see SeatRecord).
  if (s.confirmed) s.prevTokenHash = null;
  fx.count('rejoin_drops', { mode: state.mode.name });
  fx.count('rejoin_reservations_started', { mode: state.mode.name });
  fx.log('info', 'seat reserved after a drop', { userId: p.userId, sessionId: p.sessionId, seat: s.seat });
  broadcastSeat(state, fx, s, p.userId, SeatReason.DROPPED, tick);
  broadcastEvents(state, fx, deps.game.seatDropped?.(state.game, s.seat, s.deadline, tick) ?? [], tick);
}
