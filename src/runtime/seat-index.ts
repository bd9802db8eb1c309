// The seat index: for each user, which match, seat and mode it holds, or how its last match
// ended. Kept in storage, written only by the server (permissionWrite 0), readable by its owner
// (permissionRead 1), so that nothing about where a player sits lives only in memory.
//
// The match writes it in the same callback that changes the seat, so it trails the match by one
// storage write at most. It may be stale only after a crash between the two; that is safe, as
// session_resume asks the match itself (and restores or reports ended) before answering.

import { SEAT_INDEX_COLLECTION, SEAT_INDEX_KEY } from './storage';

export { SEAT_INDEX_COLLECTION, SEAT_INDEX_KEY };

export interface SeatIndexEntry {
  matchId: string;
  seat: number;
  mode: string;
  /** Unix milliseconds of the write. */
  updatedAt: number;
  /** Set once the match ended with the user still seated. */
  ended?: { reason: string; result: unknown; at: number };
}

export function seatIndexWrite(userId: string, entry: SeatIndexEntry, version?: string): nkruntime.StorageWriteRequest {
  const w: nkruntime.StorageWriteRequest = {
    collection: SEAT_INDEX_COLLECTION,
    key: SEAT_INDEX_KEY,
    userId,
    value: entry as unknown as { [key: string]: any },
    permissionRead: 1,
    permissionWrite: 0,
  };
  if (version !== undefined) w.version = version;
  return w;
}

export function readSeatIndex(nk: nkruntime.Nakama, userId: string): { entry: SeatIndexEntry; version: string } | null {
  const found = nk.storageRead([{ collection: SEAT_INDEX_COLLECTION, key: SEAT_INDEX_KEY, userId }]);
  if (found.length === 0) return null;
  return { entry: found[0].value as SeatIndexEntry, version: found[0].version };
}

/**
 * Clears the user's entry only while it still points at `matchId`: a user who has meanwhile
 * taken a seat in another match keeps that newer entry.
 */
export function clearSeatIndex(nk: nkruntime.Nakama, userId: string, matchId: string): void {
  const current = readSeatIndex(nk, userId);
  if (current === null || current.entry.matchId !== matchId) return;
  nk.storageDelete([{ collection: SEAT_INDEX_COLLECTION, key: SEAT_INDEX_KEY, userId, version: current.version }]);
}
