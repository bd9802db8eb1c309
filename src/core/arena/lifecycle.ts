// A seat's and a match's ends: a held seat freed (once, with the game's hook) and the match ended
// (once, with its result kept for the players still seated).

import { OpCode, SeatReason, SeatStatus } from '../../protocol.js';
import type { Effects, PresenceRef } from './effects.js';
import type { FreedReason } from '../game.js';
import { broadcast, broadcastEvents, broadcastSeat } from './broadcast.js';
import { freeSeat, GONE_PER_SEAT, publishLabel, type ArenaDeps, type ArenaState, type SeatRecord } from './state.js';

/**
 * Frees a held seat: revokes its tokens (remembered so a late rejoin hears why), tells everyone
 * (and `quitter`, the session whose QUIT freed it), and gives the game its one hook. The caller
 * has checked the seat is held.
 */
export function releaseSeat(state: ArenaState, deps: ArenaDeps, fx: Effects, s: SeatRecord, reason: FreedReason, tick: number, quitter: PresenceRef | null = null): void {
  const userId = s.userId as string;
  const goneAs = reason === 'expired' ? 'expired' : 'lost';
  for (const hash of [s.tokenHash, s.prevTokenHash]) if (hash !== null) state.gone.push({ userId, tokenHash: hash, reason: goneAs });
  const cap = GONE_PER_SEAT * state.seats.length;
  if (state.gone.length > cap) state.gone.splice(0, state.gone.length - cap);
  const wasReserved = s.status === SeatStatus.RESERVED;
  // A pending rejoin claim goes with the seat: that join, when it lands, finds no claim and is removed.
  Object.assign(s, freeSeat(s.seat));
  fx.push({ type: 'seatIndex', userId, seat: null });
  const mode = state.mode.name;
  if (reason === 'expired') fx.count('rejoin_expiries', { mode });
  else fx.count('rejoin_leaves', { mode, reason });
  if (wasReserved) fx.count('rejoin_reservations_ended', { mode, outcome: reason });
  fx.log('info', `seat ${reason}`, { userId, seat: s.seat });
  broadcastSeat(state, fx, s, userId, reason === 'expired' ? SeatReason.EXPIRED : SeatReason.LEFT, tick, null, quitter);
  broadcastEvents(state, fx, deps.game.seatFreed(state.game, s.seat, reason, tick), tick);
  // The seat is open again: the label says so now, not at the next due tick.
  publishLabel(state, fx);
}

/** Ends the match once: END to everyone still connected, then the adapter stops it. */
export function endMatch(state: ArenaState, deps: ArenaDeps, fx: Effects, reason: string, tick: number): void {
  if (state.ended !== null) return;
  const result = deps.game.result(state.game);
  const players: string[] = [];
  for (const s of state.seats) if (s.userId !== null && s.status !== SeatStatus.FREE) players.push(s.userId);
  // The result is stored before anyone hears END, so a player who reacts to END (or to its
  // socket closing) and asks session_resume finds it.
  fx.push({ type: 'end', reason, result, players });
  broadcast(state, fx, OpCode.END, { reason, result }, tick);
  state.ended = { reason, result, tick };
  publishLabel(state, fx);
  fx.count('rejoin_matches_ended', { mode: state.mode.name, reason });
}
