// The arena match handler: Nakama's callbacks, translated to the core and back. Each takes the
// game's Arena first; arenaMatch binds it into the seven functions the server calls.
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
  handOver,
  reissueToken,
  restoreCheckpoint,
  supersede,
  handleMessage,
  settle,
  isDue,
  initArena,
  join,
  joinAttempt,
  leave,
  tickClock,
  type ArenaDeps,
  type ArenaState,
  type Incoming,
} from '../../core/arena/index.js';
import type { Effect } from '../../core/effects.js';
import { Effects, type PresenceRef } from '../../core/effects.js';
import { decodeSignal, encodeSignalAnswer, EndReason, RejectReason } from '../../protocol.js';
import { PresenceReason } from '../codes.js';
import { applyEffects, type MatchIo } from './apply-effects.js';
import { depsOf, type Arena } from './options.js';
import { readCheckpoint, writeCheckpoint } from './checkpoints.js';
import { checkpointMaxAgeSec, modeTable } from '../env.js';
import { errorText } from '../errors.js';
import { timeSeconds } from '../metrics.js';
import { FRESH, isQuiet, liveOf, pack, type Live, type Ownership } from './match-state.js';
import { standing, type Standing } from './ownership.js';
import { logWith } from '../log.js';

type State = nkruntime.MatchState;

function ref(p: nkruntime.Presence): PresenceRef {
  return { userId: p.userId, sessionId: p.sessionId, username: p.username, node: p.node };
}

function matchIo(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, dispatcher: nkruntime.MatchDispatcher, tick: number, live: Live): MatchIo {
  return scratchOf(live, ctx, logger, nk, dispatcher, tick).io;
}

const NO_SENDER: PresenceRef = { userId: '', sessionId: '', username: '', node: '' };

/** This callback's io, effects list and message slot, made once per match and refilled. */
function scratchOf(live: Live, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, dispatcher: nkruntime.MatchDispatcher, tick: number): NonNullable<Live['scratch']> {
  let sc = live.scratch;
  if (sc === null) {
    sc = { io: { ctx, logger, nk, dispatcher, tick, own: live.own, superseded: false }, fx: new Effects(), incoming: { sender: NO_SENDER, opCode: 0, data: null } };
    live.scratch = sc;
    return sc;
  }
  const io = sc.io;
  io.ctx = ctx;
  io.logger = logger;
  io.nk = nk;
  io.dispatcher = dispatcher;
  io.tick = tick;
  io.own = live.own;
  io.superseded = false;
  sc.fx.clear();
  return sc;
}

/** Hands the state back to the server: kept live in this runtime, a revision in Nakama's copy. */
function keep(io: MatchIo, s: ArenaState): State {
  return pack(io.ctx.matchId ?? '', s, io.own);
}

/**
 * Whether this copy may act on input now (see ownership.ts). A copy that may not act any more
 * is ended here: a superseded one tells its players to call session_resume, a restored copy that
 * lost its race ends silently.
 */
function check(io: MatchIo, deps: ArenaDeps, s: ArenaState): Standing {
  const st = standing(io, s);
  if (st === 'handOver') stepAside(io, deps, s);
  if (st === 'discard') {
    logWith(io.logger, 'info', 'restored copy discarded', { matchId: io.ctx.matchId ?? '' });
    supersede(s, deps, new Effects(), io.tick);
  }
  return st;
}

/** Hands the match over to the copy that took it (see handOver). */
function stepAside(io: MatchIo, deps: ArenaDeps, s: ArenaState): void {
  const fx = new Effects();
  handOver(s, deps, fx, io.tick);
  applyEffects(io, fx.list, s);
}

/** Applies effects and returns the callback's answer: null (stop the match) once it has ended. */
function finish(io: MatchIo, deps: ArenaDeps, s: ArenaState, effects: Effect[]): { state: State } | null {
  applyEffects(io, effects, s);
  // A checkpoint write found the match taken over by another copy: this one steps aside.
  if (io.superseded) stepAside(io, deps, s);
  return s.ended === null ? { state: keep(io, s) } : null;
}

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
  logWith(logger, 'info', 'arena match created', { matchId: ctx.matchId ?? '', mode: name, seats: state.seats.length, promised: invited !== null });
  return { state: pack(ctx.matchId ?? '', state, { ...FRESH }), tickRate: state.mode.tickRate, label: state.label };
}

function restoreInit(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, oldMatchId: string): { state: State; tickRate: number; label: string } {
  const found = readCheckpoint(nk, oldMatchId);
  if (found === null) throw new Error(`arena: no checkpoint for ${oldMatchId}`);
  const restored = restoreCheckpoint(found.value, Date.now(), checkpointMaxAgeSec(ctx) * 1000, arena.game);
  if (!restored.ok) throw new Error(`arena: checkpoint of ${oldMatchId} not restorable: ${restored.reason}`);
  const s = restored.state;
  logWith(logger, 'info', 'arena match restored', { matchId: ctx.matchId ?? '', from: oldMatchId, mode: s.mode.name });
  // It acts only once the restore that created it has committed (ownership.ts).
  const own: Ownership = { ...FRESH, confirming: oldMatchId };
  return { state: pack(ctx.matchId ?? '', s, own), tickRate: s.mode.tickRate, label: s.label };
}

function arenaJoinAttempt(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  presence: nkruntime.Presence,
  metadata: { [key: string]: any },
): { state: State; accept: boolean; rejectMessage?: string } | null {
  const started = Date.now();
  try {
    const live = liveOf(ctx.matchId ?? '', state);
    const io = matchIo(ctx, logger, nk, dispatcher, tick, live);
    const s = live.state;
    const deps = depsOf(arena, nk);
    const st = check(io, deps, s);
    if (s.ended !== null) return null;
    const fx = new Effects();
    const decision = joinAttempt(s, deps, fx, presence, metadata, tick, st === 'hold');
    applyEffects(io, fx.list, s);
    // How long the server took over a rejoin attempt (a join presenting a token).
    if (typeof metadata?.token === 'string') timeSeconds(nk, 'rejoin_attempt', { mode: s.mode.name, outcome: decision.accept ? 'accepted' : decision.reason }, (Date.now() - started) / 1000);
    if (decision.accept) return { state: keep(io, s), accept: true };
    logWith(logger, 'info', 'join refused', { matchId: ctx.matchId ?? '', userId: presence.userId, reason: decision.reason, detail: decision.detail });
    return { state: keep(io, s), accept: false, rejectMessage: decision.reason };
  } catch (err) {
    logWith(logger, 'error', 'join attempt failed', { matchId: ctx.matchId ?? '', userId: presence.userId, error: errorText(err) });
    return { state, accept: false, rejectMessage: RejectReason.SEAT_LOST };
  }
}

/**
 * Runs `each` for every presence on the live state, catching per presence so one
 * bad presence never stops the match or the others.
 */
function perPresence(
  arena: Arena,
  what: string,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  presences: nkruntime.Presence[],
  each: (s: ArenaState, deps: ArenaDeps, fx: Effects, p: nkruntime.Presence) => void,
): { state: State } | null {
  const live = liveOf(ctx.matchId ?? '', state);
  const io = matchIo(ctx, logger, nk, dispatcher, tick, live);
  const s = live.state;
  const deps = depsOf(arena, nk);
  for (let i = 0; i < presences.length; i++) {
    const p = presences[i];
    try {
      const fx = new Effects();
      each(s, deps, fx, p);
      applyEffects(io, fx.list, s);
    } catch (err) {
      logWith(logger, 'error', `${what} failed`, { matchId: ctx.matchId ?? '', userId: p.userId, error: errorText(err) });
    }
  }
  return finish(io, deps, s, []);
}

function arenaJoin(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  presences: nkruntime.Presence[],
): { state: State } | null {
  return perPresence(arena, 'join', ctx, logger, nk, dispatcher, tick, state, presences, (s, deps, fx, p) => join(s, deps, fx, p, tick));
}

function arenaLeave(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  presences: nkruntime.Presence[],
): { state: State } | null {
  // Only an explicit leave is consent; a drop is a disconnect or an unknown reason. The server
  // boxes the reason: a `switch` or `===` on it without Number() never matches.
  return perPresence(arena, 'leave', ctx, logger, nk, dispatcher, tick, state, presences, (s, deps, fx, p) => leave(s, deps, fx, { ...ref(p), consented: Number(p.reason) === PresenceReason.LEAVE }, tick));
}

function decode(nk: nkruntime.Nakama, data: ArrayBuffer | null | undefined): string | null {
  if (data === null || data === undefined) return '';
  try {
    return nk.binaryToString(data);
  } catch {
    return null;
  }
}

function arenaLoop(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  messages: nkruntime.MatchMessage[],
): { state: State } | null {
  // Most ticks of most matches: answered before anything else is set up.
  if (isQuiet(state, tick, messages.length)) return { state };
  return arenaTick(arena, ctx, logger, nk, dispatcher, tick, state, messages);
}

/** A loop tick with input, or with something due. */
function arenaTick(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  messages: nkruntime.MatchMessage[],
): { state: State } | null {
  const live = liveOf(ctx.matchId ?? '', state);
  const sc = scratchOf(live, ctx, logger, nk, dispatcher, tick);
  const io = sc.io;
  const s = live.state;
  const deps = depsOf(arena, nk);
  const st = s.ended === null ? check(io, deps, s) : 'act';
  if (s.ended !== null) return null;
  // One list of effects for the whole loop (emptied by scratchOf), applied and emptied after each step.
  const fx = sc.fx;
  // Grace, claims and the label brought up to this tick once, before the messages are read;
  // before dueTick there is nothing to bring up (the last callback settled and scheduled).
  if (messages.length > 0 && isDue(s, tick)) {
    settle(s, deps, fx, tick);
    applyEffects(io, fx.list, s);
  }
  // One Incoming, refilled for each message: the core keeps none of it past the message.
  const incoming: Incoming = sc.incoming;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    fx.clear();
    try {
      // The sender is read once (the server builds a new object for every read of it) and passed
      // on as it is: its fields are a PresenceRef's.
      incoming.sender = m.sender;
      incoming.opCode = Number(m.opCode);
      incoming.data = decode(nk, m.data);
      handleMessage(s, deps, fx, incoming, tick, st === 'hold');
      applyEffects(io, fx.list, s);
    } catch (err) {
      logWith(logger, 'error', 'message failed', { matchId: ctx.matchId ?? '', userId: m.sender?.userId ?? '', op: Number(m.opCode), error: errorText(err) });
    }
  }
  // Holding, the clock stands still too: nothing changes until the copy knows it is the one.
  if (st === 'hold') return { state: keep(io, s) };
  try {
    fx.clear();
    tickClock(s, deps, fx, tick);
    return finish(io, deps, s, fx.list);
  } catch (err) {
    logWith(logger, 'error', 'tick failed', { matchId: ctx.matchId ?? '', tick: tick, error: errorText(err) });
    return { state: keep(io, s) };
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
function arenaTerminate(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  graceSeconds: number,
): { state: State } | null {
  const live = liveOf(ctx.matchId ?? '', state);
  const io = matchIo(ctx, logger, nk, dispatcher, tick, live);
  const s = live.state;
  // The server insists on an object with `state` here (null is an error that closes every
  // participant's socket); with a grace period it keeps running the match until that ends.
  if (s.ended !== null || s.stopping !== null || !anyoneHolds(s) || io.own.confirming !== null) return { state: keep(io, s) };
  const w = writeCheckpoint(nk, s, ctx.matchId ?? '', tick, true, io.own.lease);
  if (w.kind === 'written') {
    io.own.lease = w.lease;
    logWith(logger, 'info', 'arena match checkpointed for shutdown', { matchId: ctx.matchId ?? '', tick: tick, graceSeconds: graceSeconds });
    const fx = new Effects();
    freezeForShutdown(s, depsOf(arena, nk), fx, tick);
    applyEffects(io, fx.list, s);
    return { state: keep(io, s) };
  }
  if (w.kind === 'superseded') {
    stepAside(io, depsOf(arena, nk), s);
    return { state: keep(io, s) };
  }
  logWith(logger, 'error', 'shutdown checkpoint failed', { matchId: ctx.matchId ?? '', error: errorText(w.error) });
  try {
    const fx = new Effects();
    endMatch(s, depsOf(arena, nk), fx, EndReason.SHUTDOWN, tick);
    applyEffects(io, fx.list, s);
  } catch (err) {
    logWith(logger, 'error', 'terminate failed', { matchId: ctx.matchId ?? '', error: errorText(err) });
  }
  return { state: keep(io, s) };
}

/**
 * Signals from the module's own RPCs: `reissue` hands a signed-in user a fresh token for the seat
 * it holds (session_resume); `supersede` ends a restored copy that lost the race to be the one;
 * `seats`, `release` and `end` are an operator's (admin-rpcs.ts).
 * The answer is JSON; a signal never stops the match.
 */
function arenaSignal(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
  data: string,
): { state: State; data?: string } | null {
  try {
    const live = liveOf(ctx.matchId ?? '', state);
    const io = matchIo(ctx, logger, nk, dispatcher, tick, live);
    const s = live.state;
    const msg = decodeSignal(data);
    if (msg?.op === 'reissue') {
      if (s.ended !== null) return { state, data: encodeSignalAnswer({ ok: false, reason: s.ended.reason === EndReason.MOVED ? 'moved' : 'ended' }) };
      const st = check(io, depsOf(arena, nk), s);
      if (s.ended !== null) return { state: keep(io, s), data: encodeSignalAnswer({ ok: false, reason: 'moved' }) };
      const fx = new Effects();
      const answer = reissueToken(s, depsOf(arena, nk), fx, msg.userId, tick, st === 'hold');
      applyEffects(io, fx.list, s);
      return { state: keep(io, s), data: encodeSignalAnswer(answer) };
    }
    if (msg?.op === 'supersede') {
      supersede(s, depsOf(arena, nk), new Effects(), tick);
      return { state: keep(io, s), data: encodeSignalAnswer({ ok: true }) };
    }
    if (msg?.op === 'seats' || msg?.op === 'release' || msg?.op === 'end') {
      const deps = depsOf(arena, nk);
      const fx = new Effects();
      const answer = msg.op === 'seats' ? adminSeats(s, deps, fx, tick) : msg.op === 'release' ? adminRelease(s, deps, fx, msg.seat, tick) : adminEnd(s, deps, fx, msg.note, tick);
      applyEffects(io, fx.list, s);
      // An ended match stops at its next loop, which finds `ended` in the state.
      return { state: keep(io, s), data: encodeSignalAnswer(answer) };
    }
    return { state, data: encodeSignalAnswer({ ok: false, reason: 'unknown_signal' }) };
  } catch (err) {
    logWith(logger, 'error', 'signal failed', { matchId: ctx.matchId ?? '', error: errorText(err) });
    return { state, data: encodeSignalAnswer({ ok: false, reason: 'error' }) };
  }
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
    matchJoinAttempt: (ctx, logger, nk, dispatcher, tick, state, presence, metadata) => arenaJoinAttempt(arena, ctx, logger, nk, dispatcher, tick, state, presence, metadata),
    matchJoin: (ctx, logger, nk, dispatcher, tick, state, presences) => arenaJoin(arena, ctx, logger, nk, dispatcher, tick, state, presences),
    matchLeave: (ctx, logger, nk, dispatcher, tick, state, presences) => arenaLeave(arena, ctx, logger, nk, dispatcher, tick, state, presences),
    matchLoop: (ctx, logger, nk, dispatcher, tick, state, messages) => arenaLoop(arena, ctx, logger, nk, dispatcher, tick, state, messages),
    matchTerminate: (ctx, logger, nk, dispatcher, tick, state, graceSeconds) => arenaTerminate(arena, ctx, logger, nk, dispatcher, tick, state, graceSeconds),
    matchSignal: (ctx, logger, nk, dispatcher, tick, state, data) => arenaSignal(arena, ctx, logger, nk, dispatcher, tick, state, data),
  };
}
