// One connection to the server, as the client opens and closes them: a socket with a connect
// timeout, a heartbeat that reports a silent link, the join of one match, its messages decoded into
// typed ones, actions encoded, and a close that ends even a black-holed connection now. The
// connection never comes back: the client makes a new one.
import type { Client, MatchmakerMatched, Session, Socket } from '@heroiclabs/nakama-js';
import { JoinRefused, reasonOf } from './errors.js';
import { decodeMessage, encodeMessage, type ServerMessage } from './server-message.js';

export interface TransportOptions {
  /** Client whose host the socket connects to (a node, or a proxy); its SSL setting is used. */
  client: Client;
  /** Heartbeat timeout, ms (default 5000). */
  heartbeatMs?: number;
  connectTimeoutMs?: number;
  appearOnline?: boolean;
}

export interface TransportHandlers {
  /** A message of the match, decoded. Never called after the transport closed. */
  message?: (m: ServerMessage) => void;
  /** The link is gone (`closed`, `heartbeat_timeout`); the transport has closed itself. Not called after close(). */
  lost?: (why: string) => void;
}

/** What a matchmaker ticket asks for. */
export interface MatchmakerRequest {
  query: string;
  minCount: number;
  maxCount: number;
  stringProperties?: Record<string, string>;
  numericProperties?: Record<string, number>;
  timeoutMs: number;
}

export class MatchTransport {
  /** The socket, for reading only: the transport owns its life. */
  readonly socket: Socket;
  private matchId: string | null = null;
  private closed = false;
  private onMatched: ((m: MatchmakerMatched) => void) | null = null;
  private onLost: ((why: string) => void) | null = null;

  /** A transport that is not connected yet: connect() it. */
  constructor(
    private readonly opts: TransportOptions,
    private readonly handlers: TransportHandlers = {},
  ) {
    const socket = opts.client.createSocket(opts.client.useSSL, false);
    this.socket = socket;
    socket.setHeartbeatTimeoutMs(opts.heartbeatMs ?? 5000);
    guardHeartbeat(socket);
    socket.onerror = () => undefined;
    socket.onmatchdata = (m) => {
      const message = decodeMessage(Number(m.op_code), m.data);
      if (message && !this.closed) this.handlers.message?.(message);
    };
    socket.ondisconnect = () => this.lose('closed', false);
    // nakama-js reports a missed pong here, then closes the socket itself, a close that a
    // black-holed link never finishes: the heartbeat is the drop, not the close event.
    socket.onheartbeattimeout = () => this.lose('heartbeat_timeout', true);
    socket.onmatchmakermatched = (m) => this.onMatched?.(m);
  }

  /**
   * Connects with `session`. A failed connect closes the transport and throws `connect_failed:
   * <reason>`; `unauthorized` says the server refused the login (renew it before the next try).
   */
  async connect(session: Session): Promise<void> {
    try {
      // The Socket interface omits it, but DefaultSocket.connect takes a connect timeout.
      const connect = this.socket.connect.bind(this.socket) as (s: Session, createStatus: boolean, timeoutMs?: number) => Promise<Session>;
      await connect(session, this.opts.appearOnline ?? false, this.opts.connectTimeoutMs ?? 5000);
    } catch (err) {
      this.close();
      const reason = reasonOf(err);
      throw Object.assign(new Error(`connect_failed: ${reason}`), { unauthorized: /\b401\b/.test(reason) });
    }
  }

  /**
   * Joins `matchId` (with a reconnect token, or none for a first join): resolves when the server
   * accepts; its SNAPSHOT comes as a message. A refusal throws JoinRefused with its rejectMessage.
   */
  async join(matchId: string, token: string | null): Promise<void> {
    this.matchId = matchId;
    try {
      await this.socket.joinMatch(matchId, undefined, token ? { token } : undefined);
    } catch (err) {
      // A refusal is the server's error object: {code, message: rejectMessage}.
      const e = err as { code?: number; message?: string };
      if (e && typeof e === 'object' && e.code === 4) throw new JoinRefused('match_not_found', 4);
      if (e && typeof e === 'object' && typeof e.code === 'number' && typeof e.message === 'string') throw new JoinRefused(e.message, e.code);
      throw new Error(reasonOf(err));
    }
  }

  /** Sends a message to the joined match; a socket going down drops it (the reconnect resends what matters). */
  send(op: number, body: unknown): void {
    if (this.closed || !this.matchId) return;
    try {
      void this.socket.sendMatchState(this.matchId, op, encodeMessage(body)).catch(() => undefined);
    } catch {
      // The socket is going down.
    }
  }

  /** Leaves the joined match, waiting at most `timeoutMs` for the server's answer. */
  async leave(timeoutMs: number): Promise<void> {
    if (this.closed || !this.matchId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.socket.leaveMatch(this.matchId).catch(() => undefined), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Puts a matchmaker ticket in and resolves with the match it is given. */
  async matchmake(req: MatchmakerRequest): Promise<MatchmakerMatched> {
    const matched = new Promise<MatchmakerMatched>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('matchmaking timed out')), req.timeoutMs);
      this.onMatched = (m) => {
        clearTimeout(t);
        resolve(m);
      };
      this.onLost = () => {
        clearTimeout(t);
        reject(new Error('connection lost while matchmaking'));
      };
    });
    matched.catch(() => undefined);
    try {
      await this.socket.addMatchmaker(req.query, req.minCount, req.maxCount, req.stringProperties, req.numericProperties);
      return await matched;
    } finally {
      this.onMatched = null;
      this.onLost = null;
    }
  }

  /**
   * Closes for good, also a connection still connecting or black-holed; nothing is reported after
   * it. `later`: from inside a nakama-js callback that closes the socket itself right after.
   */
  close(later = false): void {
    if (this.closed) return;
    this.closed = true;
    killSocket(this.socket, later);
  }

  private lose(why: string, later: boolean): void {
    if (this.closed) return;
    this.close(later);
    this.onLost?.(why);
    this.handlers.lost?.(why);
  }
}

/**
 * Closes a socket for good. `later`: from inside a nakama-js callback that closes the socket
 * itself right after (the heartbeat), so wait a turn.
 */
function killSocket(socket: Socket, later: boolean): void {
  socket.ondisconnect = () => undefined;
  socket.onheartbeattimeout = () => undefined;
  socket.onmatchdata = () => undefined;
  // The underlying WebSocket, taken now: nakama-js forgets it when it closes.
  const ws = (socket as unknown as { adapter?: { _socket?: { terminate?: () => void; close?: () => void } } }).adapter?._socket;
  const end = () => {
    try {
      socket.disconnect(false);
    } catch {
      // already gone
    }
    // A closing handshake over a black-holed link would hang on for 30 s: end it now where the
    // WebSocket implementation allows (ws in Node has terminate(); browsers close by themselves).
    try {
      if (ws?.terminate) ws.terminate();
      else ws?.close?.();
    } catch {
      // already gone
    }
  };
  if (later) setTimeout(end, 0);
  else end();
}

/**
 * nakama-js 2.8.0 reads a global `window` when a heartbeat fails; where there is none (Node)
 * that throws instead of reporting the timeout, as an unhandled rejection. Report it anyway.
 */
export function guardHeartbeat(socket: Socket): void {
  const s = socket as unknown as { pingPong?: () => Promise<void>; adapter?: { isOpen(): boolean; close(): void }; onheartbeattimeout: () => void };
  if (typeof s.pingPong !== 'function' || typeof (globalThis as { window?: unknown }).window !== 'undefined') return;
  const original = s.pingPong.bind(socket);
  s.pingPong = () =>
    original().catch(() => {
      if (s.adapter?.isOpen()) {
        s.onheartbeattimeout();
        s.adapter.close();
      }
    });
}
