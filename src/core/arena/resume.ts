// Handing a signed-in player a fresh token for the seat it holds, on the strength of its login
// alone (session_resume). The old tokens die: the one just issued is the only way back in.

import { SeatStatus } from '../../protocol';
import { Effects } from '../effects';
import { settle } from './clock';
import { seatOfUser, type ArenaDeps, type ArenaState } from './state';

export type Reissue =
  | { ok: true; seat: number; status: SeatStatus; mode: string; token: string | null }
  | { ok: false; reason: 'no_seat' | 'ended' | 'stopping' };

export function reissueToken(state: ArenaState, deps: ArenaDeps, userId: string, tick: number): { answer: Reissue; effects: Effects } {
  const fx = new Effects();
  settle(state, deps, fx, tick);
  if (state.ended !== null) return { answer: { ok: false, reason: 'ended' }, effects: fx };
  // A token issued now would not be in the checkpoint the restored match starts from.
  if (state.stopping !== null) return { answer: { ok: false, reason: 'stopping' }, effects: fx };
  const s = seatOfUser(state, userId);
  if (s === null) return { answer: { ok: false, reason: 'no_seat' }, effects: fx };
  if (!state.mode.resumeByAccount) {
    // The mode wants proof beyond the login: the seat is confirmed, no token is handed out.
    return { answer: { ok: true, seat: s.seat, status: s.status, mode: state.mode.name, token: null }, effects: fx };
  }
  const token = deps.tokens.newToken();
  s.tokenHash = deps.tokens.hash(token);
  s.prevTokenHash = null;
  fx.count('rejoin_tokens_reissued', { mode: state.mode.name });
  fx.log('info', 'token reissued by session_resume', { userId, seat: s.seat });
  return { answer: { ok: true, seat: s.seat, status: s.status, mode: state.mode.name, token }, effects: fx };
}

/** Ends a restored match that lost the race to be the one restore: nobody is told anything. */
export function supersede(state: ArenaState, tick: number): void {
  if (state.ended === null) state.ended = { reason: 'superseded', result: null, tick };
}
