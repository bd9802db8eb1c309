// Handing a signed-in player a fresh token for the seat it holds, on the strength of its login
// alone (session_resume). The old tokens die: the one just issued is the only way back in.

import { EndReason, OpCode, type ReissueAnswer } from '../../protocol.js';
import type { Effects } from './effects.js';
import { broadcast } from './broadcast.js';
import { settle } from './clock.js';
import { publishLabel, reservedSeats, seatOfUser, type ArenaDeps, type ArenaState } from './state.js';

/** `hold`: the match may not act for now (see handleMessages); the answer is `stopping`. */
export function reissueToken(state: ArenaState, deps: ArenaDeps, fx: Effects, userId: string, tick: number, hold = false): ReissueAnswer {
  settle(state, deps, fx, tick);
  if (state.ended !== null) return { ok: false, reason: 'ended' };
  // A token issued now would not be in the checkpoint the restored match starts from.
  if (state.stopping !== null || hold) return { ok: false, reason: 'stopping' };
  const s = seatOfUser(state, userId);
  if (s === null) return { ok: false, reason: 'no_seat' };
  if (!state.mode.resumeByAccount) {
    // The mode wants proof beyond the login: the seat is confirmed, no token is handed out.
    return { ok: true, seat: s.seat, status: s.status, mode: state.mode.name, token: null };
  }
  const token = deps.tokens.newToken();
  s.tokenHash = deps.tokens.hash(token);
  s.prevTokenHash = null;
  fx.count('rejoin_tokens_reissued', { mode: state.mode.name });
  fx.log('info', 'token reissued by session_resume', { userId, seat: s.seat });
  return { ok: true, seat: s.seat, status: s.status, mode: state.mode.name, token };
}

/** Ends a restored match that lost the race to be the one restore: nobody is told anything. */
export function supersede(state: ArenaState, _deps: ArenaDeps, _fx: Effects, tick: number): void {
  if (state.ended === null) state.ended = { reason: 'superseded', result: null, tick };
}

/**
 * This copy learnt that another copy has taken the match over, or it has been out of touch with
 * storage past its lease, so another may have: it stops at once without touching storage (the
 * seats and the result belong to the live copy) and tells its players, who call session_resume
 * and reach the live copy. Actions not acknowledged are resent there.
 */
export function handOver(state: ArenaState, _deps: ArenaDeps, fx: Effects, tick: number): void {
  if (state.ended !== null) return;
  broadcast(state, fx, OpCode.END, { reason: EndReason.MOVED, result: null }, tick);
  state.ended = { reason: EndReason.MOVED, result: null, tick };
  // Its reservations end here; the copy that took over counts them as started again.
  const reserved = reservedSeats(state);
  if (reserved > 0) fx.count('rejoin_reservations_ended', { mode: state.mode.name, outcome: 'moved' }, reserved);
  publishLabel(state, fx);
  fx.count('rejoin_matches_handed_over', { mode: state.mode.name });
  fx.log('warn', 'match handed over to another copy', { tick });
}
