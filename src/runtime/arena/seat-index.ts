// The seat index: for each user, which match, seat and mode it holds, or how its last match
// ended. Kept in storage under the system user (key: the user id), so only the server can create,
// change or delete it, and nothing about where a player sits lives only in memory.
//
// The match writes it in the same callback that changes the seat, so it trails the match by one
// storage write at most. It may be stale only after a crash between the two; that is safe, as
// session_resume asks the match itself (and restores or reports ended) before answering. A value
// that does not have the entry's shape is treated as absent.

import { SEAT_INDEX_COLLECTION, SYSTEM_USER } from '../storage.js';
import { deleteIfUnchanged, isVersionConflict, readOne } from '../storage-io.js';

export interface SeatIndexEntry {
  matchId: string;
  seat: number;
  mode: string;
  /** Unix milliseconds of the write. */
  updatedAt: number;
  /** Set once the match ended with the user still seated. */
  ended?: { reason: string; result: unknown; at: number };
}

/** An authoritative match id: a UUID, a dot and the node name. */
const MATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_.-]{0,128}$/;

export function isMatchId(v: unknown): v is string {
  return typeof v === 'string' && MATCH_ID.test(v);
}

/** The entry if `raw` has its shape, else null. */
export function validSeatIndexEntry(raw: unknown): SeatIndexEntry | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const e = raw as Record<string, unknown>;
  if (!isMatchId(e.matchId) || !Number.isInteger(e.seat) || (e.seat as number) < -1 || (e.seat as number) > 64) return null;
  if (typeof e.mode !== 'string' || e.mode.length > 64 || typeof e.updatedAt !== 'number' || !Number.isFinite(e.updatedAt)) return null;
  const entry: SeatIndexEntry = { matchId: e.matchId, seat: e.seat as number, mode: e.mode, updatedAt: e.updatedAt };
  if (e.ended !== undefined && e.ended !== null) {
    const end = e.ended as Record<string, unknown>;
    if (typeof end !== 'object' || typeof end.reason !== 'string' || end.reason.length > 64 || typeof end.at !== 'number' || !Number.isFinite(end.at)) return null;
    entry.ended = { reason: end.reason, result: end.result ?? null, at: end.at };
  }
  return entry;
}

function ref(userId: string): { collection: string; key: string; userId: string } {
  return { collection: SEAT_INDEX_COLLECTION, key: userId, userId: SYSTEM_USER };
}

export function seatIndexWrite(userId: string, entry: SeatIndexEntry, version?: string): nkruntime.StorageWriteRequest {
  const w: nkruntime.StorageWriteRequest = { ...ref(userId), value: entry as unknown as { [key: string]: any }, permissionRead: 0, permissionWrite: 0 };
  if (version !== undefined) w.version = version;
  return w;
}

/** Deletes the entry if it is still at `version`; an empty version (an unreadable value) deletes it whatever it holds. */
function seatIndexDelete(userId: string, version: string): nkruntime.StorageDeleteRequest {
  return version === '' ? ref(userId) : { ...ref(userId), version };
}

/** Writes the user's entry (only if still at `version`, when one is given). */
export function writeSeatIndex(nk: nkruntime.Nakama, userId: string, entry: SeatIndexEntry, version?: string): void {
  nk.storageWrite([seatIndexWrite(userId, entry, version)]);
}

/** Deletes the user's entry if it is still at `version`; a newer entry stands. */
export function forgetSeatIndex(nk: nkruntime.Nakama, userId: string, version: string): void {
  deleteIfUnchanged(nk, seatIndexDelete(userId, version));
}

/**
 * The write that records how the match ended for a user still seated in it (session_resume
 * answers `ended` from it), conditional on the entry read; null for a user who has meanwhile taken
 * a seat in another match, whose newer entry stands.
 */
export function endWrite(nk: nkruntime.Nakama, userId: string, matchId: string, mode: string, ended: { reason: string; result: unknown; at: number }): nkruntime.StorageWriteRequest | null {
  const current = readSeatIndex(nk, userId);
  if (current !== null && current.entry !== null && current.entry.matchId !== matchId) return null;
  // An unreadable value (empty version) is overwritten whatever it holds.
  const version = current === null ? '*' : current.version === '' ? undefined : current.version;
  return seatIndexWrite(userId, { matchId, seat: current?.entry?.seat ?? -1, mode, updatedAt: ended.at, ended }, version);
}

/** endWrite on its own; a conflict (the entry changed since it was read) leaves the newer entry. */
export function recordEnd(nk: nkruntime.Nakama, userId: string, matchId: string, mode: string, ended: { reason: string; result: unknown; at: number }): void {
  const w = endWrite(nk, userId, matchId, mode, ended);
  if (w === null) return;
  try {
    nk.storageWrite([w]);
  } catch (err) {
    if (!isVersionConflict(err)) throw err;
  }
}

/**
 * The user's entry and its storage version. A stored value of the wrong shape is reported as
 * `corrupt` (with its version, so the caller may remove it) and never trusted.
 */
export function readSeatIndex(nk: nkruntime.Nakama, userId: string): { entry: SeatIndexEntry | null; version: string } | null {
  const found = readOne(nk, ref(userId));
  return found === null ? null : { entry: validSeatIndexEntry(found.value), version: found.version };
}

/**
 * Clears the user's entry only while it still points at `matchId`: a user who has meanwhile
 * taken a seat in another match keeps that newer entry.
 */
export function clearSeatIndex(nk: nkruntime.Nakama, userId: string, matchId: string): void {
  const current = readSeatIndex(nk, userId);
  if (current === null || current.entry === null || current.entry.matchId !== matchId) return;
  nk.storageDelete([seatIndexDelete(userId, current.version)]);
}
