// Opening and closing a match callback. `openStep` finds the live state and refills the match's
// one step (io, effect list, deps, message slot) for this callback, so a handler is a few lines:
// open, run a core transition, `flush` its effects, hand the state back with `keep` or `finish`.

import { handOver, supersede } from '../../core/arena/index.js';
import { Effects } from '../../core/arena/effects.js';
import { logWith } from '../log.js';
import { applyEffects } from './apply-effects.js';
import type { MatchStep } from './match-io.js';
import { liveOf, pack } from './match-state.js';
import { serverTokens, type Arena } from './options.js';
import { standing, type Standing } from './ownership.js';

type State = nkruntime.MatchState;

/** The match id a callback runs for ('' only where the server gives none). */
export function matchIdOf(ctx: nkruntime.Context): string {
  return ctx.matchId ?? '';
}

const NO_SENDER = { userId: '', sessionId: '', username: '', node: '' };

/**
 * This callback's step over the live state the server's copy points at. Throws when there is no
 * such live state (match-state.ts): the caller decides whether that stops the match.
 */
export function openStep(
  arena: Arena,
  ctx: nkruntime.Context,
  logger: nkruntime.Logger,
  nk: nkruntime.Nakama,
  dispatcher: nkruntime.MatchDispatcher,
  tick: number,
  state: State,
): MatchStep {
  const matchId = matchIdOf(ctx);
  const live = liveOf(matchId, state);
  let step = live.step;
  if (step === null) {
    const io = { ctx, logger, nk, dispatcher, tick, matchId, own: live.own, superseded: false, sessions: new Set<string>() };
    step = { io, state: live.state, fx: new Effects(), deps: { tokens: serverTokens(nk), game: arena.game }, incoming: { sender: NO_SENDER, opCode: 0, data: null } };
    live.step = step;
    return step;
  }
  const io = step.io;
  // A match's runtime passes the same nk to every callback: the token source is built once.
  if (io.nk !== nk) step.deps = { tokens: serverTokens(nk), game: arena.game };
  io.ctx = ctx;
  io.logger = logger;
  io.nk = nk;
  io.dispatcher = dispatcher;
  io.tick = tick;
  io.matchId = matchId;
  io.own = live.own;
  io.superseded = false;
  step.state = live.state;
  step.fx.clear();
  return step;
}

/** Carries out the effects the last transition added, and empties the list for the next. */
export function flush(m: MatchStep): void {
  applyEffects(m.io, m.fx.list, m.state);
  m.fx.clear();
}

/** Hands the state back to the server: kept live in this runtime, a revision in Nakama's copy. */
export function keep(m: MatchStep): State {
  return pack(m.io.matchId, m.state, m.io.own);
}

/** This copy steps aside for the one that took the match over (see handOver). */
export function stepAside(m: MatchStep): void {
  handOver(m.state, m.deps, m.fx, m.io.tick);
  flush(m);
}

/**
 * Whether this copy may act on input now (see ownership.ts). A copy that may not act any more
 * is ended here: a superseded one tells its players to call session_resume, a restored copy that
 * lost its race ends silently.
 */
export function check(m: MatchStep): Standing {
  const st = standing(m.io, m.state);
  if (st === 'handOver') stepAside(m);
  if (st === 'discard') {
    logWith(m.io.logger, 'info', 'restored copy discarded', { matchId: m.io.matchId });
    supersede(m.state, m.deps, m.fx, m.io.tick);
    flush(m);
  }
  return st;
}

/** Applies what is left to apply and answers the server: null (stop the match) once it has ended. */
export function finish(m: MatchStep): { state: State } | null {
  flush(m);
  // A checkpoint write found the match taken over by another copy: this one steps aside.
  if (m.io.superseded) stepAside(m);
  return m.state.ended === null ? { state: keep(m) } : null;
}
