// Exactly-once RPCs: decisions about a client's idempotencyKey, given the record stored for it.
//
// The record (fingerprint of the request, the result, when) is written in the same transaction
// as the mutation, so "applied but not recorded" cannot happen; the adapter does the I/O.

/** 8-64 characters of A-Z, a-z, 0-9, `_` and `-`: a UUID fits, so does a ULID. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && IDEMPOTENCY_KEY_PATTERN.test(key);
}

/** What is kept per key. */
export interface IdempotencyRecord {
  /** Fingerprint of the request: the same key with another request is a conflict. */
  fp: string;
  rpc: string;
  /** The answer given, returned again on every replay. */
  result: unknown;
  /** Unix milliseconds when it was written. */
  at: number;
}

export type Decision =
  | { kind: 'new' }
  /** The record is past retention: the key may be reused, overwriting the record. */
  | { kind: 'expired' }
  | { kind: 'replay'; result: unknown }
  | { kind: 'conflict' };

/**
 * A canonical text of a request: the RPC name and the fields in sorted order, so that the same
 * request sent with its fields in another order has the same fingerprint.
 */
export function canonicalRequest(rpc: string, fields: Record<string, string | number | boolean | null>): string {
  const keys = Object.keys(fields).sort();
  return JSON.stringify([rpc, keys.map((k) => [k, fields[k]])]);
}

function isRecord(v: unknown): v is IdempotencyRecord {
  return typeof v === 'object' && v !== null && typeof (v as IdempotencyRecord).fp === 'string' && typeof (v as IdempotencyRecord).at === 'number';
}

/**
 * What to do with a request, given the record stored for its key. A record that cannot be read,
 * or whose result does not have the shape `isResult` expects, is never replayed: it is treated as
 * expired, and overwriting it is the only way forward.
 */
export function decide(stored: unknown, fp: string, nowMs: number, retentionMs: number, isResult: (r: unknown) => boolean = () => true): Decision {
  if (stored === null || stored === undefined) return { kind: 'new' };
  if (!isRecord(stored)) return { kind: 'expired' };
  if (nowMs - stored.at > retentionMs) return { kind: 'expired' };
  if (stored.fp !== fp) return { kind: 'conflict' };
  if (!isResult(stored.result)) return { kind: 'expired' };
  return { kind: 'replay', result: stored.result };
}

/**
 * Which records to delete so that a user keeps at most `max`, none of them past retention:
 * expired ones first, then the oldest beyond the cap. `records` are [storage key, written at].
 */
export function recordsToPrune(records: [string, number][], nowMs: number, retentionMs: number, max: number): string[] {
  const expired = records.filter(([, at]) => nowMs - at > retentionMs).map(([k]) => k);
  const live = records.filter(([, at]) => nowMs - at <= retentionMs).sort((a, b) => b[1] - a[1]);
  return [...expired, ...live.slice(max).map(([k]) => k)];
}
