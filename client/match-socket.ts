// One socket to the server, as the client library opens and closes them: a connect timeout, a
// heartbeat that reports a silent link, and a close that ends even a black-holed connection now.
import type { Client, Session, Socket } from '@heroiclabs/nakama-js';
import { reasonOf } from './errors.js';

export interface SocketOptions {
  /** Client whose host the socket connects to (a node, or a proxy); its SSL setting is used. */
  client: Client;
  /** Heartbeat timeout, ms (default 5000). */
  heartbeatMs?: number;
  connectTimeoutMs?: number;
  appearOnline?: boolean;
}

/**
 * A new socket, connected with `session`. `wire` sets its callbacks before it connects. A failed
 * connect closes it and throws `connect_failed: <reason>`; `unauthorized` says the server
 * refused the login (renew it before the next try).
 */
export async function connectSocket(opts: SocketOptions, session: Session, wire: (socket: Socket) => void): Promise<Socket> {
  const socket = opts.client.createSocket(opts.client.useSSL, false);
  socket.setHeartbeatTimeoutMs(opts.heartbeatMs ?? 5000);
  guardHeartbeat(socket);
  socket.onerror = () => undefined;
  wire(socket);
  try {
    // The Socket interface omits it, but DefaultSocket.connect takes a connect timeout.
    const connect = socket.connect.bind(socket) as (s: Session, createStatus: boolean, timeoutMs?: number) => Promise<Session>;
    await connect(session, opts.appearOnline ?? false, opts.connectTimeoutMs ?? 5000);
  } catch (err) {
    killSocket(socket);
    const reason = reasonOf(err);
    throw Object.assign(new Error(`connect_failed: ${reason}`), { unauthorized: /\b401\b/.test(reason) });
  }
  return socket;
}

/**
 * Closes a socket for good, also one still connecting or black-holed. `later`: from inside a
 * nakama-js callback that closes the socket itself right after (the heartbeat), so wait a turn.
 */
export function killSocket(socket: Socket, later = false): void {
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
