// One soak player: a RejoinClient (the project's client library on nakama-js) whose every
// connection, RPCs and match socket alike, goes through fault proxies of its own, one per node.
// Match sockets go to the node the match id names; RPCs to any node, moving on when one fails or
// says the match runs `elsewhere`, as a client behind a load balancer that routes by node does,
// and the client library follows `elsewhere` itself through a node resolver.
// It records what it sends and sees (ledger.ts) and carries out the faults aimed at it.
import { Client, type Session } from '@heroiclabs/nakama-js';
import { MemoryTokenStore, RejoinClient } from '../../client';
import { OpCode, type AckMessage, type SnapshotMessage } from '../../src/protocol';
import { FaultProxy } from '../../tools/fault-proxy';
import { nodeOf, type SoakNode } from './cluster';
import { newStint, recordAck, recordSent, recordSnapshot } from './ledger';
import { int, type Random } from './prng';
import type { ActionRecord, CopyEvent, EndKind, Stint, Violation } from './records';
import type { Fault } from './schedule';

const SERVER_KEY = process.env.NAKAMA_SERVER_KEY ?? 'defaultkey';
const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How the player's client library is tuned (the bound on getting back in follows from these). */
export const CLIENT = { heartbeatMs: 2000, connectTimeoutMs: 3000, joinTimeoutMs: 6000, rpcTimeoutMs: 7000, backoff: { baseMs: 250, maxMs: 2000 } };

export interface BotHooks {
  violation(v: Violation): void;
  copyEvent(e: CopyEvent): void;
  /** Actions a copy processed that its successor does not hold. */
  lost(stint: Stint, actions: ActionRecord[], from: string): void;
  stintEnded(stint: Stint): void;
  reconnecting(bot: number, at: number): void;
  back(bot: number, at: number): void;
  /** The player is out of any match and wants one. */
  toLobby(bot: Bot): void;
  note(kind: string): void;
  /** Whether at some moment between `from` and `to` no node could serve a match (checker.ts). */
  clusterDown(from: number, to: number): boolean;
}

type Phase = 'lobby' | 'joining' | 'playing' | 'away';

export class Bot {
  phase: Phase = 'lobby';
  rc: RejoinClient | null = null;
  stint: Stint | null = null;
  /** Since when it is without a connection to its match (null: connected, or not in one). */
  downSince: number | null = null;
  /** Until when its own faults keep it from coming back. */
  affectedUntil = 0;
  strandedReported = false;
  acked = 0;
  private proxies = new Map<string, FaultProxy>();
  private sockets = new Map<string, Client>();
  private http!: Client;
  private rpcNode: string;
  private session!: Session;
  private readonly customId: string;
  private nextActionAt = 0;
  private appRestartPending = false;
  private longHoleUntil = 0;
  private nextStintId: () => number;

  constructor(
    readonly id: number,
    private readonly nodes: readonly SoakNode[],
    private readonly random: Random,
    private readonly hooks: BotHooks,
    runTag: string,
    stintIds: () => number,
  ) {
    this.customId = `soak-${runTag}-${id}`;
    this.rpcNode = nodes[id % nodes.length].name;
    this.nextStintId = stintIds;
  }

  async start(): Promise<void> {
    for (const n of this.nodes) {
      const proxy = await FaultProxy.start({ host: '127.0.0.1', port: n.port });
      this.proxies.set(n.name, proxy);
      this.sockets.set(n.name, new Client(SERVER_KEY, '127.0.0.1', String(proxy.port), false, CLIENT.rpcTimeoutMs));
    }
    this.http = new Client(SERVER_KEY, '127.0.0.1', '0', false, CLIENT.rpcTimeoutMs);
    // RPCs follow the node the player currently asks (a load balancer's choice), decided per call.
    Object.defineProperty((this.http as unknown as { apiClient: object }).apiClient, 'basePath', { get: () => `http://127.0.0.1:${this.proxies.get(this.rpcTarget())!.port}` });
    // Hundreds of first logins at once may meet a busy database: try again a few times.
    for (let attempt = 0; ; attempt++) {
      try {
        this.session = await this.http.authenticateCustom(this.customId, true);
        return;
      } catch (err) {
        if (attempt >= 5) throw new Error(`player ${this.id} could not sign in: ${(err as { status?: number })?.status ?? err}`);
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  async stop(): Promise<void> {
    this.rc?.close();
    for (const p of this.proxies.values()) await p.close();
  }

  private upNode(prefer: string | null): string {
    const n = this.nodes.find((x) => x.name === prefer);
    if (n?.up) return n.name;
    const up = this.nodes.filter((x) => x.up);
    return (up.length ? up[this.id % up.length] : this.nodes[0]).name;
  }

  private rpcTarget(): string {
    return this.upNode(this.rpcNode);
  }

  /** Another node for the next RPC, after one failed. */
  private rotateRpc(): void {
    const i = this.nodes.findIndex((n) => n.name === this.rpcNode);
    this.rpcNode = this.nodes[(i + 1) % this.nodes.length].name;
  }

  private makeClient(session: Session): RejoinClient {
    const bot = this;
    const rc = new RejoinClient({
      client: this.http,
      session,
      reauthenticate: () => this.http.authenticateCustom(this.customId, true),
      store: new MemoryTokenStore(),
      heartbeatMs: CLIENT.heartbeatMs,
      connectTimeoutMs: CLIENT.connectTimeoutMs,
      joinTimeoutMs: CLIENT.joinTimeoutMs,
      backoff: CLIENT.backoff,
      refreshMarginSec: 10,
      // Told `elsewhere`, the client follows the match to the node named, through this player's
      // proxy for it, as docs/deployment.md tells a multi-node game to configure it.
      nodeResolver: (node) => {
        const proxy = this.proxies.get(node);
        return proxy ? { host: '127.0.0.1', port: proxy.port } : null;
      },
      // The match socket goes to the match's node (or, while that one is down, to any node,
      // which answers `match_not_found` and sends the client to session_resume).
      get socketClient() {
        return bot.sockets.get(bot.upNode(nodeOf(bot.rc?.matchId) ?? bot.rpcNode))!;
      },
      log: (message, fields) => this.onLog(message, fields ?? {}),
    });
    rc.on('snapshot', (s) => rc === this.rc && this.onSnapshot(rc, s));
    rc.on('ack', (a) => rc === this.rc && this.onAck(rc, a));
    rc.on('connected', (e) => {
      if (rc !== this.rc) return;
      this.rpcNode = nodeOf(e.matchId) ?? this.rpcNode;
      if (this.downSince !== null) this.hooks.back(this.id, Date.now());
      this.downSince = null;
      this.strandedReported = false;
    });
    rc.on('reconnecting', (e) => {
      if (rc !== this.rc) return;
      if (e.attempt === 1) {
        this.downSince ??= Date.now();
        this.hooks.reconnecting(this.id, Date.now());
      }
    });
    rc.on('seatLost', (e) => rc === this.rc && this.endStint('seatLost', e.reason));
    rc.on('ended', (e) => rc === this.rc && this.endStint('ended', e.reason, e.result, e.matchId));
    rc.on('error', (e) => rc === this.rc && this.hooks.note(`error:${e.code}`));
    return rc;
  }

  /** The client's last log lines, for the detail of a violation about this player. */
  private readonly trail: string[] = [];

  /** The client's last log lines, oldest first, each with its time in ms. */
  recentLog(): string {
    return this.trail.join(' | ');
  }

  private onLog(message: string, fields: Record<string, unknown>): void {
    this.trail.push(`${Date.now()} ${message} ${Object.entries(fields).filter(([k]) => k !== 'matchId').map(([k, v]) => `${k}=${String(v).slice(0, 60)}`).join(' ')}`);
    if (this.trail.length > 16) this.trail.shift();
    if (message === 'match runs on another node' && typeof fields.node === 'string' && this.nodes.some((n) => n.name === fields.node)) this.rpcNode = fields.node;
    else if (message === 'session_resume failed') this.rotateRpc();
  }

  private onSnapshot(rc: RejoinClient, s: SnapshotMessage): void {
    const copy = rc.matchId as string;
    const at = Date.now();
    const score = (s.game as { seats: { score: number }[] }).seats[s.you.seat]?.score ?? Number.NaN;
    if (!this.stint) this.stint = newStint(this.nextStintId(), this.id, s.you.userId, copy, s.you.seat, '', at);
    const stint = this.stint;
    if (s.you.seat !== stint.seat) this.hooks.violation({ kind: 'seat_changed', at, bot: this.id, lineage: stint.lineage, detail: `seat ${stint.seat} became ${s.you.seat} on ${copy}` });
    const prevCopy = stint.snapshots[stint.snapshots.length - 1]?.copy ?? copy;
    const { violations, lost } = recordSnapshot(stint, { at, copy, lastActionSeq: s.lastActionSeq, score, appRestart: this.appRestartPending });
    this.appRestartPending = false;
    for (const v of violations) this.hooks.violation(v);
    if (lost.length) this.hooks.lost(stint, lost, prevCopy);
    this.hooks.copyEvent({ lineage: stint.lineage, copy, at, what: 'snapshot', bot: this.id });
  }

  private onAck(rc: RejoinClient, a: AckMessage): void {
    const stint = this.stint;
    if (!stint) return;
    const copy = rc.matchId as string;
    const at = Date.now();
    const before = stint.actions.get(a.actionSeq)?.processedOn ?? null;
    for (const v of recordAck(stint, a.actionSeq, a.result, copy, at, before !== null)) this.hooks.violation(v);
    if (a.result === 'applied') {
      this.acked++;
      this.hooks.copyEvent({ lineage: stint.lineage, copy, at, what: 'applied', bot: this.id });
    }
  }

  private endStint(kind: EndKind, reason: string, result?: unknown, copy?: string): void {
    const stint = this.stint;
    this.stint = null;
    this.downSince = null;
    if (stint) {
      const at = Date.now();
      stint.end = { at, kind, reason, result, copy };
      if (kind === 'seatLost' && !this.seatLossExcused(stint, at)) {
        this.hooks.violation({ kind: 'seat_lost_inside_grace', at, bot: this.id, lineage: stint.lineage, detail: `seat ${stint.seat} lost (${reason}) with no fault that outlasts the grace window; client log: ${this.recentLog()}` });
      }
      this.hooks.stintEnded(stint);
    }
    if (this.phase === 'playing') {
      this.phase = 'away';
      void sleep(int(this.random, 200, 2000)).then(() => this.goLobby());
    }
  }

  /**
   * A seat may be lost only to a black hole longer than the grace window, in this stint and
   * ended at most 30 s before the loss is seen (the client hears of it once it gets through again),
   * or to a moment in that time when no node could serve the match (counted apart).
   */
  private seatLossExcused(stint: Stint, at: number): boolean {
    const since = Math.max(at - 30_000, stint.startedAt);
    if (this.longHoleUntil >= since) return true;
    if (!this.hooks.clusterDown(since, at)) return false;
    this.hooks.note('seat_lost_to_cluster_outage');
    return true;
  }

  private goLobby(): void {
    if (this.phase === 'lobby' || this.phase === 'joining') return;
    this.phase = 'lobby';
    this.hooks.toLobby(this);
  }

  /** Called by the runner about every 100 ms: sends the next action when it is due. */
  play(now: number, sending: boolean): void {
    if (!sending || this.phase !== 'playing' || !this.rc || !this.stint || now < this.nextActionAt) return;
    if (this.rc.state !== 'live' && this.rc.state !== 'reconnecting') return;
    this.nextActionAt = now + int(this.random, 400, 1600);
    const add = this.random() < 0.85;
    const body = add ? { type: 'add', amount: int(this.random, 1, 10) } : { type: 'move', dx: int(this.random, -1, 1), dy: int(this.random, -1, 1) };
    const seq = this.rc.sendAction(body);
    for (const v of recordSent(this.stint, seq, add ? 'add' : 'move', add ? (body.amount as number) : 0, now)) this.hooks.violation(v);
  }

  // ---- joining ----------------------------------------------------------------------------

  async createMatch(mode: string, node: string): Promise<string> {
    this.rpcNode = node;
    const rc = (this.rc ??= this.makeClient(this.session));
    this.session = rc.session.isexpired(Date.now() / 1000 + 10) ? await this.http.sessionRefresh(rc.session) : rc.session;
    const r = await this.http.rpc(this.session, 'match_create', { mode });
    return (r.payload as { matchId: string }).matchId;
  }

  async join(matchId: string, mode: string): Promise<boolean> {
    this.phase = 'joining';
    if (!this.rc || this.rc.state === 'closed') this.rc = this.makeClient(this.rc?.session ?? this.session);
    try {
      await this.rc.joinMatch(matchId);
      if (this.stint) this.stint.mode = mode;
      this.phase = 'playing';
      this.nextActionAt = Date.now() + int(this.random, 0, 1000);
      return true;
    } catch {
      this.phase = 'lobby';
      return false;
    }
  }

  // ---- faults -----------------------------------------------------------------------------

  /** Carries out a fault aimed at this player; answers whether it applied (a player out of a match skips most). */
  async apply(f: Fault): Promise<boolean> {
    const all = [...this.proxies.values()];
    const until = Date.now() + f.ms;
    const heal = (fn: () => void) => void sleep(f.ms).then(fn);
    switch (f.kind) {
      case 'cut':
        for (const p of all) p.cutAll();
        this.affectedUntil = Math.max(this.affectedUntil, Date.now());
        return true;
      case 'blackhole':
      case 'long_blackhole':
        for (const p of all) p.blackhole({ newConnections: true });
        this.affectedUntil = Math.max(this.affectedUntil, until);
        if (f.kind === 'long_blackhole') this.longHoleUntil = until;
        heal(() => all.forEach((p) => p.heal()));
        return true;
      case 'latency':
        for (const p of all) p.setLatency(f.value);
        this.affectedUntil = Math.max(this.affectedUntil, until + f.value);
        heal(() => all.forEach((p) => p.setLatency(0)));
        return true;
      case 'jitter':
        for (const p of all) p.setJitter(f.value, this.random);
        this.affectedUntil = Math.max(this.affectedUntil, until + f.value);
        heal(() => all.forEach((p) => p.setJitter(0)));
        return true;
      case 'half_open':
        for (const p of all) p.halfOpen(f.value === 0 ? 'up' : 'down');
        this.affectedUntil = Math.max(this.affectedUntil, until);
        heal(() => all.forEach((p) => p.heal()));
        return true;
      case 'app_restart':
      case 'expired_login':
        return this.appRestart(f);
      case 'resume_burst':
        return this.resumeBurst(f.value);
      case 'duplicate_action':
      case 'replay_action':
        return this.resend(f.value, f.kind === 'replay_action');
      case 'leave':
      case 'quit':
        return this.leave(f);
      default:
        return false;
    }
  }

  /** The app is killed and started again: token and memory gone, the login kept (or revoked). */
  private async appRestart(f: Fault): Promise<boolean> {
    const old = this.rc;
    if (this.phase !== 'playing' || !old || !this.stint) return false;
    this.phase = 'away';
    this.downSince ??= Date.now();
    this.affectedUntil = Math.max(this.affectedUntil, Date.now() + f.ms);
    let session = old.session;
    this.rc = null;
    old.close();
    if (f.kind === 'expired_login') {
      // The server no longer takes this login nor its refresh token: the app must sign in again.
      await this.http.sessionLogout(session, session.token, session.refresh_token).catch(() => undefined);
    }
    await sleep(f.ms);
    const rc = this.makeClient(session);
    this.rc = rc;
    this.appRestartPending = true;
    this.phase = 'playing';
    const giveUp = Date.now() + 60_000;
    while (this.rc === rc && this.stint && Date.now() < giveUp) {
      try {
        const out = await rc.resume();
        if (out.status === 'active' || out.status === 'ended') return true;
        if (out.status === 'elsewhere') {
          if (this.nodes.some((n) => n.name === out.node)) this.rpcNode = out.node;
        } else {
          // The seat is gone: right if a long black hole outlasted its grace window (the client
          // may not have heard of it yet), else it was lost inside the window.
          if (!this.seatLossExcused(this.stint, Date.now())) this.hooks.violation({ kind: 'seat_gone_after_restart', at: Date.now(), bot: this.id, lineage: this.stint.lineage, detail: `session_resume answered none ${Date.now() - (this.downSince ?? Date.now())} ms after the app stopped; client log: ${this.recentLog()}` });
          this.endStint('gone', 'resume_none');
          return true;
        }
      } catch {
        this.rotateRpc();
      }
      session = rc.session;
      await sleep(500);
    }
    return true;
  }

  private async resumeBurst(count: number): Promise<boolean> {
    if (this.phase !== 'playing' || this.rc?.state !== 'live') return false;
    const session = this.rc.session;
    const answers = await Promise.all(Array.from({ length: count }, () => this.http.rpc(session, 'session_resume', {}).then((r) => (r.payload as { status: string }).status, (e: { status?: number }) => `http_${e?.status ?? 'error'}`)));
    for (const a of answers) this.hooks.note(`resume_burst:${a}`);
    return true;
  }

  /** Sends actions the server already processed again, as they were (duplicate) or changed (replay). */
  private resend(count: number, replay: boolean): boolean {
    const rc = this.rc;
    const stint = this.stint;
    if (this.phase !== 'playing' || rc?.state !== 'live' || !stint || !rc.socket) return false;
    const done = [...stint.actions.values()].filter((a) => a.processedOn === rc.matchId && !a.lost);
    if (!done.length) return false;
    for (let i = 0; i < count; i++) {
      const a = done[int(this.random, 0, done.length - 1)];
      const body = a.type === 'add' ? { type: 'add', amount: replay ? (a.amount % 10) + 1 : a.amount } : { type: 'move', dx: 0, dy: 0 };
      void rc.socket.sendMatchState(rc.matchId as string, OpCode.ACTION, enc.encode(JSON.stringify({ ...body, actionSeq: a.seq }))).catch(() => undefined);
    }
    return true;
  }

  /** Stops playing, lets its actions be acknowledged, checks its score, then quits or leaves. */
  private async leave(f: Fault): Promise<boolean> {
    const rc = this.rc;
    if (this.phase !== 'playing' || rc?.state !== 'live' || !this.stint) return false;
    this.phase = 'away';
    await this.settle(3000);
    if (rc !== this.rc || !this.stint) return true;
    if (f.kind === 'quit') await rc.quit();
    else {
      await rc.socket?.leaveMatch(rc.matchId as string).catch(() => undefined);
      rc.close();
    }
    this.endStint(f.kind === 'quit' ? 'quit' : 'left', f.kind);
    await sleep(f.ms);
    this.goLobby();
    return true;
  }

  /** Waits until every action is acknowledged, then asks for a SNAPSHOT (which the ledger checks). */
  async settle(ms: number): Promise<boolean> {
    const rc = this.rc;
    const until = Date.now() + ms;
    while (rc && rc === this.rc && Date.now() < until && (rc.state !== 'live' || rc.unacknowledged.length > 0)) await sleep(100);
    if (!rc || rc !== this.rc || rc.state !== 'live' || rc.unacknowledged.length > 0) return false;
    const seen = this.stint?.snapshots.length ?? 0;
    rc.resync();
    while (rc === this.rc && Date.now() < until + 3000 && (this.stint?.snapshots.length ?? 0) === seen) await sleep(50);
    return (this.stint?.snapshots.length ?? 0) > seen;
  }

  /** The run is over: the player's stint ends here whatever its state (its match is ended by the operator next). */
  get matchId(): string | null {
    return this.phase === 'playing' && this.stint ? (this.rc?.matchId ?? null) : null;
  }
}
