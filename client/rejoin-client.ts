// A match connection that comes back by itself. On a closed or silent socket it reconnects on a
// new one with jittered backoff inside the seat's grace window, refreshes the login first when it
// has expired (or asks the app to sign in again), rejoins with its latest token (or asks
// session_resume for a fresh one), applies the SNAPSHOT, resends exactly the actions the server
// did not process and asks for RESYNC on a gap in `seq`.
//
// Never logs a token: log lines carry match, user and seat ids, attempts and reasons only.
import type { Client, MatchData, MatchmakerMatched, Session, Socket } from '@heroiclabs/nakama-js';
import { EndReason, MessageError, OpCode, RejectReason, Rpc, type AckMessage, type EndMessage, type ErrorMessage, type EventMessage, type MatchFindAnswer, type ResumeAnswer, type SeatMessage, type SnapshotMessage } from '../src/protocol.js';
import { DEFAULT_BACKOFF, giveUpAt, nextDelay, type BackoffOptions } from './backoff.js';
import { ASK_RESUME, FINAL, JoinRefused, reasonOf, redact, SessionExpired } from './errors.js';
import { Login } from './login.js';
import { connectSocket, killSocket } from './match-socket.js';
import { nodeClient as defaultNodeClient, routeTo, type NodeAddress, type NodeResolver, type Route } from './node-route.js';
import { PendingActions } from './pending-actions.js';
import { SequenceTracker } from './sequence.js';
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

/** How many `elsewhere` answers in a row to follow (the match may move once more meanwhile). */
const MAX_NODE_HOPS = 2;

const enc = new TextEncoder();
const dec = new TextDecoder();

function isSnapshot(x: unknown): x is SnapshotMessage {
  const s = x as SnapshotMessage;
  return typeof s === 'object' && s !== null && typeof s.seq === 'number' && typeof s.lastActionSeq === 'number' && typeof s.you?.seat === 'number';
}

interface Waiter {
  socket: Socket;
  resolve: (s: SnapshotMessage) => void;
  reject: (e: Error) => void;
}

export class RejoinClient {
  socket: Socket | null = null;
  matchId: string | null = null;
  seat: number | null = null;
  lastSnapshot: SnapshotMessage | null = null;
  private _state: RejoinState = 'idle';
  private readonly handlers: { [K in keyof RejoinEvents]?: Handler<K>[] } = {};
  private readonly store: TokenStore;
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
    this.store = opts.store ?? new MemoryTokenStore();
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

  /** The server node the client followed an `elsewhere` answer to; null: it talks to the app's own client. */
  get node(): string | null {
    return this.route?.node ?? null;
  }

  /** actionSeqs sent but not yet acknowledged, in order. */
  get unacknowledged(): number[] {
    return this.pending.waiting;
  }

  on<K extends keyof RejoinEvents>(event: K, handler: Handler<K>): this {
    ((this.handlers[event] ??= []) as Handler<K>[]).push(handler);
    return this;
  }

  off<K extends keyof RejoinEvents>(event: K, handler: Handler<K>): this {
    const list = this.handlers[event] as Handler<K>[] | undefined;
    if (list) this.handlers[event] = list.filter((h) => h !== handler) as never;
    return this;
  }

  private emit<K extends keyof RejoinEvents>(event: K, payload: RejoinEvents[K]): void {
    for (const h of (this.handlers[event] ?? []) as Handler<K>[]) {
      try {
        h(payload);
      } catch (err) {
        this.log('event handler threw', { event, reason: reasonOf(err) });
      }
    }
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
    const token = this.store.get(matchId)?.token ?? null;
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
    const socket = await connectSocket(this.socketOptions(), await this.login.ensure(), () => undefined);
    try {
      const matched = new Promise<MatchmakerMatched>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('matchmaking timed out')), opts.timeoutMs ?? 60_000);
        socket.onmatchmakermatched = (m) => {
          clearTimeout(t);
          resolve(m);
        };
        socket.ondisconnect = () => {
          clearTimeout(t);
          reject(new Error('connection lost while matchmaking'));
        };
      });
      matched.catch(() => undefined);
      const min = opts.minCount ?? 2;
      await socket.addMatchmaker(opts.query ?? `+properties.mode:${opts.mode}`, min, opts.maxCount ?? min, { ...opts.stringProperties, mode: opts.mode }, opts.numericProperties);
      const m = await matched;
      return await this.joinMatched(m);
    } finally {
      socket.ondisconnect = () => undefined;
      socket.disconnect(false);
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
    this.matchId = null;
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
    if (this._state === 'live') this.sendRaw(OpCode.ACTION, PendingActions.message(a));
    return a.actionSeq;
  }

  /** Asks for a fresh SNAPSHOT (the client also does this by itself on a sequence gap). */
  resync(): void {
    if (this._state === 'live') this.sendRaw(OpCode.RESYNC, {});
  }

  /** Leaves for good: the seat is freed at once and the stored ticket forgotten. */
  async quit(): Promise<void> {
    const socket = this.socket;
    const matchId = this.matchId;
    if (socket && matchId && this._state === 'live') {
      this.sendRaw(OpCode.QUIT, {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([socket.leaveMatch(matchId).catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 1000)))]);
      clearTimeout(timer);
    }
    // (While disconnected nothing can be sent: the seat is then freed when its grace window ends.)
    if (matchId) this.store.clear(matchId);
    this.close();
  }

  /** Stops without leaving: the seat stays reserved for its grace window (rejoin later). */
  close(): void {
    this.generation++;
    this._state = 'closed';
    this.wake?.();
    const socket = this.socket;
    this.socket = null;
    if (socket) killSocket(socket);
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
    const ticket = this.store.get(matchId);
    const old = this.matchId;
    if (carry && old && old !== matchId) {
      const oldTicket = this.store.get(old);
      this.store.clear(old);
      this.pending.raiseNext(Math.max(ticket?.nextActionSeq ?? 1, oldTicket?.nextActionSeq ?? 1));
    } else if (!carry) {
      this.pending = new PendingActions(ticket?.nextActionSeq ?? 1);
      this.lastSnapshot = null;
      this.seat = null;
    }
    this.matchId = matchId;
    this.seq = new SequenceTracker();
    this.saveTicket(ticket?.token ?? null);
  }

  private abandon(): void {
    if (this._state === 'joining') this._state = 'idle';
    const socket = this.socket;
    this.socket = null;
    if (socket) killSocket(socket);
  }

  /** One connection: a fresh login if needed, a new socket, the join, its SNAPSHOT. */
  private async enter(matchId: string, token: string | null): Promise<SnapshotMessage> {
    const socket = await this.openSocket();
    const snapshot = new Promise<SnapshotMessage>((resolve, reject) => {
      this.waiter = { socket, resolve, reject };
    });
    snapshot.catch(() => undefined);
    const timer = setTimeout(() => this.failWaiter(new Error('join_timeout'), socket), this.opts.joinTimeoutMs ?? 10_000);
    try {
      const joined = socket.joinMatch(matchId, undefined, token ? { token } : undefined).then(
        () => undefined,
        (err) => {
          // A refusal is the server's error object: {code, message: rejectMessage}.
          const e = err as { code?: number; message?: string };
          if (e && typeof e === 'object' && e.code === 4) throw new JoinRefused('match_not_found', 4);
          if (e && typeof e === 'object' && typeof e.code === 'number' && typeof e.message === 'string') throw new JoinRefused(e.message, e.code);
          throw new Error(reasonOf(err));
        },
      );
      joined.catch(() => undefined);
      // nakama-js does not fail a pending request when its socket closes: the SNAPSHOT waiter does.
      await Promise.race([joined, snapshot]);
      return await snapshot;
    } catch (err) {
      if (this.waiter?.socket === socket) this.waiter = null;
      if (this.socket === socket) this.socket = null;
      killSocket(socket);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private socketOptions() {
    return { client: this.route?.client ?? this.opts.socketClient ?? this.opts.client, heartbeatMs: this.opts.heartbeatMs, connectTimeoutMs: this.opts.connectTimeoutMs, appearOnline: this.opts.appearOnline };
  }

  private async openSocket(): Promise<Socket> {
    const generation = this.generation;
    const session = await this.login.ensure();
    const previous = this.socket;
    let socket: Socket;
    try {
      socket = await connectSocket(this.socketOptions(), session, (s) => {
        s.onmatchdata = (m: MatchData) => {
          if (s === this.socket) this.onData(m);
        };
        s.ondisconnect = () => this.gone(s, 'closed');
        // nakama-js reports a missed pong here, then closes the socket itself, a close that a
        // black-holed link never finishes: the heartbeat is the drop, not the close event.
        s.onheartbeattimeout = () => this.gone(s, 'heartbeat_timeout', true);
        this.socket = s;
        if (previous) killSocket(previous);
      });
    } catch (err) {
      if (this.socket !== null && this.socket !== previous) this.socket = null;
      // The server refused the login on the upgrade (expired or revoked): renew it next time.
      if ((err as { unauthorized?: boolean }).unauthorized) this.login.refused();
      throw err;
    }
    if (this.generation !== generation) {
      // close() or a new join happened meanwhile: this socket belongs to nothing.
      if (this.socket === socket) this.socket = null;
      killSocket(socket);
      throw new Error('closed');
    }
    return socket;
  }

  private gone(socket: Socket, why: string, later = false): void {
    if (socket !== this.socket) return;
    this.socket = null;
    killSocket(socket, later);
    this.failWaiter(new Error(why), socket);
    if (this._state === 'live')
      this.reconnect(why).catch((err) => {
        this.log('reconnect loop failed', { matchId: this.matchId, reason: reasonOf(err) });
        if (this._state === 'reconnecting') this.lost('internal_error');
      });
  }

  private failWaiter(err: Error, socket?: Socket): void {
    const w = this.waiter;
    if (!w || (socket && w.socket !== socket)) return;
    this.waiter = null;
    w.reject(err);
  }

  private sendRaw(op: number, body: unknown): void {
    const socket = this.socket;
    if (!socket || !this.matchId) return;
    try {
      // UTF-8 bytes: nakama-js would base64 a string as Latin-1.
      void socket.sendMatchState(this.matchId, op, enc.encode(JSON.stringify(body))).catch(() => undefined);
    } catch {
      // The socket is going down; the reconnect resends what matters.
    }
  }

  private saveTicket(token?: string | null): void {
    if (!this.matchId) return;
    try {
      const prev = this.store.get(this.matchId);
      this.store.set({ matchId: this.matchId, token: token !== undefined ? token : (prev?.token ?? null), nextActionSeq: this.pending.next });
    } catch (err) {
      this.log('token store failed', { matchId: this.matchId, reason: reasonOf(err) });
    }
  }

  // ---- messages -----------------------------------------------------------------------------

  private onData(m: MatchData): void {
    let body: any;
    try {
      body = JSON.parse(dec.decode(m.data));
    } catch {
      return;
    }
    if (typeof body !== 'object' || body === null) return;
    switch (Number(m.op_code)) {
      case OpCode.SNAPSHOT:
        return this.onSnapshot(body);
      case OpCode.SEAT:
      case OpCode.EVENT: {
        // Until this connection has its SNAPSHOT, the SNAPSHOT will hold these.
        if (this._state !== 'live') return;
        const verdict = this.seq.broadcast(body.seq);
        if (verdict === 'gap') {
          if (this.seq.shouldResync()) {
            this.log('sequence gap; asking for a snapshot', { matchId: this.matchId, after: this.seq.current, got: body.seq });
            this.sendRaw(OpCode.RESYNC, {});
          }
          return;
        }
        if (verdict === 'stale') return;
        if (Number(m.op_code) === OpCode.SEAT) this.emit('seat', body as SeatMessage);
        else this.emit('event', body as EventMessage);
        return;
      }
      case OpCode.END: {
        // Terminal whatever its seq: nothing comes after it.
        const end = body as EndMessage;
        if (end.reason === EndReason.MOVED && this.socket) {
          // Not an end of the game: another copy of the match took over. Find it and rejoin.
          this.resumeFirst = true;
          this.gone(this.socket, 'match_moved');
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
        this.pending.ack(body.actionSeq);
        this.emit('ack', body as AckMessage);
        return;
      case OpCode.ERROR: {
        this.emit('error', body as ErrorMessage);
        // Another connection of this player took the seat over: do not fight it for the seat.
        if (body.code === MessageError.NOT_SEATED && this._state === 'live') this.finish('seatLost', { matchId: this.matchId as string, reason: EndReason.TAKEN_OVER });
        return;
      }
    }
  }

  private onSnapshot(body: unknown): void {
    if (!isSnapshot(body)) return;
    const s = body;
    const first = this._state !== 'live';
    this.lastSnapshot = s;
    this.seat = s.you.seat;
    this.seq.snapshot(s.seq);
    const resend = this.pending.afterSnapshot(s.lastActionSeq);
    this.saveTicket(typeof s.token === 'string' && s.token ? s.token : undefined);
    if (first) {
      this._state = 'live';
      // On a new connection: exactly the actions the server has not processed, in order. (On a
      // RESYNC over the same connection, actions in flight are still on their way: no resend.)
      for (const a of resend) this.sendRaw(OpCode.ACTION, PendingActions.message(a));
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
    if (w && w.socket === this.socket) {
      this.waiter = null;
      w.resolve(s);
    }
  }

  private finish(kind: 'seatLost' | 'ended', payload: RejoinEvents['seatLost'] | RejoinEvents['ended']): void {
    if (this._state === 'closed') return;
    if (this.matchId) this.store.clear(this.matchId);
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
    const token = this.store.get(matchId)?.token ?? null;
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
    let r = await this.login.rpc<ResumeAnswer>(Rpc.SESSION_RESUME, {}, this.route?.client);
    for (let hop = 0; r.status === 'elsewhere' && hop < MAX_NODE_HOPS; hop++) {
      const route = routeTo(r.node, this.opts.nodeResolver, this.opts.nodeClient ?? ((a) => defaultNodeClient(this.opts.client, a)));
      if (!route || route.node === this.route?.node) break;
      this.log('following the match to its node', { matchId: r.matchId, node: r.node });
      try {
        r = await this.login.rpc<ResumeAnswer>(Rpc.SESSION_RESUME, {}, route.client);
      } catch (err) {
        // Not reachable from here (or gone: then the match is restored once its lease runs out).
        this.log('node did not answer', { node: route.node, reason: reasonOf(err) });
        break;
      }
      this.route = route;
    }
    return r;
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
      const known = this.store.get(r.matchId)?.token ?? (r.matchId !== this.matchId && this.matchId ? this.store.get(this.matchId)?.token : null) ?? null;
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
      const token = r.token ?? this.store.get(r.matchId)?.token ?? null;
      if (this.matchId !== r.matchId) this.adopt(r.matchId, false);
      this.saveTicket(token);
      if (!token) throw new JoinRefused(RejectReason.TOKEN_INVALID);
      return { status: 'active', snapshot: await this.enter(r.matchId, token) };
    }
    if (r.status === 'ended') {
      this.store.clear(r.matchId);
      this.emit('ended', { matchId: r.matchId, reason: r.reason, result: r.result });
      return { status: 'ended', matchId: r.matchId, reason: r.reason, result: r.result };
    }
    if (r.status === 'elsewhere') return { status: 'elsewhere', matchId: r.matchId, node: r.node };
    return { status: 'none' };
  }
}
