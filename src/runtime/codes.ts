// Numbers the server uses: gRPC status codes an RPC error carries, and presence reasons.
// Upstream declares both as ambient const enums, which do not exist at run time inside the
// server, so the module keeps its own.

/** gRPC status codes an RPC error carries. */
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

/**
 * Nakama's presence reasons, as numbers. The server boxes them: compare Number(presence.reason).
 */
export const PresenceReason = {
  UNKNOWN: 0,
  JOIN: 1,
  UPDATE: 2,
  LEAVE: 3,
  DISCONNECT: 4,
} as const;
