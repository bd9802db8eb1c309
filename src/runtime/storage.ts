// Storage collections the module owns. Everything is server-written (permissionWrite 0).
//
// What session_resume and restores trust (seat index, checkpoints, restore records) is owned by
// the system user: a client can only ever write objects owned by itself, so it can neither
// create, change nor delete these, whatever the order of events. The per-user objects (receipts,
// inventory) are shielded by the storage hooks in storage-guard.ts, and every value read back is
// validated before it is used.

import { errorText } from './errors.js';

/** Owner of the objects that belong to no user: no client session can write as this user. */
export const SYSTEM_USER = '00000000-0000-0000-0000-000000000000';

/** Every collection whose name starts with this belongs to the module; clients may not write it. */
export const MODULE_COLLECTION_PREFIX = 'rejoin_';

/** System user, key = user id: where the user holds a seat, or how its last match ended. */
export const SEAT_INDEX_COLLECTION = 'rejoin_seat';
/** Per match (system user, key = match id): the latest checkpoint. */
export const CHECKPOINT_COLLECTION = 'rejoin_checkpoint';
/** Per restored match (system user, key = old match id): which new match continues it. */
export const RESTORE_COLLECTION = 'rejoin_restore';

export function isVersionConflict(err: unknown): boolean {
  const msg = errorText(err);
  return /version check failed/i.test(msg);
}

/**
 * A transaction that lost to a concurrent one: a version check, or a commit PostgreSQL turned
 * into a rollback (seen on 3.26.0 under many parallel multiUpdates of one user's objects).
 * Retrying from a fresh read is safe.
 */
export function isContention(err: unknown): boolean {
  const msg = errorText(err);
  return /version check failed|unexpectedly resulted in rollback|could not serialize/i.test(msg);
}

/**
 * The server could not turn a stored value into an object (it holds an array, a string or a
 * number): the object exists but cannot be read. Only a write straight into the database does that.
 */
export function isUnreadableValue(err: unknown): boolean {
  return /failed to convert value to json/i.test(errorText(err));
}

/**
 * Reads one object. A value the server cannot turn into an object comes back as null with an
 * empty version (an unconditional delete removes it); any other failure is thrown.
 */
export function readOne(nk: nkruntime.Nakama, req: nkruntime.StorageReadRequest): { value: unknown; version: string } | null {
  try {
    const found = nk.storageRead([req]);
    return found.length === 0 ? null : { value: found[0].value, version: found[0].version };
  } catch (err) {
    if (isUnreadableValue(err)) return { value: null, version: '' };
    throw err;
  }
}

/** Seconds from runtime.env `key`, or `fallback` when unset; a bad value stops start-up (see startup.ts). */
export function envSeconds(ctx: nkruntime.Context, key: string, fallback: number): number {
  const raw = ctx.env?.[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${key} must be a positive number of seconds (got ${JSON.stringify(raw)})`);
  return n;
}

/** How long `ended` answers are kept for session_resume. */
export function resultRetentionSec(ctx: nkruntime.Context): number {
  return envSeconds(ctx, 'REJOIN_RESULT_RETENTION_SEC', 86_400);
}

/** A checkpoint older than this is not restored (the match is reported ended). */
export function checkpointMaxAgeSec(ctx: nkruntime.Context): number {
  return envSeconds(ctx, 'REJOIN_CHECKPOINT_MAX_AGE_SEC', 1800);
}
