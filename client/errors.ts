// What the client library throws, and how it reads the errors nakama-js hands it.
import { RejectReason } from '../src/protocol.js';

/** A join the server refused: `reason` is its rejectMessage (`token_invalid`, `match_full`, …). */
export class JoinRefused extends Error {
  constructor(
    readonly reason: string,
    readonly code?: number,
  ) {
    super(reason);
    this.name = 'JoinRefused';
  }
}

/** The login cannot be renewed and no `reauthenticate` callback was given. */
export class SessionExpired extends Error {
  constructor() {
    super('session_expired');
    this.name = 'SessionExpired';
  }
}

/** Refusals after which retrying cannot help. */
export const FINAL = new Set<string>([RejectReason.TOKEN_EXPIRED, RejectReason.NOT_INVITED, RejectReason.MATCH_FULL, RejectReason.METADATA_INVALID]);
/** Refusals that session_resume can fix (a fresh token, a restored match, or how the match ended). */
export const ASK_RESUME = new Set<string>([RejectReason.TOKEN_INVALID, RejectReason.SEAT_LOST, 'match_not_found']);

/** A 64-hex reconnect token or a JWT must never reach a log line, whatever an error message holds. */
export function redact(text: string): string {
  return text.replace(/[0-9a-f]{64}/gi, '[redacted]').replace(/[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[redacted]').replace(/token=[^&\s]+/g, 'token=[redacted]');
}

/** The reason an error carries: a refusal's rejectMessage, or the error's message. */
export function reasonOf(err: unknown): string {
  if (err instanceof JoinRefused) return err.reason;
  if (typeof err === 'string') return err;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

/** nakama-js rejects an HTTP call with the raw fetch Response: that, or null for anything else. */
export function asResponse(err: unknown): Response | null {
  const r = err as Response;
  return typeof r === 'object' && r !== null && typeof r.status === 'number' && typeof r.json === 'function' ? r : null;
}
