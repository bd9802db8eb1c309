// A match connection that comes back by itself. On a closed or silent socket it reconnects on a
// new one with jittered backoff inside the seat's grace window, refreshes the login first when it
// has expired (or asks the app to sign in again), rejoins with its latest token (or asks
// session_resume for a fresh one), applies the SNAPSHOT, resends exactly the actions the server
// did not process and asks for RESYNC on a gap in `seq`.
//
// This class keeps the state machine and the reconnect policy; a MatchTransport is one connection
// (socket, heartbeat, join, typed messages), Login keeps the player signed in, SeatTickets keeps
// what a rejoin needs.
//
// Never logs a token: log lines carry match, user and seat ids, attempts and reasons only.
import type { Client, MatchmakerMatched, Session, Socket } from '@heroiclabs/nakama-js';
import { EndReason, MessageError, OpCode, RejectReason, Rpc, type AckMessage, type ErrorMessage, type EventMessage, type MatchFindAnswer, type ResumeAnswer, type SeatMessage, type SnapshotMessage } from '../src/protocol.js';
import { DEFAULT_BACKOFF, giveUpAt, nextDelay, type BackoffOptions } from './backoff.js';
import { ASK_RESUME, FINAL, JoinRefused, reasonOf, redact, SessionExpired } from './errors.js';
import { Emitter } from './events.js';
import { retryIdempotent, type IdempotentOptions } from './idempotent-rpc.js';
import { Login } from './login.js';
import { MatchTransport } from './match-transport.js';
import { nodeClient as defaultNodeClient, resumeAcrossNodes, routeTo, type NodeAddress, type NodeResolver, type Route } from './node-route.js';
import { PendingActions } from './pending-actions.js';
import { SeatTickets } from './seat-tickets.js';
import { SequenceTracker } from './sequence.js';
import type { ServerMessage } from './server-message.js';
import { MemoryTokenStore, type TokenStore } from './token-store.js';

export type RejoinState = 'idle' | 'joining' | 'live' | 'reconnecting' | 'closed';

export interface RejoinEvents {
  /** In the match with a SNAPSHOT on a (new) connection. */
  connected: { matchId: string; seat: number; resumed: boolean };
  /** The connection is gone; attempt `attempt` starts shortly. `msLeft`: until the client gives up. */
  reconnecting: { matchId: string; attempt: number; msLeft: number; reason: string };
  /** Back in a seat the player already held (after a drop, an app or a server restart). */
  resumed: { matchId: string; seat: number; snapshot: SnapshotMessage };
  /** The seat is gone for good; the client has stopped. */
  seatLost: { matchId: string; reason: string };
  /** The match ended (END, or session_resume said so); the client has stopped. */
  ended: { matchId: string; reason: string; result: unknown };
  snapshot: SnapshotMessage;
  seat: SeatMessage;
  event: EventMessage;
  ack: AckMessage;
  error: ErrorMessage;
}
type Handler<K extends keyof RejoinEvents> = (payload: RejoinEvents[K]) => void;

export interface RejoinClientOptions {
  /** For RPCs and session refresh. */
  client: Client;
  session: Session;
  /** Called when the login cannot be refreshed (the refresh token expired too): sign in again. */
  reauthenticate?: () => Promise<Session>;
  /** Where the latest token and the next actionSeq are kept (default: memory). */
  store?: TokenStore;
  backoff?: BackoffOptions;
  /** Heartbeat: a connection that does not answer a ping within this long is dead (default 5000). */
  heartbeatMs?: number;
  /** How long one socket connect may take (default 5000). */
  connectTimeoutMs?: number;
  /** How long a join may take, up to its SNAPSHOT (default 10000). */
  joinTimeoutMs?: number;
  /** For a manual grace window (no deadline): stop retrying after this long (default 300000). */
  manualGiveUpMs?: number;
  /** Refresh the login when it expires within this many seconds (default 30). */
  refreshMarginSec?: number;
  /**
   * Put before every RPC id this client calls, as the game's server module registered them
   * (default none): with `cards_`, session_resume is called as `cards_session_resume`.
   */
  rpcPrefix?: string;
  /** Client used for sockets only (for example through a proxy); defaults to `client`. */
  socketClient?: Client;
  /**
   * Several open-source nodes on one database (docs/deployment.md): the address of a node by its
   * name. Told `elsewhere`, the client asks session_resume on that node and rejoins the match
   * there, on a socket to that node, with the same login. Without it (or when it returns null)
   * the client retries where it is until the match's node answers or its lease runs out.
   */
  nodeResolver?: NodeResolver;
  /** Makes the client for a resolved node (default: a nakama-js Client with `client`'s server key and timeout). */
  nodeClient?: (address: NodeAddress) => Client;
  /** Show the player as online to friends (nakama-js createStatus; default false). */
  appearOnline?: boolean;
  random?: () => number;
  now?: () => number;
  /** Log lines carry ids and reasons, never tokens. */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export type { ResumeAnswer };

export type ResumeOutcome =
  | { status: 'active'; snapshot: SnapshotMessage }
  | { status: 'none' }
  | { status: 'ended'; matchId: string; reason: string; result: unknown }
  /**
   * The seat is held in a match on another server node that the client could not reach (no
   * `nodeResolver`, or no answer there): retry later, here or on that node (docs/deployment.md).
   */
  | { status: 'elsewhere'; matchId: string; node: string };

interface Waiter {
  conn: MatchTransport;
  resolve: (s: SnapshotMessage) => void;
  reject: (e: Error) => void;
}

export class RejoinClient {
  /** The connection of the match; null between connections. */
  private conn: MatchTransport | null = null;
  private _matchId: string | null = null;
  private _seat: number | null = null;
  private _lastSnapshot: SnapshotMessage | null = null;
  private _state: RejoinState = 'idle';
  private readonly events: Emitter<RejoinEvents>;
  private readonly tickets: SeatTickets;
  private pending = new PendingActions();
  private seq = new SequenceTracker();
  private waiter: Waiter | null = null;
  /** The login, kept valid before every connect and RPC. */
  private readonly login: Login;
  /** The match handed over to another copy: the next attempt asks session_resume where it went. */
  private resumeFirst = false;
  /** The node the match runs on, once an `elsewhere` answer was followed; null: the app's own client. */
  private route: Route | null = null;
  private wake: (() => void) | null = null;
  /** Bumped by close() and every new join: work started before it is stale and stops. */
  private generation = 0;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly opts: RejoinClientOptions) {
    this.login = new Login({ client: opts.client, session: opts.session, reauthenticate: opts.reauthenticate, refreshMarginSec: opts.refreshMarginSec, rpcPrefix: opts.rpcPrefix, now: opts.now ?? Date.now, log: (m, f) => this.log(m, f) });
    this.tickets = new SeatTickets(opts.store ?? new MemoryTokenStore(), (m, f) => this.log(m, f));
    this.events = new Emitter<RejoinEvents>((event, err) => this.log('event handler threw', { event, reason: reasonOf(err) }));
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  /** The player's current login (refreshed or renewed as needed). */
  get session(): Session {
    return this.login.session;
  }

  get state(): RejoinState {
    return this._state;
  }

  /** The match the client is in, joining or rejoining; null before the first join. */
  get matchId(): string | null {
    return this._matchId;
  }

  /** The player's seat, from the last SNAPSHOT. */
  get seat(): number | null {
    return this._seat;
  }

  get lastSnapshot(): SnapshotMessage | null {
    return this._lastSnapshot;
  }

  /** The socket of the current connection (null between connections), for reading: the client owns its life. */
  get socket(): Socket | null {
    return this.conn?.socket ?? null;
  }

  /** The server node the client followed an `elsewhere` answer to; null: it talks to the app's own client. */
  get node(): string | null {
    return this.route?.node ?? null;
  }

  /** actionSeqs sent but not yet acknowledged, in order. */
  get unacknowledged(): number[] {
    return this.pending.waiting;
  }

  on<K extends keyof RejoinEvents>(event: K, handler: Handler<K>): this {
    this.events.on(event, handler);
    return this;
  }

  off<K extends keyof RejoinEvents>(event: K, handler: Handler<K>): this {
    this.events.off(event, handler);
    return this;
  }

  private emit<K extends keyof RejoinEvents>(event: K, payload: RejoinEvents[K]): void {
    this.events.emit(event, payload);
  }

  /**
   * A mutating RPC exactly once (see callIdempotent: one idempotencyKey for every retry), through
   * this client's login: refreshed before it expires, renewed after a 401, named with `rpcPrefix`.
   */
  callIdempotent<T = unknown>(rpcId: string, payload: Record<string, unknown>, opts?: IdempotentOptions): Promise<T> {
    return retryIdempotent<T>((body) => this.login.rpc<T>(rpcId, body), payload, opts);
  }

  private log(message: string, fields?: Record<string, unknown>): void {
    if (!this.opts.log) return;
    const safe: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields ?? {})) safe[k] = typeof v === 'string' ? redact(v) : v;
    try {
      this.opts.log(message, safe);
    } catch {
      // a logger must not break the connection
    }
  }

  // ---- joining ----------------------------------------------------------------------------

  /**
   * Joins a match and resolves with its SNAPSHOT. With a ticket for this match in the store it is
   * a rejoin with the stored token; a refused token falls back to session_resume.
   */
  async joinMatch(matchId: string): Promise<SnapshotMessage> {
    this.begin(matchId);
    const token = this.tickets.token(matchId);
    try {
      return await this.enter(matchId, token);
    } catch (err) {
      if (reasonOf(err) === RejectReason.TOKEN_INVALID) {
        const out = await this.resumeAndEnter().catch(() => null);
        if (out?.status === 'active') return out.snapshot;
      }
      this.abandon();
      throw err;
    }
  }

  /** A match of `mode` with a free seat (RPC match_find), joined. */
  async findMatch(mode: string): Promise<SnapshotMessage> {
    this.assertIdle();
    const r = await this.login.rpc<MatchFindAnswer>(Rpc.MATCH_FIND, { mode });
    return this.joinMatch(r.matchId);
  }

  /** Joins the match of a matchmaker-matched event (the server's hook creates an arena match). */
  async joinMatched(matched: MatchmakerMatched): Promise<SnapshotMessage> {
    if (!matched.match_id) throw new Error('matchmaker gave no match id: the server did not create an authoritative match for this ticket');
    return this.joinMatch(matched.match_id);
  }

  /**
   * Matchmakes with a ticket whose string property `mode` is `mode` (on a short-lived socket of
   * its own), then joins the match it is given.
   */
  async matchmake(opts: { mode: string; query?: string; minCount?: number; maxCount?: number; stringProperties?: Record<string, string>; numericProperties?: Record<string, number>; timeoutMs?: number }): Promise<SnapshotMessage> {
    this.assertIdle();
    this.route = null;
    const conn = new MatchTransport(this.transportOptions());
    try {
      await conn.connect(await this.login.ensure());
      const min = opts.minCount ?? 2;
      const m = await conn.matchmake({ query: opts.query ?? `+properties.mode:${opts.mode}`, minCount: min, maxCount: opts.maxCount ?? min, stringProperties: { ...opts.stringProperties, mode: opts.mode }, numericProperties: opts.numericProperties, timeoutMs: opts.timeoutMs ?? 60_000 });
      return await this.joinMatched(m);
    } finally {
      conn.close();
    }
  }

  /**
   * Asks session_resume where the player stands (at start-up, or whenever the app does not
   * know) and takes back the seat it holds, if any.
   */
  async resume(): Promise<ResumeOutcome> {
    this.assertIdle();
    this.route = null;
    this.generation++;
    this._state = 'joining';
    this._matchId = null;
    try {
      const out = await this.resumeAndEnter();
      if (out.status !== 'active') this._state = 'idle';
      return out;
    } catch (err) {
      this.abandon();
      throw err;
    }
  }

  // ---- playing ----------------------------------------------------------------------------

  /**
   * Sends an action and returns its actionSeq. It is kept until ACKed and, after a reconnect,
   * resent if the SNAPSHOT shows it was not processed; so it is applied at most once.
   */
  sendAction(body: Record<string, unknown>): number {
    if (!this.matchId || this._state === 'idle' || this._state === 'closed') throw new Error('not in a match');
    const a = this.pending.add(body);
    this.saveTicket();
    if (this._state === 'live') this.send(OpCode.ACTION, PendingActions.message(a));
    return a.actionSeq;
  }

  /** Asks for a fresh SNAPSHOT (the client also does this by itself on a sequence gap). */
  resync(): void {
    if (this._state === 'live') this.send(OpCode.RESYNC, {});
  }

  /** Leaves for good: the seat is freed at once and the stored ticket forgotten. */
  async quit(): Promise<void> {
    const conn = this.conn;
    const matchId = this.matchId;
    if (conn && matchId && this._state === 'live') {
      conn.send(OpCode.QUIT, {});
      await conn.leave(1000);
    }
    // (While disconnected nothing can be sent: the seat is then freed when its grace window ends.)
    if (matchId) this.tickets.clear(matchId);
    this.close();
  }

  /** Stops without leaving: the seat stays reserved for its grace window (rejoin later). */
  close(): void {
    this.generation++;
    this._state = 'closed';
    this.wake?.();
    this.drop();
    this.failWaiter(new Error('closed'));
  }

  // ---- connection ---------------------------------------------------------------------------

  /** A client that is not in a match (new, or stopped after seatLost, ended or close) may join one. */
  private assertIdle(): void {
    if (this._state !== 'idle' && this._state !== 'closed') throw new Error(`cannot join while ${this._state}`);
  }

  private begin(matchId: string): void {
    this.assertIdle();
    this.route = null;
    this.generation++;
    this._state = 'joining';
    this.adopt(matchId, false);
  }

  /** Makes `matchId` the current match; `carry` keeps pending actions (same seat, new match id). */
  private adopt(matchId: string, carry: boolean): void {
    const ticket = this.tickets.get(matchId);
    const old = this.matchId;
    if (carry && old && old !== matchId) {
      const oldTicket = this.tickets.get(old);
      this.tickets.clear(old);
      this.pending.raiseNext(Math.max(ticket?.nextActionSeq ?? 1, oldTicket?.nextActionSeq ?? 1));
    } else if (!carry) {
      this.pending = new PendingActions(ticket?.nextActionSeq ?? 1);
      this._lastSnapshot = null;
      this._seat = null;
    }
    this._matchId = matchId;
    this.seq = new SequenceTracker();
    this.saveTicket(ticket?.token ?? null);
  }

  private abandon(): void {
    if (this._state === 'joining') this._state = 'idle';
    this.drop();
  }

  /** Closes the current connection, if any. */
  private drop(): void {
    const conn = this.conn;
    this.conn = null;
    conn?.close();
  }

  /** One connection: a fresh login if needed, a new socket, the join, its SNAPSHOT. */
  private async enter(matchId: string, token: string | null): Promise<SnapshotMessage> {
    const conn = await this.connect();
    const snapshot = new Promise<SnapshotMessage>((resolve, reject) => {
      this.waiter = { conn, resolve, reject };
    });
    snapshot.catch(() => undefined);
    const timer = setTimeout(() => this.failWaiter(new Error('join_timeout'), conn), this.opts.joinTimeoutMs ?? 10_000);
    try {
      const joined = conn.join(matchId, token);
      joined.catch(() => undefined);
      // nakama-js does not fail a pending request when its socket closes: the SNAPSHOT waiter does.
      await Promise.race([joined, snapshot]);
      return await snapshot;
    } catch (err) {
      if (this.waiter?.conn === conn) this.waiter = null;
      if (this.conn === conn) this.conn = null;
      conn.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private transportOptions() {
    return { client: this.route?.client ?? this.opts.socketClient ?? this.opts.client, heartbeatMs: this.opts.heartbeatMs, connectTimeoutMs: this.opts.connectTimeoutMs, appearOnline: this.opts.appearOnline };
  }

  /** A new connection, made the current one (the previous one is closed), connected with a valid login. */
  private async connect(): Promise<MatchTransport> {
    const generation = this.generation;
    const session = await this.login.ensure();
    const conn: MatchTransport = new MatchTransport(this.transportOptions(), {
      message: (m) => {
        if (conn === this.conn) this.onMessage(m);
      },
      lost: (why) => this.gone(conn, why),
    });
    const previous = this.conn;
    this.conn = conn;
    previous?.close();
    try {
      await conn.connect(session);
    } catch (err) {
      if (this.conn === conn) this.conn = null;
      // The server refused the login on the upgrade (expired or revoked): renew it next time.
      if ((err as { unauthorized?: boolean }).unauthorized) this.login.refused();
      throw err;
    }
    if (this.generation !== generation) {
      // close() or a new join happened meanwhile: this connection belongs to nothing.
      if (this.conn === conn) this.conn = null;
      conn.close();
      throw new Error('closed');
    }
    return conn;
  }

  /** The connection is gone (`conn` closed itself, or the match moved): reconnect if it was live. */
  private gone(conn: MatchTransport, why: string): void {
    if (conn !== this.conn) return;
    this.conn = null;
    conn.close();
    this.failWaiter(new Error(why), conn);
    if (this._state === 'live')
      this.reconnect(why).catch((err) => {
        this.log('reconnect loop failed', { matchId: this.matchId, reason: reasonOf(err) });
        if (this._state === 'reconnecting') this.lost('internal_error');
      });
  }

  private failWaiter(err: Error, conn?: MatchTransport): void {
    const w = this.waiter;
    if (!w || (conn && w.conn !== conn)) return;
    this.waiter = null;
    w.reject(err);
  }

  /** To the match over the current connection; between connections nothing is sent (the reconnect resends what matters). */
  private send(op: number, body: unknown): void {
    this.conn?.send(op, body);
  }

  private saveTicket(token?: string | null): void {
    if (this.matchId) this.tickets.save(this.matchId, this.pending.next, token);
  }

  // ---- messages -----------------------------------------------------------------------------

  private onMessage(m: ServerMessage): void {
    switch (m.op) {
      case OpCode.SNAPSHOT:
        return this.onSnapshot(m.body);
      case OpCode.SEAT:
      case OpCode.EVENT: {
        // Until this connection has its SNAPSHOT, the SNAPSHOT will hold these.
        if (this._state !== 'live') return;
        const verdict = this.seq.broadcast(m.body.seq);
        if (verdict === 'gap') {
          if (this.seq.shouldResync()) {
            this.log('sequence gap; asking for a snapshot', { matchId: this.matchId, after: this.seq.current, got: m.body.seq });
            this.send(OpCode.RESYNC, {});
          }
          return;
        }
        if (verdict === 'stale') return;
        if (m.op === OpCode.SEAT) this.emit('seat', m.body);
        else this.emit('event', m.body);
        return;
      }
      case OpCode.END: {
        // Terminal whatever its seq: nothing comes after it.
        const end = m.body;
        if (end.reason === EndReason.MOVED && this.conn) {
          // Not an end of the game: another copy of the match took over. Find it and rejoin.
          this.resumeFirst = true;
          this.gone(this.conn, 'match_moved');
          return;
        }
        if (end.reason === EndReason.TAKEN_OVER) {
          // Another device of this player took the seat: rejoining would take it back, and the two
          // would fight for it forever. The match goes on there.
          this.finish('seatLost', { matchId: this.matchId as string, reason: EndReason.TAKEN_OVER });
          return;
        }
        this.finish('ended', { matchId: this.matchId as string, reason: end.reason, result: end.result });
        return;
      }
      case OpCode.ACK:
        this.pending.ack(m.body.actionSeq);
        this.emit('ack', m.body);
        return;
      case OpCode.ERROR: {
        const body = m.body;
        this.emit('error', body);
        // Another connection of this player took the seat over: do not fight it for the seat.
        if (body.code === MessageError.NOT_SEATED && this._state === 'live') this.finish('seatLost', { matchId: this.matchId as string, reason: EndReason.TAKEN_OVER });
        return;
      }
    }
  }

  private onSnapshot(s: SnapshotMessage): void {
    const first = this._state !== 'live';
    this._lastSnapshot = s;
    this._seat = s.you.seat;
    this.seq.snapshot(s.seq);
    const resend = this.pending.afterSnapshot(s.lastActionSeq);
    this.saveTicket(typeof s.token === 'string' && s.token ? s.token : undefined);
    if (first) {
      this._state = 'live';
      // On a new connection: exactly the actions the server has not processed, in order. (On a
      // RESYNC over the same connection, actions in flight are still on their way: no resend.)
      for (const a of resend) this.send(OpCode.ACTION, PendingActions.message(a));
      if (resend.length) this.log('resent actions', { matchId: this.matchId, count: resend.length, from: resend[0].actionSeq });
    }
    this.emit('snapshot', s);
    if (first) {
      const matchId = this.matchId as string;
      this.log(s.resumed ? 'resumed seat' : 'joined', { matchId, seat: s.you.seat, userId: s.you.userId });
      if (s.resumed) this.emit('resumed', { matchId, seat: s.you.seat, snapshot: s });
      this.emit('connected', { matchId, seat: s.you.seat, resumed: s.resumed });
    }
    const w = this.waiter;
    if (w && w.conn === this.conn) {
      this.waiter = null;
      w.resolve(s);
    }
  }

  private finish(kind: 'seatLost' | 'ended', payload: RejoinEvents['seatLost'] | RejoinEvents['ended']): void {
    if (this._state === 'closed') return;
    if (this.matchId) this.tickets.clear(this.matchId);
    this.close();
    this.log(kind === 'ended' ? 'match ended' : 'seat lost', { matchId: payload.matchId, reason: payload.reason });
    if (kind === 'ended') this.emit('ended', payload as RejoinEvents['ended']);
    else this.emit('seatLost', payload as RejoinEvents['seatLost']);
  }

  // ---- reconnecting -------------------------------------------------------------------------

  private async reconnect(why: string): Promise<void> {
    this._state = 'reconnecting';
    const generation = this.generation;
    const snap = this.lastSnapshot as SnapshotMessage;
    const noticed = this.now();
    const deadline = giveUpAt(noticed, snap.graceTicks, snap.tickRate, this.opts.manualGiveUpMs ?? 300_000);
    this.log('connection lost; reconnecting', { matchId: this.matchId, reason: why, msLeft: Math.round(deadline - noticed) });
    for (let attempt = 1; ; attempt++) {
      if (this._state !== 'reconnecting' || this.generation !== generation) return;
      const delay = nextDelay(attempt - 1, this.now(), deadline, this.opts.backoff ?? DEFAULT_BACKOFF, this.random);
      if (delay === null) return this.lastChance();
      this.emit('reconnecting', { matchId: this.matchId as string, attempt, msLeft: Math.max(0, Math.round(deadline - this.now())), reason: why });
      await this.sleep(delay);
      if (this._state !== 'reconnecting' || this.generation !== generation) return;
      if ((await this.attempt(attempt)) === 'done') return;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  /** One rejoin: 'done' (back in, or the seat's fate is known and reported) or 'retry'. */
  private async attempt(n: number): Promise<'done' | 'retry'> {
    const out = await this.attemptOnce(n);
    // The node followed last may be the one that is gone: the next attempt starts from the app's own client.
    if (out === 'retry') this.route = null;
    return out;
  }

  private async attemptOnce(n: number): Promise<'done' | 'retry'> {
    const matchId = this.matchId as string;
    const token = this.tickets.token(matchId);
    try {
      if (!token) return await this.viaResume('token_missing');
      if (this.resumeFirst) return await this.viaResume('match_moved');
      await this.enter(matchId, token);
      return 'done';
    } catch (err) {
      const reason = reasonOf(err);
      this.log('rejoin attempt failed', { matchId, attempt: n, reason });
      if (this._state !== 'reconnecting') return 'done';
      if (err instanceof SessionExpired) return this.lost('session_expired');
      if (FINAL.has(reason)) return this.lost(reason);
      if (ASK_RESUME.has(reason)) {
        try {
          return await this.viaResume(reason);
        } catch (e) {
          this.log('session_resume failed', { matchId, reason: reasonOf(e) });
        }
      }
      return 'retry';
    }
  }

  private lost(reason: string): 'done' {
    this.finish('seatLost', { matchId: this.matchId as string, reason });
    return 'done';
  }

  /** The local deadline passed: the server noticed the drop later than we did, so ask it once. */
  private async lastChance(): Promise<void> {
    try {
      if ((await this.viaResume('grace_expired')) === 'done') return;
    } catch (err) {
      this.log('session_resume failed', { matchId: this.matchId, reason: reasonOf(err) });
    }
    if (this._state === 'reconnecting') this.lost('grace_expired');
  }

  /**
   * session_resume where the match was last found (the app's own client, or the node followed
   * last), following an `elsewhere` answer to the node it names when the resolver knows it. The
   * match's socket then goes to the node that answered.
   */
  private async askResume(): Promise<ResumeAnswer> {
    const { answer, route } = await resumeAcrossNodes(
      (client) => this.login.rpc<ResumeAnswer>(Rpc.SESSION_RESUME, {}, client),
      this.route,
      (node) => routeTo(node, this.opts.nodeResolver, this.opts.nodeClient ?? ((a) => defaultNodeClient(this.opts.client, a))),
      (m, f) => this.log(m, f),
    );
    this.route = route;
    return answer;
  }

  /** Asks session_resume and acts on it: rejoin the seat it reports, or report the seat's fate. */
  private async viaResume(why: string): Promise<'done' | 'retry'> {
    const r = await this.askResume();
    if (this._state === 'closed') return 'done';
    if (r.status === 'elsewhere') {
      // Alive on another node the client cannot reach: retried within the grace window; if
      // that node is dead, the match is restored here once its lease runs out.
      this.log('match runs on another node', { matchId: r.matchId, node: r.node });
      return 'retry';
    }
    if (r.status === 'active') {
      this.resumeFirst = false;
      const known = this.tickets.token(r.matchId) ?? (r.matchId !== this.matchId && this.matchId ? this.tickets.token(this.matchId) : null);
      const token = r.token ?? known;
      // A new match id after a server restart is the same seat, restored: actions carry over.
      this.adopt(r.matchId, true);
      this.saveTicket(token);
      if (!token) return this.lost('token_missing');
      try {
        await this.enter(r.matchId, token);
        return 'done';
      } catch (err) {
        const reason = reasonOf(err);
        this.log('rejoin after session_resume failed', { matchId: r.matchId, reason });
        if (FINAL.has(reason)) return this.lost(reason);
        return 'retry';
      }
    }
    if (r.status === 'ended') {
      this.finish('ended', { matchId: r.matchId, reason: r.reason, result: r.result });
      return 'done';
    }
    return this.lost(why === RejectReason.SEAT_LOST || why === 'grace_expired' ? why : 'no_seat');
  }

  /** session_resume outside the reconnect loop (start-up, refused first join). */
  private async resumeAndEnter(): Promise<ResumeOutcome> {
    const r = await this.askResume();
    if (r.status === 'active') {
      const token = r.token ?? this.tickets.token(r.matchId);
      if (this.matchId !== r.matchId) this.adopt(r.matchId, false);
      this.saveTicket(token);
      if (!token) throw new JoinRefused(RejectReason.TOKEN_INVALID);
      return { status: 'active', snapshot: await this.enter(r.matchId, token) };
    }
    if (r.status === 'ended') {
      this.tickets.clear(r.matchId);
      this.emit('ended', { matchId: r.matchId, reason: r.reason, result: r.result });
      return { status: 'ended', matchId: r.matchId, reason: r.reason, result: r.result };
    }
    if (r.status === 'elsewhere') return { status: 'elsewhere', matchId: r.matchId, node: r.node };
    return { status: 'none' };
  }
}
