// Shared RPC plumbing: payload parsing and error translation. Every failure leaves an RPC as
// `{message, code}` with the right gRPC code; an unexpected one is logged and reported as
// INTERNAL without its details.

import { Code } from './codes.js';
import { isRpcError, rpcError, errorText } from './errors.js';
import { logWith } from './log.js';
import { RpcErrorReason } from '../protocol.js';

/** Largest RPC payload read, in characters. */
export const MAX_PAYLOAD_CHARS = 4096;

export function parsePayload(payload: string | null | undefined): Record<string, unknown> {
  const text = payload === null || payload === undefined || payload.trim() === '' ? '{}' : payload;
  if (text.length > MAX_PAYLOAD_CHARS) throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, `payload is longer than ${MAX_PAYLOAD_CHARS} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, 'payload is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, 'payload must be a JSON object');
  return value as Record<string, unknown>;
}

export function requireUser(ctx: nkruntime.Context): string {
  if (typeof ctx.userId !== 'string' || ctx.userId === '') throw rpcError(Code.UNAUTHENTICATED, RpcErrorReason.UNAUTHENTICATED, 'a signed-in user session is required');
  return ctx.userId;
}

/** Runs an RPC body and answers its JSON; anything it throws becomes a proper `{message, code}`. */
export function runRpc<Answer = unknown>(name: string, ctx: nkruntime.Context, logger: nkruntime.Logger, body: () => Answer): string {
  try {
    return JSON.stringify(body());
  } catch (err) {
    if (isRpcError(err)) throw err;
    logWith(logger, 'error', `rpc ${name} failed`, { userId: ctx.userId ?? '', error: errorText(err) });
    throw rpcError(Code.INTERNAL, RpcErrorReason.INTERNAL, `${name} failed; try again`);
  }
}
