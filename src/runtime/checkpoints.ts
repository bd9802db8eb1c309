// Checkpoint storage: one object per match under the system user, overwritten in place, so a
// match never has more than one and storage stays bounded by the number of live matches.

import { makeCheckpoint, type ArenaState } from '../core/arena';
import { CHECKPOINT_COLLECTION, RESTORE_COLLECTION, SYSTEM_USER } from './storage';

export function writeCheckpoint(nk: nkruntime.Nakama, state: ArenaState, matchId: string, tick: number, final: boolean): void {
  nk.storageWrite([
    {
      collection: CHECKPOINT_COLLECTION,
      key: matchId,
      userId: SYSTEM_USER,
      value: makeCheckpoint(state, matchId, tick, Date.now(), final) as unknown as { [key: string]: any },
      permissionRead: 0,
      permissionWrite: 0,
    },
  ]);
}

export function readCheckpoint(nk: nkruntime.Nakama, matchId: string): { value: unknown; version: string } | null {
  const found = nk.storageRead([{ collection: CHECKPOINT_COLLECTION, key: matchId, userId: SYSTEM_USER }]);
  return found.length === 0 ? null : { value: found[0].value, version: found[0].version };
}

export function deleteCheckpoint(nk: nkruntime.Nakama, matchId: string): void {
  nk.storageDelete([{ collection: CHECKPOINT_COLLECTION, key: matchId, userId: SYSTEM_USER }]);
}

export function readRestore(nk: nkruntime.Nakama, oldMatchId: string): string | null {
  const found = nk.storageRead([{ collection: RESTORE_COLLECTION, key: oldMatchId, userId: SYSTEM_USER }]);
  const id = found.length === 0 ? null : (found[0].value as { newMatchId?: unknown }).newMatchId;
  return typeof id === 'string' ? id : null;
}

export function deleteRestore(nk: nkruntime.Nakama, oldMatchId: string): void {
  nk.storageDelete([{ collection: RESTORE_COLLECTION, key: oldMatchId, userId: SYSTEM_USER }]);
}
