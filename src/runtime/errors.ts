// Errors: the `{message, code}` shape an RPC throws, and the one way the adapter reads any
// error's message.

import type { RpcErrorReason } from '../protocol.js';
import type { Code } from './codes.js';

/**
 * How the operator RPCs' errors start, besides the shared reasons: a refusal by the match itself
 * is its own reason (`ended`, `no_such_seat`, `not_reserved`, `stopping`).
 */
export type AdminErrorReason = 'not_running' | 'ended' | 'no_such_seat' | 'not_reserved' | 'stopping';

/** The error shape Nakama turns into an RPC error response: `{message, code}`. */
export interface RpcError {
  message: string;
  code: Code;
}

/**
 * An RPC error whose message starts with its reason, `<reason>: <detail>`: over the realtime
 * socket every module error arrives as code 7 with only the message, so the reason is what a
 * client reads (docs/protocol.md).
 */
export function rpcError(code: Code, reason: RpcErrorReason | AdminErrorReason, detail: string): RpcError {
  return { message: `${reason}: ${detail}`, code };
}

export function isRpcError(e: unknown): e is RpcError {
  return typeof e === 'object' && e !== null && typeof (e as RpcError).message === 'string' && typeof (e as RpcError).code === 'number';
}

/** An error's message, whatever was thrown: the server throws Go errors, JavaScript Errors and plain `{message, code}` objects alike. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
