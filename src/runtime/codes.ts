import type { RpcErrorReason } from '../protocol.js';

/**
 * How the operator RPCs' errors start, besides the shared reasons: a refusal by the match itself
 * is its own reason (`ended`, `no_such_seat`, `not_reserved`, `stopping`).
 */
export type AdminErrorReason = 'not_running' | 'ended' | 'no_such_seat' | 'not_reserved' | 'stopping';

// Numbers the server uses: gRPC status codes an RPC error carries, and presence reasons.
// gRPC status codes an RPC error carries. Upstream declares nkruntime.Codes as an ambient const
// enum, which does not exist at run time inside the server, so the module keeps its own.
export const Code = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

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

/**
 * Nakama's presence reasons, as numbers (upstream declares them as an ambient const enum too). The
 * server boxes them: compare Number(presence.reason).
 */
export const PresenceReason = {
  UNKNOWN: 0,
  JOIN: 1,
  UPDATE: 2,
  LEAVE: 3,
  DISCONNECT: 4,
} as const;
