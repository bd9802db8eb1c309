// Reading storage, and telling its failures apart: a lost race, an unreadable value, a real error.

import { errorText } from './errors.js';

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
 * Deletes one object if it is still at `req.version`: false when it changed (or went) meanwhile,
 * a lost race that leaves the newer object standing. Any other failure is thrown.
 */
export function deleteIfUnchanged(nk: nkruntime.Nakama, req: nkruntime.StorageDeleteRequest): boolean {
  try {
    nk.storageDelete([req]);
    return true;
  } catch (err) {
    if (isVersionConflict(err)) return false;
    throw err;
  }
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
