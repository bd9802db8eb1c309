// nakama-js helpers for the integration suite, in Node 20: fresh users, sockets (direct or
// through a fault proxy), an inbox that waits for op codes, and RPC error assertions.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type Session, type Socket } from '@heroiclabs/nakama-js';
import WebSocket from 'ws';
import { afterEach, expect } from 'vitest';
import { FaultProxy } from '../../../tools/fault-proxy';

// nakama-js expects browser globals: a WebSocket, and `window` on its heartbeat path.
(globalThis as any).WebSocket ??= WebSocket;
(globalThis as any).window ??= globalThis;

export const SERVER_KEY = process.env.NAKAMA_SERVER_KEY ?? 'defaultkey';
const serverUrl = new URL(process.env.NAKAMA_URL ?? 'http://127.0.0.1:7350');
export const HOST = serverUrl.hostname;
export const PORT = Number(serverUrl.port || (serverUrl.protocol === 'https:' ? 443 : 80));
export const SSL = serverUrl.protocol === 'https:';

const enc = new TextEncoder();
const dec = new TextDecoder();

export function newClient(port = PORT): Client {
  return new Client(SERVER_KEY, HOST, String(port), SSL, 10_000);
}

export interface Player {
  client: Client;
  session: Session;
  userId: string;
}

/** A new account, signed in on the suite's server or on the server at `port`. */
export async function newUser(prefix = 'p', port = PORT): Promise<Player> {
  const client = newClient(port);
  const session = await client.authenticateCustom(`${prefix}-${randomUUID()}`, true);
  return { client, session, userId: session.user_id as string };
}

export interface Received {
  op: number;
  body: any;
  at: number;
}

/** Collects match messages for one socket and lets a test wait for the next of an op code. */
export class Inbox {
  readonly all: Received[] = [];
  private cursor = 0;
  private waiters: (() => void)[] = [];

  push(r: Received): void {
    this.all.push(r);
    for (const w of this.waiters.splice(0)) w();
  }

  /** The next unread message with this op (and predicate), waiting up to timeoutMs. */
  async next(op: number, opts: { timeoutMs?: number; where?: (body: any) => boolean } = {}): Promise<any> {
    const until = Date.now() + (opts.timeoutMs ?? 5000);
    for (;;) {
      for (let i = this.cursor; i < this.all.length; i++) {
        const m = this.all[i];
        if (m.op === op && (opts.where === undefined || opts.where(m.body))) {
          this.cursor = i + 1;
          return m.body;
        }
      }
      const left = until - Date.now();
      if (left <= 0) throw new Error(`no message with op ${op} within ${opts.timeoutMs ?? 5000} ms; got ${JSON.stringify(this.all.map((m) => m.op))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Every message so far with this op. */
  of(op: number): any[] {
    return this.all.filter((m) => m.op === op).map((m) => m.body);
  }
}

export interface Conn {
  socket: Socket;
  inbox: Inbox;
  closed: boolean;
  proxy: FaultProxy | null;
  join(matchId: string, metadata?: Record<string, string>): Promise<void>;
  send(matchId: string, op: number, body: unknown): void;
  close(): Promise<void>;
}

/** Opens a socket for the player, through a new fault proxy when `viaProxy` is set. */
export async function connect(p: Player, opts: { viaProxy?: boolean } = {}): Promise<Conn> {
  const proxy = opts.viaProxy ? await FaultProxy.start({ host: HOST, port: PORT }) : null;
  const client = proxy ? newClient(proxy.port) : p.client;
  const socket = client.createSocket(SSL, false);
  const inbox = new Inbox();
  const conn: Conn = {
    socket,
    inbox,
    closed: false,
    proxy,
    async join(matchId, metadata) {
      try {
        await socket.joinMatch(matchId, undefined, metadata);
      } catch (e) {
        // A refused join rejects with the server's error object: {code, message: rejectMessage}.
        const message = typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : String(e);
        throw new JoinRefused(message);
      }
    },
    send(matchId, op, body) {
      const data = typeof body === 'string' ? body : JSON.stringify(body);
      socket.sendMatchState(matchId, op, enc.encode(data));
    },
    async close() {
      try {
        socket.disconnect(false);
      } catch {
        // already gone
      }
      await proxy?.close();
    },
  };
  socket.onmatchdata = (m) => {
    let body: unknown;
    try {
      body = JSON.parse(dec.decode(m.data));
    } catch {
      body = dec.decode(m.data);
    }
    inbox.push({ op: m.op_code, body, at: Date.now() });
  };
  socket.ondisconnect = () => {
    conn.closed = true;
  };
  await socket.connect(p.session, true);
  return conn;
}

export class JoinRefused extends Error {}

/** Joins and returns the error message the server refused with. */
export async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof JoinRefused) return e.message;
    throw e;
  }
  throw new Error('expected the join to be refused');
}

export async function rpc<T = any>(p: Player, id: string, payload: object): Promise<T> {
  const r = await p.client.rpc(p.session, id, payload);
  return r.payload as T;
}

/** An RPC error as Nakama sends it over HTTP: the module's `{message, code}` and the server's `error`. */
export interface RpcErrorBody {
  code: number;
  message: string;
  error?: { stackTrace?: string };
}

/**
 * Nakama adds the JavaScript stack of every error an RPC throws (`error.stackTrace`). It may name
 * the bundle, `index.js`, and its lines; never a source file or a source folder.
 */
export function expectNoSourcePaths(body: RpcErrorBody): void {
  const trace = String(body.error?.stackTrace ?? '');
  expect(trace, 'stackTrace names a TypeScript file').not.toMatch(/\.ts\b/);
  expect(trace, 'stackTrace names a source folder').not.toMatch(/\bsrc\//);
}

/**
 * Calls an RPC over HTTP with any payload, as a hand-made client could (nakama-js only sends what
 * JSON.stringify makes of an object). Text goes as nakama-js sends it, a JSON string in the body;
 * bytes (which need not be UTF-8) go as the body itself, with `?unwrap`. Answers the HTTP status,
 * the parsed body and, on success, the RPC's answer.
 */
export async function rpcRaw(p: Player, id: string, payload: string | Uint8Array): Promise<{ status: number; body: any; answer?: unknown }> {
  const raw = typeof payload !== 'string';
  const res = await fetch(`${serverUrl.origin}/v2/rpc/${encodeURIComponent(id)}${raw ? '?unwrap=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${p.session.token}`, 'content-type': 'application/json' },
    body: raw ? payload : JSON.stringify(payload),
  });
  const text = await res.text();
  const body = text === '' ? null : JSON.parse(text);
  if (!res.ok) return { status: res.status, body };
  return { status: res.status, body, answer: raw ? body : JSON.parse(body.payload) };
}

/** Asserts an RPC fails with this HTTP status and gRPC code, its stack naming no source; returns the error body. */
export async function expectRpcError(promise: Promise<unknown>, want: { status: number; code: number; message?: RegExp }): Promise<RpcErrorBody> {
  try {
    await promise;
  } catch (e) {
    const res = e as Response;
    if (typeof res?.json !== 'function') throw e;
    const body = (await res.json()) as RpcErrorBody;
    expect(res.status).toBe(want.status);
    expect(body.code).toBe(want.code);
    if (want.message) expect(body.message).toMatch(want.message);
    expectNoSourcePaths(body);
    return body;
  }
  throw new Error('expected the RPC to fail');
}

/** Polls until check() returns a truthy value. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, stepMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * Connections a test file opened, closed after each test. Call once at the top of a file; push
 * every Conn the test opens.
 */
export function closesAfterEach(): Conn[] {
  const open: Conn[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  return open;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server's log so far, when the suite started the server itself. */
export function serverLog(): string | null {
  const f = process.env.NAKAMA_LOG_FILE;
  return f ? readFileSync(f, 'utf8') : null;
}

/** Restarts the server (graceful: SIGTERM, or SIGKILL); null when the suite did not start it. */
export async function restartServer(signal: 'TERM' | 'KILL'): Promise<boolean> {
  const control = process.env.NAKAMA_CONTROL_URL;
  if (!control) return false;
  const r = await fetch(`${control}/restart?signal=${signal}`, { method: 'POST' });
  if (!r.ok) throw new Error(`restart failed: ${await r.text()}`);
  return true;
}

/** The player's coins, as its wallet shows them. */
export async function coins(p: Player): Promise<number> {
  return JSON.parse((await p.client.getAccount(p.session)).wallet ?? '{}').coins ?? 0;
}

/** The items the player owns, as its server-owned inventory shows them. */
export async function owned(p: Player): Promise<Record<string, number>> {
  const r = await p.client.readStorageObjects(p.session, { object_ids: [{ collection: 'rejoin_inventory', key: 'items', user_id: p.userId }] });
  return (r.objects?.[0]?.value as { items?: Record<string, number> } | undefined)?.items ?? {};
}

/** Creates an arena match of a mode and returns its id. */
export async function createMatch(p: Player, mode = 'e2e'): Promise<string> {
  return (await rpc<{ matchId: string }>(p, 'match_create', { mode })).matchId;
}
