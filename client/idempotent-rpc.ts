// Calls a mutating RPC exactly once from the player's point of view: one idempotencyKey per
// intended operation, reused on every retry after a network error, a timeout, an HTTP 5xx or a
// 409 with gRPC code 10 ABORTED (contention). Any other answer of 4xx is final and thrown as an
// RpcRefused with the server's {code, message}.
import type { Client, Session } from '@heroiclabs/nakama-js';
import { DEFAULT_BACKOFF, jitteredDelay, type BackoffOptions } from './backoff.js';
import { asResponse, SessionExpired } from './errors.js';

/** The server refused the call (or kept failing with 5xx): `status` is HTTP, `code` gRPC. */
export class RpcRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcRefused';
  }
}

export interface IdempotentOptions {
  /** Attempts in all (default 8). */
  attempts?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  /** A key of your own, for example one saved before an app restart. Otherwise a random UUID. */
  idempotencyKey?: string;
  /** Called before each retry (after a failed attempt), with ids only. */
  onRetry?: (info: { attempt: number; delayMs: number; idempotencyKey: string; reason: string }) => void;
}

/** A fresh key: a random UUID (crypto.randomUUID where there is one). Keys need uniqueness, not secrecy. */
export function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The {code, message} body of an RPC error answer (empty when unreadable). */
export async function rpcErrorBody(res: Response): Promise<{ code?: number; message?: string }> {
  try {
    return (await res.json()) as { code?: number; message?: string };
  } catch {
    return {};
  }
}

/** The refusal an HTTP error answer carries: its status and the body's {code, message}. */
export async function refusalOf(res: Response): Promise<RpcRefused> {
  const b = await rpcErrorBody(res);
  return new RpcRefused(res.status, b.code ?? 0, b.message ?? (res.statusText || `HTTP ${res.status}`));
}

/**
 * Calls `rpcId` with `{...payload, idempotencyKey}` until it succeeds or fails for good, always
 * with the same key, and resolves with the answer's payload. With a RejoinClient, its
 * `callIdempotent` does the same through the player's login (refreshed, renewed after a 401,
 * under the client's `rpcPrefix`).
 */
export function callIdempotent<T = unknown>(client: Client, session: Session, rpcId: string, payload: Record<string, unknown>, opts: IdempotentOptions = {}): Promise<T> {
  return retryIdempotent<T>(async (body) => (await client.rpc(session, rpcId, body)).payload as T, payload, opts);
}

/**
 * The retry loop of callIdempotent over `call`, one attempt of the RPC with the body given. A
 * refusal may come as an RpcRefused or as nakama-js's raw Response; a SessionExpired is final.
 */
export async function retryIdempotent<T>(call: (body: Record<string, unknown>) => Promise<T>, payload: Record<string, unknown>, opts: IdempotentOptions = {}): Promise<T> {
  const idempotencyKey = opts.idempotencyKey ?? newIdempotencyKey();
  const attempts = Math.max(1, opts.attempts ?? 8);
  const body = { ...payload, idempotencyKey };
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    let reason: string;
    try {
      return await call(body);
    } catch (err) {
      if (err instanceof SessionExpired) throw err;
      const res = asResponse(err);
      const refused = err instanceof RpcRefused ? err : res ? await refusalOf(res) : null;
      if (refused) {
        const retriable = refused.status >= 500 || (refused.status === 409 && refused.code === 10);
        if (!retriable) throw refused;
        last = refused;
        reason = `HTTP ${refused.status}`;
      } else {
        // The network, or a timeout: the request may or may not have arrived. Same key again.
        last = err;
        reason = err instanceof Error ? err.message : String(err);
      }
    }
    if (attempt + 1 >= attempts) break;
    const delayMs = jitteredDelay(attempt, opts.backoff ?? DEFAULT_BACKOFF, opts.random ?? Math.random);
    opts.onRetry?.({ attempt: attempt + 1, delayMs, idempotencyKey, reason });
    await new Promise((r) => setTimeout(r, delayMs));
  }
  throw last;
}
