// Checkpoint storage: one object per match under the system user, overwritten in place, so a
// match never has more than one and storage stays bounded by the number of live matches.
//
// The checkpoint is also the match's lease (see core/arena/lease.ts): every write is conditional on the
// version this match last wrote ("*" for its first), so a match that was taken over learns it at
// its next write instead of overwriting the copy that replaced it.

import { makeCheckpoint, restorableText, type ArenaState } from '../../core/arena/index.js';
import type { Lease } from '../../core/arena/lease.js';
import { timeSeconds } from '../metrics.js';
import { isMatchId } from './seat-index.js';
import { CHECKPOINT_COLLECTION, RESTORE_COLLECTION, SYSTEM_USER } from '../storage.js';
import { deleteIfUnchanged, isVersionConflict, readOne } from '../storage-io.js';

/** How a checkpoint write went: written (the lease is renewed), superseded, or failed (try later). */
export type WriteOutcome = { kind: 'written'; lease: Lease } | { kind: 'superseded' } | { kind: 'failed'; error: unknown };

/** `text`: restorableText(state), when the caller has it already. */
export function writeCheckpoint(nk: nkruntime.Nakama, state: ArenaState, matchId: string, tick: number, final: boolean, lease: Lease, text = restorableText(state)): WriteOutcome {
  const now = Date.now();
  const out = tryWrite(nk, state, matchId, tick, final, lease, now, text);
  timeSeconds(nk, 'rejoin_checkpoint_write', { outcome: out.kind }, (Date.now() - now) / 1000);
  return out;
}

function tryWrite(nk: nkruntime.Nakama, state: ArenaState, matchId: string, tick: number, final: boolean, lease: Lease, now: number, text: string): WriteOutcome {
  try {
    const acks = nk.storageWrite([
      {
        collection: CHECKPOINT_COLLECTION,
        key: matchId,
        userId: SYSTEM_USER,
        value: makeCheckpoint(state, matchId, tick, now, final, text) as unknown as { [key: string]: any },
        version: lease.version ?? '*',
        permissionRead: 0,
        permissionWrite: 0,
      },
    ]);
    return { kind: 'written', lease: { version: acks[0]?.version ?? null, sinceMs: now, written: text, writeFailed: false } };
  } catch (err) {
    // The object is not the one this match last wrote (or, for a first write, exists already):
    // another copy has taken the match over.
    if (isVersionConflict(err)) return { kind: 'superseded' };
    return { kind: 'failed', error: err };
  }
}

export function readCheckpoint(nk: nkruntime.Nakama, matchId: string): { value: unknown; version: string } | null {
  return readOne(nk, { collection: CHECKPOINT_COLLECTION, key: matchId, userId: SYSTEM_USER });
}

/** Removes the checkpoint this match wrote; one that another copy now owns is left alone. */
export function deleteOwnCheckpoint(nk: nkruntime.Nakama, matchId: string, lease: Lease): void {
  const d = ownCheckpointDelete(matchId, lease);
  // A conflict ("not found, version check failed, or permission denied"): already gone or taken over.
  if (d !== null) deleteIfUnchanged(nk, d);
}

/** Removes a checkpoint found unusable, if it is still at `version` (empty: whatever it holds). */
export function deleteCheckpoint(nk: nkruntime.Nakama, matchId: string, version: string): void {
  const id = { collection: CHECKPOINT_COLLECTION, key: matchId, userId: SYSTEM_USER };
  deleteIfUnchanged(nk, version === '' ? id : { ...id, version });
}

/** Per restored match: which new match continues it. */
export interface RestoreRecord {
  newMatchId: string;
  at: number;
}

export function restoreRecordWrite(oldMatchId: string, record: RestoreRecord): nkruntime.StorageWriteRequest {
  return { collection: RESTORE_COLLECTION, key: oldMatchId, userId: SYSTEM_USER, value: record as unknown as { [key: string]: any }, version: '*', permissionRead: 0, permissionWrite: 0 };
}

/** The match that continues `oldMatchId`, if a restore of it committed; a malformed record counts as none. */
export function readRestore(nk: nkruntime.Nakama, oldMatchId: string): string | null {
  const found = readOne(nk, { collection: RESTORE_COLLECTION, key: oldMatchId, userId: SYSTEM_USER });
  const id = (found?.value as { newMatchId?: unknown } | null | undefined)?.newMatchId;
  return isMatchId(id) ? id : null;
}

export function restoreDelete(oldMatchId: string): nkruntime.StorageDeleteRequest {
  return { collection: RESTORE_COLLECTION, key: oldMatchId, userId: SYSTEM_USER };
}

export function deleteRestore(nk: nkruntime.Nakama, oldMatchId: string): void {
  nk.storageDelete([restoreDelete(oldMatchId)]);
}

/** The delete of the checkpoint this match wrote, at the version it wrote; null if it wrote none. */
export function ownCheckpointDelete(matchId: string, lease: Lease): nkruntime.StorageDeleteRequest | null {
  return lease.version === null ? null : { collection: CHECKPOINT_COLLECTION, key: matchId, userId: SYSTEM_USER, version: lease.version };
}
