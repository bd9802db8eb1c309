// A tiny driver for the arena core in tests: deterministic tokens, presences by name, and the
// effects of each call gathered for assertions. No server, no mocks: the core is pure.
import { createHash, randomBytes } from 'node:crypto';
import {
  freezeForShutdown,
  handleMessage,
  handleMessages,
  initArena,
  isDue,
  reissueToken,
  settle,
  supersede,
  join,
  joinAttempt,
  leave,
  tickClock,
  type ArenaDeps,
  type ArenaState,
  type AttemptDecision,
} from '../../src/core/arena';
import { demoGame } from '../../src/core/demo-game';
import { Effects, type Effect, type PresenceRef } from '../../src/core/arena/effects';
import type { GameRules } from '../../src/core/game';
import { parseModeTable, type ModeConfig } from '../../src/core/modes';
import { OpCode, type ReissueAnswer } from '../../src/protocol';

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function testMode(over: Partial<ModeConfig> = {}): ModeConfig {
  const base = parseModeTable(JSON.stringify({ t: { seats: 2, tickRate: 10, graceSec: 3, roundSec: 600 } })).t;
  return { ...base, ...over };
}

export class World {
  readonly state: ArenaState;
  readonly deps: ArenaDeps;
  tick = 0;
  /** Tick of the last callback run (the server runs matchLoop at t, then moves the clock to t+1). */
  lastCallbackTick = 0;
  private tokenCounter = 0;
  private readonly tokenPrefix: string;
  private sessionCounter = 0;
  /** Every effect produced, in order. */
  readonly effects: Effect[] = [];

  /** `tokenPrefix` makes two worlds hand out the same tokens (by default each has its own). */
  constructor(mode: ModeConfig = testMode(), invited: string[] | null = null, tokenPrefix = randomBytes(16).toString('hex'), game: GameRules<any> = demoGame) {
    this.tokenPrefix = tokenPrefix;
    this.deps = {
      tokens: {
        // Unique across worlds (two matches never share a token), readable within one.
        newToken: () => this.tokenPrefix + (++this.tokenCounter).toString(16).padStart(32, '0'),
        hash: sha256,
      },
      game,
    };
    this.state = initArena(mode, game, invited);
  }

  presence(userId: string): PresenceRef {
    return { userId, sessionId: `s${++this.sessionCounter}-${userId}`, username: userId, node: 'n1' };
  }

  private keep(fx: Effects): Effect[] {
    this.effects.push(...fx.list);
    return fx.list;
  }

  attempt(p: PresenceRef, metadata: unknown = {}): AttemptDecision {
    this.lastCallbackTick = this.tick;
    const fx = new Effects();
    const decision = joinAttempt(this.state, this.deps, fx, p, metadata, this.tick);
    this.keep(fx);
    return decision;
  }

  joined(p: PresenceRef): Effect[] {
    this.lastCallbackTick = this.tick;
    const fx = new Effects();
    join(this.state, this.deps, fx, p, this.tick);
    return this.keep(fx);
  }

  /** Attempt and, if accepted, join; returns the new token from the SNAPSHOT (or the refusal). */
  enter(userId: string, token?: string): { p: PresenceRef; decision: AttemptDecision; token: string | null; fx: Effect[] } {
    const p = this.presence(userId);
    const decision = this.attempt(p, token === undefined ? {} : { token });
    if (!decision.accept) return { p, decision, token: null, fx: [] };
    const fx = this.joined(p);
    const snap = sentTo(fx, p, OpCode.SNAPSHOT)[0] as { token: string } | undefined;
    return { p, decision, token: snap?.token ?? null, fx };
  }

  /** The presence leaves: a `drop` (socket gone) or a consented `leave`. */
  leave(p: PresenceRef, how: 'drop' | 'leave'): Effect[] {
    this.lastCallbackTick = this.tick;
    const fx = new Effects();
    leave(this.state, this.deps, fx, { ...p, consented: how === 'leave' }, this.tick);
    return this.keep(fx);
  }

  send(p: PresenceRef, opCode: number, body: unknown): Effect[] {
    const data = typeof body === 'string' ? body : JSON.stringify(body);
    this.lastCallbackTick = this.tick;
    const fx = new Effects();
    handleMessages(this.state, this.deps, fx, [{ sender: p, opCode, data }], this.tick);
    return this.keep(fx);
  }

  /** session_resume asks the match for a fresh token for `userId`'s seat, at `tick` (default now). */
  reissue(userId: string, tick = this.tick): ReissueAnswer {
    const fx = new Effects();
    const answer = reissueToken(this.state, this.deps, fx, userId, tick);
    this.keep(fx);
    return answer;
  }

  /** A graceful shutdown freezes the match (its checkpoint written). */
  freeze(): Effect[] {
    const fx = new Effects();
    freezeForShutdown(this.state, this.deps, fx, this.tick);
    return this.keep(fx);
  }

  /** The match loses the race to be the one restored copy. */
  supersede(): Effect[] {
    const fx = new Effects();
    supersede(this.state, this.deps, fx, this.tick);
    return this.keep(fx);
  }

  /**
   * One loop tick with input, as arenaLoop runs it: settle only if something is due, each
   * message on its own, then the clock; then the tick advances.
   */
  loop(messages: { p: PresenceRef; opCode: number; body: unknown }[]): Effect[] {
    const fx = new Effects();
    if (isDue(this.state, this.tick)) settle(this.state, this.deps, fx, this.tick);
    for (const m of messages) handleMessage(this.state, this.deps, fx, { sender: m.p, opCode: m.opCode, data: JSON.stringify(m.body) }, this.tick);
    tickClock(this.state, this.deps, fx, this.tick);
    this.lastCallbackTick = this.tick;
    this.tick += 1;
    return this.keep(fx);
  }

  /**
   * Runs the clock for the current tick, then advances it, as the server's loop does. `settleAll`
   * settles first on every tick, due or not: the reference the sleeping loop is checked against.
   */
  step(n = 1, settleAll = false): Effect[] {
    const out: Effect[] = [];
    for (let i = 0; i < n; i++) {
      const fx = new Effects();
      if (settleAll) settle(this.state, this.deps, fx, this.tick, false);
      tickClock(this.state, this.deps, fx, this.tick);
      this.lastCallbackTick = this.tick;
      out.push(...this.keep(fx));
      this.tick += 1;
    }
    return out;
  }

  /**
   * As the server's loop with the adapter in front: a tick with no input before `dueTick` is
   * skipped without calling the core, as arenaLoop does.
   */
  stepQuietly(n = 1): Effect[] {
    const out: Effect[] = [];
    for (let i = 0; i < n; i++) {
      if (this.state.ended !== null || this.tick >= this.state.dueTick) out.push(...this.step(1));
      else this.tick += 1;
    }
    return out;
  }

  /** Every broadcast seq, in order. */
  seqs(): number[] {
    const seen = new Set<number>();
    const out: number[] = [];
    for (const e of this.effects) {
      if (e.type !== 'send') continue;
      const seq = (JSON.parse(e.data) as { seq?: number }).seq;
      if (typeof seq === 'number' && (e.op === OpCode.SEAT || e.op === OpCode.EVENT || e.op === OpCode.END) && !seen.has(seq)) {
        seen.add(seq);
        out.push(seq);
      }
    }
    return out;
  }
}

/** Payloads of messages with `op` sent to `p` among `effects`. */
export function sentTo(effects: Effect[], p: PresenceRef, op: number): any[] {
  return effects.filter((e) => e.type === 'send' && e.op === op && e.to.some((t) => t.sessionId === p.sessionId)).map((e) => JSON.parse((e as { data: string }).data));
}

export function ofType<T extends Effect['type']>(effects: Effect[], type: T): Extract<Effect, { type: T }>[] {
  return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

export function sends(effects: Effect[], op: number): any[] {
  return effects.filter((e) => e.type === 'send' && e.op === op).map((e) => JSON.parse((e as { data: string }).data));
}
