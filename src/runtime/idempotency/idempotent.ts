// A reusable exactly-once wrapper for mutating RPCs, keyed by the client's idempotencyKey.
//
// Read the record and whatever the mutation needs in one storage read; decide; commit the
// mutation's writes, wallet changes and the new record in ONE nk.multiUpdate, the record
// inserted with version "*". So a crash cannot leave the mutation without its record, and of
// two concurrent requests with one key exactly one commits: the other's insert fails the
// version check, its whole transaction rolls back, and it answers with the winner's record.

import { decide, isValidKey, recordsToPrune, type IdempotencyRecord } from '../../core/idempotency/decision.js';
import { IdempotencyError, RpcErrorReason } from '../../protocol.js';
import { Code } from '../codes.js';
import { rpcError, errorText } from '../errors.js';
import { IDEMPOTENCY_COLLECTION } from '../storage.js';
import { isContention } from '../storage-io.js';
import { envSeconds } from '../env.js';
import { longestGraceSec, parseModeTable } from '../../core/modes.js';
import { countTotal } from '../metrics.js';
import { logWith } from '../log.js';

/**
 * Rounds of read-plan-commit when the mutation's own optimistic writes lose races. Kept small on
 * purpose: each round holds one of the server's JavaScript VMs, and under heavy contention for
 * one user's objects (many parallel purchases) long retry loops would exhaust the VM pool for
 * everyone. Past this a request answers ABORTED having changed nothing, and the client retries
 * with the same key after a jittered pause.
 */
const MAX_ATTEMPTS = 5;

export interface Plan<R> {
  writes: nkruntime.StorageWriteRequest[];
  wallet: nkruntime.WalletUpdate[];
  result: R;
}

export interface IdempotentCall<R> {
  userId: string;
  rpc: string;
  key: string;
  /** Fingerprint of the request (a hash of its canonical text). */
  fp: string;
  /** Extra objects the plan needs, read together with the record. */
  reads: nkruntime.StorageReadRequest[];
  /** Builds the mutation from what was read; throws an RpcError to refuse (nothing is written). */
  plan(objects: nkruntime.StorageObject[]): Plan<R>;
  /** Whether a stored result has the shape this RPC answers with; one that does not is never replayed. */
  isResult?(r: unknown): boolean;
  /** Turns a failure of the commit other than a version conflict into an RpcError, or null. */
  explain?(err: unknown): { message: string; code: Code } | null;
  retentionMs: number;
  maxRecords: number;
}

/** How long a key's record is kept, and how many one user keeps at most (runtime.env). */
export function idempotencySettings(ctx: nkruntime.Context): { retentionMs: number; maxRecords: number } {
  const budget = envSeconds(ctx, 'IDEMPOTENCY_RETRY_BUDGET_SEC', 3600);
  const maxRaw = ctx.env?.IDEMPOTENCY_MAX_RECORDS;
  const maxRecords = maxRaw === undefined || maxRaw === '' ? 200 : Number(maxRaw);
  if (!Number.isInteger(maxRecords) || maxRecords < 10 || maxRecords > 10_000) throw new Error(`IDEMPOTENCY_MAX_RECORDS must be a whole number from 10 to 10000 (got ${JSON.stringify(maxRaw)})`);
  return {
    // A record must outlive every retry a client could make: the longest grace window (a client
    // retries after it comes back) plus the configured retry budget.
    retentionMs: (longestGraceSec(parseModeTable(ctx.env?.REJOIN_MODES)) + budget) * 1000,
    maxRecords,
  };
}

function recordKey(rpc: string, key: string): string {
  return `${rpc}/${key}`;
}

/** The request's idempotencyKey, or an INVALID_ARGUMENT refusal when it is missing or malformed. */
export function requireKey(key: unknown): string {
  if (!isValidKey(key)) throw rpcError(Code.INVALID_ARGUMENT, IdempotencyError.KEY_INVALID, `idempotencyKey must be 8-64 characters of A-Z, a-z, 0-9, _ and -`);
  return key;
}

/**
 * Runs a mutating RPC's body exactly once per (user, rpc, key): the mutation `plan` returns is
 * committed in one transaction with the key's record; a retry with the same key and request gets
 * the stored result (`replayed: true`), one with a different request a conflict.
 */
export function runIdempotent<R extends object>(nk: nkruntime.Nakama, logger: nkruntime.Logger, call: IdempotentCall<R>): R & { replayed: boolean } {
  requireKey(call.key);
  const k = recordKey(call.rpc, call.key);
  const recordRead = { collection: IDEMPOTENCY_COLLECTION, key: k, userId: call.userId };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const objects = nk.storageRead([recordRead, ...call.reads]);
    const stored = objects.find((o) => o.collection === IDEMPOTENCY_COLLECTION && o.key === k) ?? null;
    const now = Date.now();
    const decision = decide(stored?.value, call.fp, now, call.retentionMs, call.isResult);
    if (decision.kind === 'expired' && stored !== null && now - Number(stored.value?.at) <= call.retentionMs) {
      logWith(logger, 'warn', 'idempotency record malformed, treated as absent', { rpc: call.rpc, userId: call.userId });
    }
    if (decision.kind === 'replay') {
      countTotal(nk, 'rejoin_idempotent_replays', { rpc: call.rpc });
      return { ...(decision.result as R), replayed: true };
    }
    if (decision.kind === 'conflict') {
      countTotal(nk, 'rejoin_idempotent_conflicts', { rpc: call.rpc });
      throw rpcError(Code.ALREADY_EXISTS, IdempotencyError.CONFLICT, `key ${call.key} was used for a different ${call.rpc} request`);
    }
    const plan = call.plan(objects.filter((o) => o !== stored));
    const record: IdempotencyRecord = { fp: call.fp, rpc: call.rpc, result: plan.result, at: now };
    const recordWrite: nkruntime.StorageWriteRequest = {
      ...recordRead,
      value: record as unknown as { [key: string]: any },
      // New keys insert only if absent; an expired record is replaced only if unchanged.
      version: decision.kind === 'expired' && stored !== null ? stored.version : '*',
      permissionRead: 0,
      permissionWrite: 0,
    };
    try {
      nk.multiUpdate(null, [...plan.writes, recordWrite], null, plan.wallet, true);
    } catch (err) {
      // Either a concurrent request with this key won (the next read replays it), or the
      // plan's own optimistic write lost a race with another mutation (the next round re-plans).
      if (isContention(err)) continue;
      const explained = call.explain?.(err);
      if (explained) throw explained;
      throw err;
    }
    pruneSometimes(nk, logger, call, now);
    return { ...plan.result, replayed: false };
  }
  throw rpcError(Code.ABORTED, RpcErrorReason.CONTENDED, `${call.rpc} is contended; retry with the same idempotencyKey`);
}

/**
 * Keeps the number of records per user bounded. One new record in 16 (chosen by the key, so
 * deterministic) lists the user's records and deletes those past retention, then the oldest
 * beyond maxRecords. Between two prunes a user adds about 16 records, so a user holds at most
 * maxRecords + 16 live ones, plus what a prune could not list (it reads up to
 * maxRecords + 200). A pruned key that comes back is treated as new; retention is set to
 * outlast any client's retry budget, and the cap only bites for a user making more than
 * maxRecords purchases within retention.
 */
function pruneSometimes(nk: nkruntime.Nakama, logger: nkruntime.Logger, call: IdempotentCall<object>, now: number): void {
  if (nk.sha256Hash(call.key).charAt(0) !== '0') return;
  try {
    const found: [string, number][] = [];
    let cursor: string | undefined;
    const pages = Math.ceil((call.maxRecords + 200) / 100);
    for (let i = 0; i < pages; i++) {
      const page = nk.storageList(call.userId, IDEMPOTENCY_COLLECTION, 100, cursor);
      for (const o of page.objects ?? []) found.push([o.key, typeof o.value?.at === 'number' ? o.value.at : 0]);
      cursor = page.cursor;
      if (!cursor) break;
    }
    const doomed = recordsToPrune(found, now, call.retentionMs, call.maxRecords);
    if (doomed.length > 0) nk.storageDelete(doomed.map((key) => ({ collection: IDEMPOTENCY_COLLECTION, key, userId: call.userId })));
  } catch (err) {
    logWith(logger, 'warn', 'idempotency prune failed', { userId: call.userId, error: errorText(err) });
  }
}
