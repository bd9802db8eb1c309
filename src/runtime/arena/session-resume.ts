// session_resume: answers any signed-in player, at any time, where it stands. Nothing it needs
// lives only in memory: the seat index and checkpoints are in storage.
//
// One live copy of every match: a match is restored from its checkpoint only when its owner is
// gone. On this node that is a fact the match registry knows (the match does not run here); a
// busy match is alive and is never restored. A match of another node is restored only once its
// lease has run out (core/arena/lease.ts), or at once from a graceful shutdown's final checkpoint; while
// the lease holds, the player is told where the match runs.

import { leaseRecordOf, restoreCheckpoint } from '../../core/arena/index.js';
import { takeoverAllowed } from '../../core/arena/lease.js';
import { decodeReissueAnswer, RpcErrorReason, type ReissueAnswer, type ResumeAnswer } from '../../protocol.js';
import { deleteCheckpoint, readCheckpoint, readRestore, restoreRecordWrite } from './checkpoint-store.js';
import { Code } from '../codes.js';
import { isRpcError, rpcError, errorText } from '../errors.js';
import type { Arena } from './options.js';
import { checkpointMaxAgeSec, modeTable, resultRetentionSec } from '../env.js';
import { parsePayload, requireUser, runRpc } from '../rpc-util.js';
import { forgetSeatIndex, readSeatIndex, seatIndexWrite, writeSeatIndex, type SeatIndexEntry } from './seat-index.js';
import { CHECKPOINT_COLLECTION, SYSTEM_USER } from '../storage.js';
import { isVersionConflict } from '../storage-io.js';
import { logWith } from '../log.js';
import { signalMatch } from './signal.js';

export type { ResumeAnswer };

/** How many restored generations to follow (a restored match that itself died, and so on). */
const MAX_HOPS = 3;

/** A restore that lost a race to a change nobody could name yet: the caller retries once. */
class RestoreContended extends Error {}

const BUSY = rpcError(Code.UNAVAILABLE, RpcErrorReason.BUSY, 'the match is busy; call session_resume again in a moment');

/** The node a match runs on: the part of its id after the first dot. */
export function nodeOf(matchId: string): string {
  const dot = matchId.indexOf('.');
  return dot < 0 ? '' : matchId.slice(dot + 1);
}

type Reissued = { kind: 'answer'; answer: ReissueAnswer } | { kind: 'busy' } | { kind: 'notRunning' };

/** Asks a match of this node for a fresh token; an answer that is not one counts as busy. */
function signalReissue(nk: nkruntime.Nakama, matchId: string, userId: string): Reissued {
  const sent = signalMatch(nk, matchId, { op: 'reissue', userId });
  if (sent.kind !== 'answer') return sent;
  const answer = decodeReissueAnswer(sent.raw);
  if (answer === null) return { kind: 'busy' };
  // A copy that has just handed over to another is as good as stopped: follow the restore.
  return !answer.ok && answer.reason === 'moved' ? { kind: 'notRunning' } : { kind: 'answer', answer };
}

type Restored = { kind: 'restored'; matchId: string } | { kind: 'alive' } | { kind: 'ended'; reason: string };

/**
 * Whether a match of another node that has no checkpoint may still run: it writes none until
 * someone holds a seat for a checkpoint interval, or ever, in a mode without periodic
 * checkpoints. A match cannot outlive its round, so past twice the round length it is gone.
 */
function mayStillRun(ctx: nkruntime.Context, nk: nkruntime.Nakama, entry: SeatIndexEntry, nowMs: number): boolean {
  const mode = modeTable(ctx, nk)[entry.mode];
  return mode !== undefined && nowMs - entry.updatedAt < 2 * mode.roundSec * 1000;
}

/**
 * Restores `oldMatchId` from its checkpoint as a new match, once. Concurrent callers may each
 * create a candidate, but only the one whose restore record is inserted (version "*") wins: the
 * record, the moved seat indexes and the checkpoint's removal (conditional on the version read, so
 * an owner that renewed its lease meanwhile wins instead) commit in one transaction. A candidate
 * acts only once it sees its own id in the record; losers discard themselves.
 */
function restore(arena: Arena, nk: nkruntime.Nakama, logger: nkruntime.Logger, ctx: nkruntime.Context, oldMatchId: string, local: boolean, entry: SeatIndexEntry): Restored {
  const already = readRestore(nk, oldMatchId);
  if (already !== null) return { kind: 'restored', matchId: already };
  const now = Date.now();
  const found = readCheckpoint(nk, oldMatchId);
  if (found === null) {
    // A restore that committed between the two reads removed the checkpoint: follow it.
    const since = readRestore(nk, oldMatchId);
    if (since !== null) return { kind: 'restored', matchId: since };
    return !local && mayStillRun(ctx, nk, entry, now) ? { kind: 'alive' } : { kind: 'ended', reason: 'match_lost' };
  }
  const lease = leaseRecordOf(found.value);
  if (!local && lease !== null && !takeoverAllowed(lease, now)) return { kind: 'alive' };
  const check = restoreCheckpoint(found.value, now, checkpointMaxAgeSec(ctx) * 1000, arena.game);
  if (!check.ok) {
    logWith(logger, 'warn', 'checkpoint not restorable', { matchId: oldMatchId, reason: check.reason });
    deleteCheckpoint(nk, oldMatchId, found.version);
    return { kind: 'ended', reason: `checkpoint_${check.reason}` };
  }
  const candidate = nk.matchCreate(arena.matchName, { restoreFrom: oldMatchId });
  const moves: nkruntime.StorageWriteRequest[] = [];
  for (const s of check.state.seats) {
    if (s.userId === null || s.status === 'free') continue;
    const idx = readSeatIndex(nk, s.userId);
    if (idx === null || idx.entry === null || idx.entry.matchId !== oldMatchId) continue;
    moves.push(seatIndexWrite(s.userId, { ...idx.entry, matchId: candidate, updatedAt: Date.now() }, idx.version));
  }
  try {
    nk.multiUpdate(
      null,
      [restoreRecordWrite(oldMatchId, { newMatchId: candidate, at: Date.now() }), ...moves],
      [{ collection: CHECKPOINT_COLLECTION, key: oldMatchId, userId: SYSTEM_USER, version: found.version }],
      null,
    );
  } catch (err) {
    // Gone or busy, the candidate also discards itself when it finds another id in the record.
    signalMatch(nk, candidate, { op: 'supersede' });
    if (!isVersionConflict(err)) throw err;
    const winner = readRestore(nk, oldMatchId);
    if (winner !== null) return { kind: 'restored', matchId: winner };
    // The owner renewed its lease, or a seat index moved: read everything again.
    throw new RestoreContended(`restore of ${oldMatchId} lost a race`);
  }
  logWith(logger, 'info', 'match restored from checkpoint', { old: oldMatchId, new: candidate, seatsMoved: moves.length, final: lease?.final ?? false });
  return { kind: 'restored', matchId: candidate };
}

type Located = { kind: 'here'; matchId: string; answer: ReissueAnswer } | { kind: 'elsewhere'; matchId: string; node: string } | { kind: 'ended'; reason: string };

function locate(arena: Arena, nk: nkruntime.Nakama, logger: nkruntime.Logger, ctx: nkruntime.Context, userId: string, entry: SeatIndexEntry): Located {
  let current = entry.matchId;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const node = nodeOf(current);
    const local = node === (ctx.node ?? '');
    if (local) {
      const sig = signalReissue(nk, current, userId);
      if (sig.kind === 'answer') return { kind: 'here', matchId: current, answer: sig.answer };
      if (sig.kind === 'busy') throw BUSY;
    }
    const r = restore(arena, nk, logger, ctx, current, local, entry);
    if (r.kind === 'alive') return { kind: 'elsewhere', matchId: current, node };
    if (r.kind === 'ended') return r;
    current = r.matchId;
  }
  return { kind: 'ended', reason: 'match_lost' };
}

function endedAnswer(entry: SeatIndexEntry): ResumeAnswer {
  return { status: 'ended', matchId: entry.matchId, reason: entry.ended?.reason ?? 'unknown', result: entry.ended?.result ?? null };
}

export function sessionResume(arena: Arena, nk: nkruntime.Nakama, logger: nkruntime.Logger, ctx: nkruntime.Context, userId: string): ResumeAnswer {
  const idx = readSeatIndex(nk, userId);
  if (idx === null) return { status: 'none' };
  const entry = idx.entry;
  if (entry === null) {
    logWith(logger, 'warn', 'seat index entry malformed, ignored', { userId: userId });
    forgetSeatIndex(nk, userId, idx.version);
    return { status: 'none' };
  }
  if (entry.ended !== undefined) {
    if (Date.now() - entry.ended.at <= resultRetentionSec(ctx) * 1000) return endedAnswer(entry);
    forgetSeatIndex(nk, userId, idx.version);
    return { status: 'none' };
  }
  const found = locate(arena, nk, logger, ctx, userId, entry);
  if (found.kind === 'elsewhere') return { status: 'elsewhere', matchId: found.matchId, seat: entry.seat, mode: entry.mode, node: found.node };
  if (found.kind === 'ended') {
    // The match may have ended a moment ago and stored its result: only write "lost" over the
    // entry this call read, never over a newer one.
    const ended: SeatIndexEntry = { ...entry, updatedAt: Date.now(), ended: { reason: found.reason, result: null, at: Date.now() } };
    try {
      writeSeatIndex(nk, userId, ended, idx.version);
      return endedAnswer(ended);
    } catch (err) {
      if (!isVersionConflict(err)) throw err;
      const now = readSeatIndex(nk, userId);
      return now !== null && now.entry !== null && now.entry.ended !== undefined ? endedAnswer(now.entry) : { status: 'none' };
    }
  }
  const a = found.answer;
  if (!a.ok && a.reason === 'stopping') throw rpcError(Code.UNAVAILABLE, RpcErrorReason.SHUTTING_DOWN, 'the match cannot answer right now (the server is restarting, or the match cannot confirm it is the live copy); call session_resume again in a few seconds');
  if (a.ok) return { status: 'active', matchId: found.matchId, seat: a.seat, mode: a.mode, token: a.token };
  // The match says the user holds no seat: the index was stale (or the match just ended and
  // wrote the result a moment ago). Read once more and answer from storage; an index that still
  // leads here (unchanged since this call read it, or naming this match) is forgotten.
  const again = readSeatIndex(nk, userId);
  if (again !== null && again.entry !== null && again.entry.ended !== undefined) return endedAnswer(again.entry);
  if (again !== null && (again.version === idx.version || again.entry?.matchId === found.matchId)) forgetSeatIndex(nk, userId, again.version);
  return { status: 'none' };
}

export function rpcSessionResume(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return runRpc<ResumeAnswer>('session_resume', ctx, logger, () => {
    const userId = requireUser(ctx);
    parsePayload(payload);
    try {
      return sessionResume(arena, nk, logger, ctx, userId);
    } catch (err) {
      if (isRpcError(err)) throw err;
      // One retry covers a lost restore race whose outcome was not yet readable.
      logWith(logger, 'warn', 'session_resume retry', { userId: userId, error: errorText(err) });
    }
    try {
      return sessionResume(arena, nk, logger, ctx, userId);
    } catch (err) {
      if (err instanceof RestoreContended) throw rpcError(Code.UNAVAILABLE, RpcErrorReason.RESTORING, 'the match is being restored; call session_resume again in a moment');
      throw err;
    }
  });
}
