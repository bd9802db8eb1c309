// The arena match handler: Nakama's callbacks, translated to the core and back. arenaMatch binds
// the game's Arena into the seven functions the server calls; each opens its step (match-step.ts)
// and hands it to the handler below, which runs core transitions and flushes their effects.
//
// The core works on plain objects that stay live in the match's own runtime between callbacks
// (match-state.ts); what the server holds is only a revision and two fields a quiet tick reads,
// so its copying traps (nested assignment, boxed values, key order) never reach the core. No
// callback throws: a throw would stop the match and close every player's socket.

import {
  adminEnd,
  adminRelease,
  adminSeats,
  anyoneHolds,
  endMatch,
  freezeForShutdown,
  handleMessage,
  initArena,
  isDue,
  join,
  joinAttempt,
  leave,
  reissueToken,
  restoreCheckpoint,
  settle,
  supersede,
  tickClock,
  type Incoming,
} from '../../core/arena/index.js';
import { decodeSignal, encodeSignalAnswer, EndReason, OpCode, RejectReason, type AdminAnswer } from '../../protocol.js';
import { PresenceReason } from '../codes.js';
import { checkpointMaxAgeSec, modeTable } from '../env.js';
import { errorText } from '../errors.js';
import { logWith } from '../log.js';
import { timeSeconds } from '../metrics.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint-store.js';
import { FRESH, type MatchStep, type Ownership } from './match-io.js';
import { isQuiet, pack } from './match-state.js';
import { check, finish, flush, keep, matchIdOf, openStep, stepAside } from './match-step.js';
import { proveLease } from './ownership.js';
import type { Arena } from './options.js';

type State = nkruntime.MatchState;
type Answer = { state: State } | null;

function readInvited(raw: unknown): string[] | null {
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!Array.isArray(v)) return null;
  const ids = v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  return ids.length > 0 ? ids : null;
}

function arenaInit(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, params: { [key: string]: any }): { state: State; tickRate: number; label: string } {
  // Failures here are bugs in the caller (RPCs validate first): failing loudly is right, and
  // nk.matchCreate reports them to that caller.
  if (typeof params?.restoreFrom === 'string') return restoreInit(arena, ctx, logger, nk, params.restoreFrom);
  const table = modeTable(ctx, nk, logger);
  const name = params?.mode;
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(table, name)) throw new Error(`arena: unknown mode ${String(name)}`);
  const invited = readInvited(params?.invited);
  const creator = typeof params?.creator === 'string' ? params.creator : null;
  const state = initArena(table[name], arena.game, invited, creator);
  const matchId = matchIdOf(ctx);
  logWith(logger, 'info', 'arena match created', { matchId, mode: name, seats: state.seats.length, promised: invited !== null });
  return { state: pack(matchId, state, { ...FRESH }), tickRate: state.mode.tickRate, label: state.label };
}

function restoreInit(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, oldMatchId: string): { state: State; tickRate: number; label: string } {
  const found = readCheckpoint(nk, oldMatchId);
  if (found === null) throw new Error(`arena: no checkpoint for ${oldMatchId}`);
  const restored = restoreCheckpoint(found.value, Date.now(), checkpointMaxAgeSec(ctx) * 1000, arena.game);
  if (!restored.ok) throw new Error(`arena: checkpoint of ${oldMatchId} not restorable: ${restored.reason}`);
  const s = restored.state;
  const matchId = matchIdOf(ctx);
  logWith(logger, 'info', 'arena match restored', { matchId, from: oldMatchId, mode: s.mode.name });
  // It acts only once the restore that created it has committed (ownership.ts).
  const own: Ownership = { ...FRESH, confirming: oldMatchId };
  return { state: pack(matchId, s, own), tickRate: s.mode.tickRate, label: s.label };
}

function onJoinAttempt(m: MatchStep, presence: nkruntime.Presence, metadata: { [key: string]: any }): { state: State; accept: boolean; rejectMessage?: string } | null {
  const started = Date.now();
  // A first join (no token) may seat a new player: see proveLease.
  if (!metadata?.token && m.state.ended === null) proveLease(m.io, m.state);
  const st = check(m);
  if (m.state.ended !== null) return null;
  const decision = joinAttempt(m.state, m.deps, m.fx, presence, metadata, m.io.tick, st === 'hold');
  flush(m);
  // How long the server took over a rejoin attempt (a join presenting a token).
  if (typeof metadata?.token === 'string') timeSeconds(m.io.nk, 'rejoin_attempt', { mode: m.state.mode.name, outcome: decision.accept ? 'accepted' : decision.reason }, (Date.now() - started) / 1000);
  if (decision.accept) return { state: keep(m), accept: true };
  logWith(m.io.logger, 'info', 'join refused', { matchId: m.io.matchId, userId: presence.userId, reason: decision.reason, detail: decision.detail });
  return { state: keep(m), accept: false, rejectMessage: decision.reason };
}

/** Runs `each` for every presence, catching per presence so one bad presence never stops the match or the others. */
function perPresence(m: MatchStep, what: string, presences: nkruntime.Presence[], each: (m: MatchStep, p: nkruntime.Presence) => void): Answer {
  for (let i = 0; i < presences.length; i++) {
    const p = presences[i];
    try {
      each(m, p);
      flush(m);
    } catch (err) {
      m.fx.clear();
      logWith(m.io.logger, 'error', `${what} failed`, { matchId: m.io.matchId, userId: p.userId, error: errorText(err) });
    }
  }
  return finish(m);
}

function joinOne(m: MatchStep, p: nkruntime.Presence): void {
  // Listed by the server from now on, whatever the core makes of it.
  m.io.sessions.add(p.sessionId);
  join(m.state, m.deps, m.fx, p, m.io.tick);
}

function leaveOne(m: MatchStep, p: nkruntime.Presence): void {
  m.io.sessions.delete(p.sessionId);
  // Only an explicit leave is consent; a drop is a disconnect or an unknown reason. The server
  // boxes the reason: a `switch` or `===` on it without Number() never matches.
  const leaving = { userId: p.userId, sessionId: p.sessionId, username: p.username, node: p.node, consented: Number(p.reason) === PresenceReason.LEAVE };
  leave(m.state, m.deps, m.fx, leaving, m.io.tick);
}

function decode(nk: nkruntime.Nakama, data: ArrayBuffer | null | undefined): string | null {
  if (data === null || data === undefined) return '';
  try {
    return nk.binaryToString(data);
  } catch {
    return null;
  }
}

/**
 * ACTIONs held while the copy holds, at most (per match): past this many the rest are refused
 * with ERROR server_stopping, as a graceful shutdown refuses them.
 */
const MAX_HELD = 4096;

/** One message through the core, caught on its own so that one bad message cannot spoil the others. */
function handleOne(m: MatchStep, incoming: Incoming, tick: number, hold: boolean): void {
  try {
    handleMessage(m.state, m.deps, m.fx, incoming, tick, hold);
    flush(m);
  } catch (err) {
    m.fx.clear();
    logWith(m.io.logger, 'error', 'message failed', { matchId: m.io.matchId, userId: incoming.sender?.userId ?? '', op: incoming.opCode, error: errorText(err) });
  }
}

/** A loop tick with input, or with something due. */
function onTick(m: MatchStep, messages: nkruntime.MatchMessage[]): Answer {
  const s = m.state;
  const tick = m.io.tick;
  const st = s.ended === null ? check(m) : 'act';
  if (s.ended !== null) return null;
  // Grace, claims and the label brought up to this tick once, before the messages are read;
  // before dueTick there is nothing to bring up (the last callback settled and scheduled).
  const held = m.io.own.held;
  if ((messages.length > 0 || held !== null) && isDue(s, tick)) {
    settle(s, m.deps, m.fx, tick);
    flush(m);
  }
  // Actions held while this copy could not act go first, in the order they came.
  if (st === 'act' && held !== null) {
    m.io.own.held = null;
    for (let i = 0; i < held.length; i++) handleOne(m, held[i], tick, false);
  }
  // One Incoming, refilled for each message: the core keeps none of it past the message.
  const incoming = m.incoming;
  for (let i = 0; i < messages.length; i++) {
    const msg = messages[i];
    // The sender is read once (the server builds a new object for every read of it) and passed
    // on as it is: its fields are a PresenceRef's.
    const sender = msg.sender;
    const opCode = Number(msg.opCode);
    if (st === 'hold' && opCode === OpCode.ACTION && (m.io.own.held?.length ?? 0) < MAX_HELD) {
      // Refused, it would leave a gap that a later action fills: kept, with its own copy of the sender.
      (m.io.own.held ??= []).push({ sender: { userId: sender.userId, sessionId: sender.sessionId, username: sender.username, node: sender.node }, opCode, data: decode(m.io.nk, msg.data) });
      continue;
    }
    incoming.sender = sender;
    incoming.opCode = opCode;
    incoming.data = decode(m.io.nk, msg.data);
    handleOne(m, incoming, tick, st === 'hold');
  }
  // Holding, the clock stands still too: nothing changes until the copy knows it is the one. With
  // actions held, or after a failed write, every tick is due, so that the copy asks again (at
  // most once a second) and acts once it may.
  if (st === 'hold') {
    if (m.io.own.held !== null || m.io.own.lease.writeFailed) s.dueTick = Math.min(s.dueTick, tick + 1);
    return { state: keep(m) };
  }
  try {
    tickClock(s, m.deps, m.fx, tick);
    return finish(m);
  } catch (err) {
    m.fx.clear();
    logWith(m.io.logger, 'error', 'tick failed', { matchId: m.io.matchId, tick, error: errorText(err) });
    return { state: keep(m) };
  }
}

/**
 * Graceful shutdown (runs only when shutdown_grace_sec > 0): the match writes its checkpoint and
 * freezes, leaving every seat index pointing at it, so that after the restart session_resume
 * restores it and hands each player its seat back. The server goes on calling the match until its
 * grace period ends; frozen, the match changes nothing in that time, so the checkpoint stays
 * the truth. It ends without END: the sockets close with the process and clients see a drop.
 * Only if the checkpoint cannot be written are players told the match is over.
 */
function onTerminate(m: MatchStep, graceSeconds: number): { state: State } {
  const { io, state: s } = m;
  // The server insists on an object with `state` here (null is an error that closes every
  // participant's socket); with a grace period it keeps running the match until that ends.
  if (s.ended !== null || s.stopping !== null || !anyoneHolds(s) || io.own.confirming !== null) return { state: keep(m) };
  const w = writeCheckpoint(io.nk, s, io.matchId, io.tick, true, io.own.lease);
  if (w.kind === 'written') {
    io.own.lease = w.lease;
    logWith(io.logger, 'info', 'arena match checkpointed for shutdown', { matchId: io.matchId, tick: io.tick, graceSeconds });
    freezeForShutdown(s, m.deps, m.fx, io.tick);
    flush(m);
    return { state: keep(m) };
  }
  if (w.kind === 'superseded') {
    stepAside(m);
    return { state: keep(m) };
  }
  logWith(io.logger, 'error', 'shutdown checkpoint failed', { matchId: io.matchId, error: errorText(w.error) });
  try {
    endMatch(s, m.deps, m.fx, EndReason.SHUTDOWN, io.tick);
    flush(m);
  } catch (err) {
    m.fx.clear();
    logWith(io.logger, 'error', 'terminate failed', { matchId: io.matchId, error: errorText(err) });
  }
  return { state: keep(m) };
}

/**
 * Signals from the module's own RPCs: `reissue` hands a signed-in user a fresh token for the seat
 * it holds (session_resume); `supersede` ends a restored copy that lost the race to be the one;
 * `seats`, `release` and `end` are an operator's (admin-rpcs.ts).
 * The answer is JSON; a signal never stops the match.
 */
function onSignal(m: MatchStep, data: string): { state: State; data: string } {
  const s = m.state;
  const msg = decodeSignal(data);
  if (msg?.op === 'reissue') {
    if (s.ended !== null) return { state: keep(m), data: encodeSignalAnswer({ ok: false, reason: s.ended.reason === EndReason.MOVED ? 'moved' : 'ended' }) };
    const st = check(m);
    if (s.ended !== null) return { state: keep(m), data: encodeSignalAnswer({ ok: false, reason: 'moved' }) };
    const answer = reissueToken(s, m.deps, m.fx, msg.userId, m.io.tick, st === 'hold');
    flush(m);
    return { state: keep(m), data: encodeSignalAnswer(answer) };
  }
  if (msg?.op === 'supersede') {
    supersede(s, m.deps, m.fx, m.io.tick);
    flush(m);
    return { state: keep(m), data: encodeSignalAnswer({ ok: true }) };
  }
  if (msg?.op === 'seats' || msg?.op === 'release' || msg?.op === 'end') {
    let answer: AdminAnswer;
    if (msg.op === 'seats') answer = adminSeats(s, m.deps, m.fx, m.io.tick);
    else if (msg.op === 'release') answer = adminRelease(s, m.deps, m.fx, msg.seat, m.io.tick);
    else answer = adminEnd(s, m.deps, m.fx, msg.note, m.io.tick);
    flush(m);
    // An ended match stops at its next loop, which finds `ended` in the state.
    return { state: keep(m), data: encodeSignalAnswer(answer) };
  }
  return { state: keep(m), data: encodeSignalAnswer({ ok: false, reason: 'unknown_signal' }) };
}

/** The seven match callbacks of one game, for `initializer.registerMatch`. */
export interface ArenaMatchHandlers {
  matchInit: nkruntime.MatchInitFunction;
  matchJoinAttempt: nkruntime.MatchJoinAttemptFunction;
  matchJoin: nkruntime.MatchJoinFunction;
  matchLeave: nkruntime.MatchLeaveFunction;
  matchLoop: nkruntime.MatchLoopFunction;
  matchTerminate: nkruntime.MatchTerminateFunction;
  matchSignal: nkruntime.MatchSignalFunction;
}

export function arenaMatch(arena: Arena): ArenaMatchHandlers {
  return {
    matchInit: (ctx, logger, nk, params) => arenaInit(arena, ctx, logger, nk, params),
    matchJoinAttempt: (ctx, logger, nk, dispatcher, tick, state, presence, metadata) => {
      try {
        return onJoinAttempt(openStep(arena, ctx, logger, nk, dispatcher, tick, state), presence, metadata);
      } catch (err) {
        logWith(logger, 'error', 'join attempt failed', { matchId: matchIdOf(ctx), userId: presence.userId, error: errorText(err) });
        return { state, accept: false, rejectMessage: RejectReason.SEAT_LOST };
      }
    },
    matchJoin: (ctx, logger, nk, dispatcher, tick, state, presences) => perPresence(openStep(arena, ctx, logger, nk, dispatcher, tick, state), 'join', presences, joinOne),
    matchLeave: (ctx, logger, nk, dispatcher, tick, state, presences) => perPresence(openStep(arena, ctx, logger, nk, dispatcher, tick, state), 'leave', presences, leaveOne),
    // Most ticks of most matches are quiet: answered before anything else is set up.
    matchLoop: (ctx, logger, nk, dispatcher, tick, state, messages) => (isQuiet(state, tick, messages.length) ? { state } : onTick(openStep(arena, ctx, logger, nk, dispatcher, tick, state), messages)),
    matchTerminate: (ctx, logger, nk, dispatcher, tick, state, graceSeconds) => onTerminate(openStep(arena, ctx, logger, nk, dispatcher, tick, state), graceSeconds),
    matchSignal: (ctx, logger, nk, dispatcher, tick, state, data) => {
      try {
        return onSignal(openStep(arena, ctx, logger, nk, dispatcher, tick, state), data);
      } catch (err) {
        logWith(logger, 'error', 'signal failed', { matchId: matchIdOf(ctx), error: errorText(err) });
        return { state, data: encodeSignalAnswer({ ok: false, reason: 'error' }) };
      }
    },
  };
}
