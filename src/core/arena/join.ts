// Joining: the attempt (who may have which seat) and the join itself (token rotation, snapshot).
//
// An accepted attempt claims its seat at once, so two sockets racing for one seat or one token
// cannot both be let in: the second attempt finds the claim and is refused.

import { EndReason, MessageError, OpCode, RejectReason, SeatReason, SeatStatus, type RejectReason as Reject } from '../../protocol.js';
import type { Effects, PresenceRef } from './effects.js';
import { allowAttempt } from './rate-limit.js';
import { constantTimeEqual, isTokenShaped } from './tokens.js';
import { secondsToTicks } from './grace.js';
import { broadcastEvents, broadcastSeat, sendSnapshot } from './broadcast.js';
import { settle } from './clock.js';
import { isOpen, seatOfUser, type ArenaDeps, type ArenaState, type SeatRecord } from './state.js';

export type AttemptDecision = { accept: true; seat: number; rejoin: boolean } | { accept: false; reason: Reject; detail: string };

/** Metrics name for join attempts, tagged by outcome. */
const ATTEMPTS = 'rejoin_join_attempts';

function refuse(fx: Effects, mode: string, rejoin: boolean, reason: Reject, detail: string): AttemptDecision {
  fx.count(ATTEMPTS, { mode, kind: rejoin ? 'rejoin' : 'first', outcome: reason });
  return { accept: false, reason, detail };
}

/** Metadata must be empty or hold exactly one string field, `token`. */
function readToken(metadata: unknown): { ok: true; token: string | null } | { ok: false; detail: string } {
  if (metadata === null || metadata === undefined) return { ok: true, token: null };
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return { ok: false, detail: 'metadata must be an object' };
  const keys = Object.keys(metadata);
  const extra = keys.filter((k) => k !== 'token');
  if (extra.length > 0) return { ok: false, detail: 'only "token" is accepted in join metadata' };
  const token = (metadata as Record<string, unknown>).token;
  if (token === undefined || token === '') return { ok: true, token: null };
  if (typeof token !== 'string') return { ok: false, detail: 'token must be a string' };
  return { ok: true, token };
}

/** Why a token that matches no live seat of this user was refused. */
function goneReason(state: ArenaState, userId: string, hash: string): Reject {
  for (const g of state.gone) {
    if (g.userId === userId && constantTimeEqual(g.tokenHash, hash)) return g.reason === 'expired' ? RejectReason.TOKEN_EXPIRED : RejectReason.SEAT_LOST;
  }
  return RejectReason.TOKEN_INVALID;
}

/**
 * Which token of the seat `hash` opens, if any: the latest, or the one the current session
 * consumed when that session has since dropped without a word (it may never have received the
 * newer one). While that session is still in the match the consumed token stays refused.
 */
function tokenOpens(s: SeatRecord, hash: string): boolean {
  if (s.tokenHash !== null && constantTimeEqual(s.tokenHash, hash)) return true;
  return s.status === SeatStatus.RESERVED && s.prevTokenHash !== null && constantTimeEqual(s.prevTokenHash, hash);
}

/** Who may have which seat: an accepted attempt claims its seat until its join arrives. */
export function joinAttempt(state: ArenaState, deps: ArenaDeps, fx: Effects, presence: PresenceRef, metadata: unknown, tick: number, hold = false): AttemptDecision {
  const mode = state.mode.name;
  settle(state, deps, fx, tick);
  const read = readToken(metadata);
  if (!read.ok) return refuse(fx, mode, false, RejectReason.METADATA_INVALID, read.detail);
  if (state.ended !== null) return refuse(fx, mode, read.token !== null, RejectReason.SEAT_LOST, 'the match has ended');
  if (state.stopping !== null || hold) {
    return refuse(fx, mode, read.token !== null, RejectReason.SERVER_STOPPING, 'the match cannot take joins right now; call session_resume in a few seconds');
  }
  const held = seatOfUser(state, presence.userId);
  const decision = read.token === null ? firstJoin(state, fx, presence, held, tick) : rejoin(state, deps, fx, presence, held, read.token, tick);
  settle(state, deps, fx, tick);
  return decision;
}

function firstJoin(state: ArenaState, fx: Effects, presence: PresenceRef, held: SeatRecord | null, tick: number): AttemptDecision {
  const mode = state.mode.name;
  if (held !== null) {
    return refuse(fx, mode, false, RejectReason.TOKEN_INVALID, `you hold seat ${held.seat}: rejoin with its token, or call session_resume for a new one`);
  }
  if (state.invited !== null && !state.invited.includes(presence.userId)) {
    return refuse(fx, mode, false, RejectReason.NOT_INVITED, 'the seats of this match are promised to matched players');
  }
  // A seat this player is already joining from another socket (one that died, or was replaced,
  // before its join landed) passes to this newer attempt: the player is never locked out of a
  // match by its own lost connection. The older join, should it land, finds no claim and is removed.
  const pending = state.seats.find((s) => s.claim !== null && s.claim.userId === presence.userId);
  if (pending !== undefined) {
    pending.claim = { sessionId: presence.sessionId, userId: presence.userId, tick, usedHash: null };
    fx.count(ATTEMPTS, { mode, kind: 'first', outcome: 'accepted' });
    return { accept: true, seat: pending.seat, rejoin: false };
  }
  const free = state.seats.find(isOpen);
  if (free === undefined) return refuse(fx, mode, false, RejectReason.MATCH_FULL, 'no free seat');
  free.claim = { sessionId: presence.sessionId, userId: presence.userId, tick, usedHash: null };
  fx.count(ATTEMPTS, { mode, kind: 'first', outcome: 'accepted' });
  return { accept: true, seat: free.seat, rejoin: false };
}

function rejoin(state: ArenaState, deps: ArenaDeps, fx: Effects, presence: PresenceRef, held: SeatRecord | null, token: string, tick: number): AttemptDecision {
  const mode = state.mode.name;
  const windowTicks = secondsToTicks(state.mode.rejoinWindowSec, state.mode.tickRate);
  if (!allowAttempt(state.attempts, presence.userId, tick, state.mode.rejoinAttempts, windowTicks)) {
    return refuse(fx, mode, true, RejectReason.RATE_LIMITED, `at most ${state.mode.rejoinAttempts} rejoin attempts per ${state.mode.rejoinWindowSec} s`);
  }
  if (!isTokenShaped(token)) return refuse(fx, mode, true, RejectReason.TOKEN_INVALID, 'not a reconnect token');
  const hash = deps.tokens.hash(token);
  if (held === null || !tokenOpens(held, hash)) {
    const reason = goneReason(state, presence.userId, hash);
    return refuse(fx, mode, true, reason, reason === RejectReason.TOKEN_INVALID ? 'token not valid for a seat of yours in this match' : 'the seat is gone');
  }
  // A rejoin still pending from another socket of this player (it died, or was replaced, before
  // its join landed) gives way to this newer one, which holds the same valid token: otherwise the
  // player would be locked out of its own seat until that claim lapsed.
  held.claim = { sessionId: presence.sessionId, userId: presence.userId, tick, usedHash: hash };
  fx.count(ATTEMPTS, { mode, kind: 'rejoin', outcome: 'accepted' });
  return { accept: true, seat: held.seat, rejoin: true };
}

/** Whether another session of this player holds its seat here, or is joining to take it. */
function heldByAnotherSession(state: ArenaState, p: PresenceRef): boolean {
  for (let i = 0; i < state.seats.length; i++) {
    const s = state.seats[i];
    if (s.presence !== null && s.presence.userId === p.userId && s.presence.sessionId !== p.sessionId) return true;
    if (s.claim !== null && s.claim.userId === p.userId && s.claim.sessionId !== p.sessionId) return true;
  }
  return false;
}

/**
 * END `taken_over` to a session a newer join of the same player replaced, before it is removed.
 * Private: its `seq` follows the last broadcast that session could have had, and is not taken from
 * the match (the broadcast that comes next, to the others, carries the same number).
 */
function sendTakenOver(state: ArenaState, fx: Effects, to: PresenceRef, tick: number): void {
  fx.send(OpCode.END, { seq: state.seq + 1, tick, reason: EndReason.TAKEN_OVER, result: null }, [to]);
}

/**
 * The server added this presence to the match. It should hold a claim from its attempt; one
 * that does not (its claim lapsed, or the seat was lost meanwhile) is told and removed.
 */
export function join(state: ArenaState, deps: ArenaDeps, fx: Effects, p: PresenceRef, tick: number): void {
  if (state.stopping !== null) {
    // Accepted just before the shutdown froze the match: the seat stays as the checkpoint has it.
    fx.send(OpCode.ERROR, { code: MessageError.SERVER_STOPPING, message: 'the match cannot take joins right now; call session_resume in a few seconds' }, [p]);
    fx.push({ type: 'kick', presence: p });
    return;
  }
  settle(state, deps, fx, tick);
  seat(state, deps, fx, p, tick);
  settle(state, deps, fx, tick);
}

function seat(state: ArenaState, deps: ArenaDeps, fx: Effects, p: PresenceRef, tick: number): void {
  const mode = state.mode.name;
  const s = state.seats.find((x) => x.claim !== null && x.claim.sessionId === p.sessionId);
  if (s === undefined || s.claim === null) {
    fx.log('warn', 'presence joined without a seat claim; removing it', { userId: p.userId, sessionId: p.sessionId });
    // Told why before it is removed: a newer join of the same player has the seat (or is taking
    // it), or this join came too late and the seat is not held for it any more.
    if (heldByAnotherSession(state, p)) sendTakenOver(state, fx, p, tick);
    else fx.send(OpCode.ERROR, { code: MessageError.NOT_SEATED, message: 'your join arrived after its seat stopped being held for it; join again' }, [p]);
    fx.push({ type: 'kick', presence: p });
    return;
  }
  const claim = s.claim;
  s.claim = null;
  const token = deps.tokens.newToken();
  const rejoining = claim.usedHash !== null;
  if (!rejoining) {
    s.userId = p.userId;
    s.lastActionSeq = 0;
    state.everSeated = true;
    fx.push({ type: 'seatIndex', userId: p.userId, seat: s.seat });
    // In storage before its player hears of it: a crash after the SNAPSHOT restores the seat.
    if (state.checkpointTicks > 0) fx.push({ type: 'checkpoint' });
  }
  const old = s.presence;
  const droppedAt = s.dropTick;
  const takeover = rejoining && old !== null && old.sessionId !== p.sessionId;
  if (takeover && old !== null) {
    sendTakenOver(state, fx, old, tick);
    fx.push({ type: 'kick', presence: old });
  }
  s.username = p.username;
  s.status = SeatStatus.CONNECTED;
  // Kept as given: the adapter passes the server's own presence object, which the server reads
  // back without converting it when the match sends to this seat.
  s.presence = p;
  s.prevTokenHash = claim.usedHash;
  s.tokenHash = deps.tokens.hash(token);
  s.confirmed = false;
  s.dropTick = null;
  s.deadline = null;
  if (!rejoining) {
    const events = deps.game.seatTaken(state.game, s.seat, tick);
    broadcastSeat(state, fx, s, p.userId, SeatReason.JOINED, tick, p.sessionId);
    broadcastEvents(state, fx, events, tick, p.sessionId);
    fx.count('rejoin_joins', { mode });
  } else {
    broadcastSeat(state, fx, s, p.userId, SeatReason.RESUMED, tick, p.sessionId);
    fx.count('rejoin_rejoins', { mode, kind: takeover ? 'takeover' : 'reserved' });
    if (takeover) {
      fx.count('rejoin_takeovers', { mode });
    } else {
      fx.count('rejoin_reservations_ended', { mode, outcome: 'resumed' });
      // How long the player was away, in match time: what a grace window has to cover.
      if (droppedAt !== null) fx.time('rejoin_time_away', { mode }, Math.max(0, tick - droppedAt) / state.mode.tickRate);
      // The game heard of the drop; a takeover never was one (the seat stayed connected).
      broadcastEvents(state, fx, deps.game.seatResumed?.(state.game, s.seat, tick) ?? [], tick, p.sessionId);
    }
  }
  fx.log('info', rejoining ? (takeover ? 'seat taken over by a new session' : 'seat resumed') : 'seat taken', {
    userId: p.userId,
    sessionId: p.sessionId,
    seat: s.seat,
  });
  sendSnapshot(state, deps, fx, s, s.presence, token, rejoining, tick);
}
