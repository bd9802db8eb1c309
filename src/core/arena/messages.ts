// Client messages: actions (applied at most once), RESYNC and QUIT. Each message is judged on
// its own; a bad one gets an ERROR to its sender and changes nothing.

import { AckResult, MAX_ACTION_SEQ, MessageError, OpCode, type MessageError as MsgErr } from '../../protocol.js';
import type { Effects, PresenceRef } from './effects.js';
import { broadcastEvents, sendSnapshot } from './broadcast.js';
import { settle } from './clock.js';
import { releaseSeat } from './lifecycle.js';
import { seatOfSession, type ArenaDeps, type ArenaState, type SeatRecord } from './state.js';
import { ackJson } from './wire.js';

/** Largest message body the match reads, in characters. */
export const MAX_MESSAGE_CHARS = 2048;
const MAX_TYPE_CHARS = 32;

export interface Incoming {
  sender: PresenceRef;
  opCode: number;
  /** The body decoded as UTF-8; null when it was not valid UTF-8. */
  data: string | null;
}

/** An ERROR to one session; about an ACTION whose actionSeq could be read, it carries that too. */
function error(fx: Effects, to: PresenceRef, code: MsgErr, message: string, actionSeq: number | null = null): void {
  fx.send(OpCode.ERROR, actionSeq === null ? { code, message } : { code, message, actionSeq }, [to]);
}

function isActionSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_ACTION_SEQ;
}

/** The actionSeq of an ACTION about to be refused unread (refusals only: it parses the body). */
function actionSeqOf(m: Incoming): number | null {
  if (m.opCode !== OpCode.ACTION) return null;
  const body = parseObject(m.data);
  return typeof body !== 'string' && isActionSeq(body.actionSeq) ? body.actionSeq : null;
}

/** Parses a body into a JSON object; a string says what is wrong with it. */
export function parseObject(data: string | null): Record<string, unknown> | string {
  if (data === null) return 'body is not UTF-8';
  if (data.length > MAX_MESSAGE_CHARS) return `body is longer than ${MAX_MESSAGE_CHARS} characters`;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    // An empty (or all-blank) body stands for `{}`; checked only here, off the common path.
    if (data.trim() !== '') return 'body is not JSON';
    value = {};
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'body must be a JSON object';
  return value as Record<string, unknown>;
}

/**
 * `hold`: the match may not act for now (it cannot confirm it is still the one live copy):
 * messages are answered as while the server stops, and nothing changes.
 */
export function handleMessages(state: ArenaState, deps: ArenaDeps, fx: Effects, messages: Incoming[], tick: number, hold = false): void {
  settle(state, deps, fx, tick);
  for (let i = 0; i < messages.length && state.ended === null; i++) handleOne(state, deps, fx, messages[i], tick, hold);
  settle(state, deps, fx, tick);
}

/**
 * One message of a tick whose state was already settled at `tick`: the match loop settles once,
 * handles each message on its own (so one bad message cannot spoil the others), then runs the
 * clock, which settles again. The same as handleMessages for one message, without the settling.
 */
export function handleMessage(state: ArenaState, deps: ArenaDeps, fx: Effects, m: Incoming, tick: number, hold = false): void {
  if (state.ended === null) handleOne(state, deps, fx, m, tick, hold);
}

function handleOne(state: ArenaState, deps: ArenaDeps, fx: Effects, m: Incoming, tick: number, hold: boolean): void {
  const s = seatOfSession(state, m.sender.sessionId);
  if (s === null) {
    error(fx, m.sender, MessageError.NOT_SEATED, 'this session holds no seat in the match', actionSeqOf(m));
    return;
  }
  if (state.stopping !== null || hold) {
    if (m.opCode === OpCode.RESYNC) sendSnapshot(state, deps, fx, s, m.sender, null, false, tick);
    else error(fx, m.sender, MessageError.SERVER_STOPPING, 'the match cannot act right now: nothing was applied; resend after you rejoin', actionSeqOf(m));
    return;
  }
  // Any message proves the session is alive and had its snapshot: the token it consumed dies now.
  s.confirmed = true;
  s.prevTokenHash = null;
  const body = parseObject(m.data);
  if (typeof body === 'string') {
    error(fx, m.sender, MessageError.BAD_JSON, body);
    return;
  }
  switch (m.opCode) {
    case OpCode.ACTION:
      handleAction(state, deps, fx, s, m.sender, body, tick);
      return;
    case OpCode.RESYNC:
      sendSnapshot(state, deps, fx, s, m.sender, null, false, tick);
      return;
    case OpCode.QUIT:
      // The quitter hears its own SEAT `left` (with everyone else) before it is removed.
      releaseSeat(state, deps, fx, s, 'left', tick, m.sender);
      fx.push({ type: 'kick', presence: m.sender });
      return;
    default:
      error(fx, m.sender, MessageError.UNKNOWN_OP, `op ${m.opCode} is not handled (send 100 ACTION, 101 RESYNC or 102 QUIT)`);
  }
}

function handleAction(state: ArenaState, deps: ArenaDeps, fx: Effects, s: SeatRecord, sender: PresenceRef, body: Record<string, unknown>, tick: number): void {
  const { actionSeq, type } = body;
  if (!isActionSeq(actionSeq)) {
    error(fx, sender, MessageError.BAD_MESSAGE, `actionSeq must be a whole number from 1 to ${MAX_ACTION_SEQ}`);
    return;
  }
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE_CHARS) {
    error(fx, sender, MessageError.BAD_MESSAGE, `type must be a string of 1 to ${MAX_TYPE_CHARS} characters`, actionSeq);
    return;
  }
  if (actionSeq <= s.lastActionSeq) {
    fx.count('rejoin_duplicate_actions', { mode: state.mode.name });
    fx.sendJson(OpCode.ACK, ackJson(actionSeq, AckResult.DUPLICATE), [sender]);
    return;
  }
  // The body was parsed for this message alone: the game gets it without actionSeq, uncopied.
  delete body.actionSeq;
  const outcome = deps.game.applyAction(state.game, s.seat, body, tick);
  s.lastActionSeq = actionSeq;
  if (outcome.ok) {
    fx.sendJson(OpCode.ACK, ackJson(actionSeq, AckResult.APPLIED), [sender]);
    broadcastEvents(state, fx, outcome.events, tick);
  } else {
    fx.sendJson(OpCode.ACK, ackJson(actionSeq, AckResult.REJECTED, outcome.error), [sender]);
  }
}
