// What an operator may do to a running match: look at its seats, free a reserved seat, end it.
// Reached only through server-to-server RPCs (no user session), never from a client.

import { EndReason, SeatStatus, type AdminAnswer, type AdminSeatView } from '../../protocol.js';
import type { Effects } from './effects.js';
import { ticksLeft } from './grace.js';
import { settle } from './clock.js';
import { endMatch, releaseSeat } from './lifecycle.js';
import type { ArenaDeps, ArenaState } from './state.js';

function view(state: ArenaState, tick: number): AdminAnswer {
  const seats: AdminSeatView[] = state.seats.map((s) => {
    const v: AdminSeatView = { seat: s.seat, userId: s.status === SeatStatus.FREE ? null : s.userId, status: s.status };
    if (s.status === SeatStatus.RESERVED && s.deadline !== null) {
      v.deadlineTick = s.deadline;
      v.graceTicksLeft = ticksLeft(s.deadline, tick) ?? 0;
    }
    return v;
  });
  return { ok: true, mode: state.mode.name, tick, seats };
}

/** The match's seats now. */
export function adminSeats(state: ArenaState, deps: ArenaDeps, fx: Effects, tick: number): AdminAnswer {
  settle(state, deps, fx, tick);
  if (state.ended !== null) return { ok: false, reason: 'ended' };
  return view(state, tick);
}

/** Frees a reserved seat now: its tokens die, everyone is told, the game hears `released`. */
export function adminRelease(state: ArenaState, deps: ArenaDeps, fx: Effects, seat: number, tick: number): AdminAnswer {
  settle(state, deps, fx, tick);
  if (state.ended !== null) return { ok: false, reason: 'ended' };
  if (state.stopping !== null) return { ok: false, reason: 'stopping' };
  const s = state.seats[seat];
  if (s === undefined) return { ok: false, reason: 'no_such_seat' };
  if (s.status !== SeatStatus.RESERVED) return { ok: false, reason: 'not_reserved' };
  releaseSeat(state, deps, fx, s, 'released', tick);
  fx.count('rejoin_admin_actions', { mode: state.mode.name, action: 'release' });
  settle(state, deps, fx, tick);
  return view(state, tick);
}

/** Ends the match now: END `operator` to everyone, the result kept for the players still seated. */
export function adminEnd(state: ArenaState, deps: ArenaDeps, fx: Effects, note: string, tick: number): AdminAnswer {
  if (state.ended !== null) return { ok: false, reason: 'ended' };
  const answer = view(state, tick);
  fx.log('warn', 'match ended by an operator', { note: note.slice(0, 200) });
  fx.count('rejoin_admin_actions', { mode: state.mode.name, action: 'end' });
  endMatch(state, deps, fx, EndReason.OPERATOR, tick);
  return answer;
}
