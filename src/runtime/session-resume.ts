// session_resume: answers any signed-in player, at any time, where it stands. Nothing it needs
// lives only in memory: the seat index and checkpoints are in storage, and a match that no longer
// runs (a restart, a crash) is restored from its checkpoint here, exactly once.

import { restoreCheckpoint, type Reissue } from '../core/arena';
import { MATCH_MODULE } from '../protocol';
import { errorText } from './apply-effects';
import { deleteCheckpoint, readCheckpoint, readRestore } from './checkpoints';
import { Code, isRpcError, rpcError } from './codes';
import { parsePayload, requireUser, runRpc } from './rpc-util';
import { readSeatIndex, seatIndexWrite, type SeatIndexEntry } from './seat-index';
import {
  checkpointMaxAgeSec,
  CHECKPOINT_COLLECTION,
  isVersionConflict,
  resultRetentionSec,
  RESTORE_COLLECTION,
  SEAT_INDEX_COLLECTION,
  SEAT_INDEX_KEY,
  SYSTEM_USER,
} from './storage';

export type ResumeAnswer =
  | { status: 'active'; matchId: string; seat: number; mode: string; token: string | null }
  | { status: 'none' }
  | { status: 'ended'; matchId: string; reason: string; result: unknown };

/** How many restored generations to follow (a restored match that itself died, and so on). */
const MAX_HOPS = 3;

type Located = { ok: true; matchId: string; answer: Reissue } | { ok: false; ended: string };

function signalReissue(nk: nkruntime.Nakama, matchId: string, userId: string): Reissue | null {
  try {
    return JSON.parse(nk.matchSignal(matchId, JSON.stringify({ op: 'reissue', userId }))) as Reissue;
  } catch {
    // matchSignal throws when the match is not running: restarted, crashed or ended.
    return null;
  }
}

/**
 * Restores `oldMatchId` from its checkpoint as a new match, once. Concurrent callers each may
 * create a candidate, but only the one whose restore record is inserted (version "*") wins; the
 * record, the moved seat indexes and the checkpoint's removal commit in one transaction, and
 * losers stop their candidate and use the winner's.
 */
function restore(nk: nkruntime.Nakama, logger: nkruntime.Logger, ctx: nkruntime.Context, oldMatchId: string): { ok: true; matchId: string } | { ok: false; ended: string } {
  const already = readRestore(nk, oldMatchId);
  if (already !== null) return { ok: true, matchId: already };
  const found = readCheckpoint(nk, oldMatchId);
  if (found === null) return { ok: false, ended: 'match_lost' };
  const check = restoreCheckpoint(found.value, Date.now(), checkpointMaxAgeSec(ctx) * 1000);
  if (!check.ok) {
    logger.warn('%s', `checkpoint not restorable matchId=${oldMatchId} reason=${check.reason}`);
    deleteCheckpoint(nk, oldMatchId);
    return { ok: false, ended: `checkpoint_${check.reason}` };
  }
  const candidate = nk.matchCreate(MATCH_MODULE, { restoreFrom: oldMatchId });
  const moves: nkruntime.StorageWriteRequest[] = [];
  for (const s of check.state.seats) {
    if (s.userId === null || s.status === 'free') continue;
    const idx = readSeatIndex(nk, s.userId);
    if (idx === null || idx.entry.matchId !== oldMatchId) continue;
    moves.push(seatIndexWrite(s.userId, { ...idx.entry, matchId: candidate, updatedAt: Date.now() }, idx.version));
  }
  try {
    nk.multiUpdate(
      null,
      [{ collection: RESTORE_COLLECTION, key: oldMatchId, userId: SYSTEM_USER, value: { newMatchId: candidate, at: Date.now() }, version: '*', permissionRead: 0, permissionWrite: 0 }, ...moves],
      [{ collection: CHECKPOINT_COLLECTION, key: oldMatchId, userId: SYSTEM_USER, version: found.version }],
      null,
    );
    logger.info('%s', `match restored from checkpoint old=${oldMatchId} new=${candidate} seatsMoved=${moves.length}`);
    return { ok: true, matchId: candidate };
  } catch (err) {
    try {
      nk.matchSignal(candidate, JSON.stringify({ op: 'supersede' }));
    } catch {
      // Already gone: nothing to stop.
    }
    if (!isVersionConflict(err)) throw err;
    const winner = readRestore(nk, oldMatchId);
    if (winner !== null) return { ok: true, matchId: winner };
    // An index moved under us (a player joined elsewhere) and nobody won: the caller may retry.
    throw err;
  }
}

function locate(nk: nkruntime.Nakama, logger: nkruntime.Logger, ctx: nkruntime.Context, userId: string, matchId: string): Located {
  let current = matchId;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const answer = signalReissue(nk, current, userId);
    if (answer !== null) return { ok: true, matchId: current, answer };
    const restored = restore(nk, logger, ctx, current);
    if (!restored.ok) return restored;
    current = restored.matchId;
  }
  return { ok: false, ended: 'match_lost' };
}

function endedAnswer(entry: SeatIndexEntry): ResumeAnswer {
  return { status: 'ended', matchId: entry.matchId, reason: entry.ended?.reason ?? 'unknown', result: entry.ended?.result ?? null };
}

export function sessionResume(nk: nkruntime.Nakama, logger: nkruntime.Logger, ctx: nkruntime.Context, userId: string): ResumeAnswer {
  const idx = readSeatIndex(nk, userId);
  if (idx === null) return { status: 'none' };
  const entry = idx.entry;
  if (entry.ended !== undefined) {
    if (Date.now() - entry.ended.at <= resultRetentionSec(ctx) * 1000) return endedAnswer(entry);
    nk.storageDelete([{ collection: SEAT_INDEX_COLLECTION, key: SEAT_INDEX_KEY, userId, version: idx.version }]);
    return { status: 'none' };
  }
  const found = locate(nk, logger, ctx, userId, entry.matchId);
  if (!found.ok) {
    // The match may have ended a moment ago and stored its result: only write "lost" over the
    // entry this call read, never over a newer one.
    const ended: SeatIndexEntry = { ...entry, updatedAt: Date.now(), ended: { reason: found.ended, result: null, at: Date.now() } };
    try {
      nk.storageWrite([seatIndexWrite(userId, ended, idx.version)]);
      return endedAnswer(ended);
    } catch (err) {
      if (!isVersionConflict(err)) throw err;
      const now = readSeatIndex(nk, userId);
      return now !== null && now.entry.ended !== undefined ? endedAnswer(now.entry) : { status: 'none' };
    }
  }
  const a = found.answer;
  if (!a.ok && a.reason === 'stopping') throw rpcError(Code.UNAVAILABLE, 'the server is restarting; call session_resume again in a few seconds');
  if (a.ok) return { status: 'active', matchId: found.matchId, seat: a.seat, mode: a.mode, token: a.token };
  // The match says the user holds no seat: the index was stale (or the match just ended and
  // wrote the result a moment ago). Read once more and answer from storage.
  const again = readSeatIndex(nk, userId);
  if (again !== null && again.entry.ended !== undefined) return endedAnswer(again.entry);
  if (again !== null && again.entry.matchId === found.matchId) {
    nk.storageDelete([{ collection: SEAT_INDEX_COLLECTION, key: SEAT_INDEX_KEY, userId, version: again.version }]);
  }
  return { status: 'none' };
}

export function rpcSessionResume(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return runRpc('session_resume', ctx, logger, () => {
    const userId = requireUser(ctx);
    parsePayload(payload);
    try {
      return sessionResume(nk, logger, ctx, userId);
    } catch (err) {
      if (isRpcError(err)) throw err;
      // One retry covers a lost restore race whose winner had not yet committed.
      logger.warn('%s', `session_resume retry userId=${userId}: ${errorText(err)}`);
      return sessionResume(nk, logger, ctx, userId);
    }
  });
}
