// Performs the core's effects against the server. Each effect is tried on its own: a failed
// send or storage write is logged and must never stop the match.

import { leaseMsOf, restorableText, type ArenaState } from '../../core/arena/index.js';
import { checkpointMaySkip } from '../../core/arena/lease.js';
import type { Effect, PresenceRef } from '../../core/arena/effects.js';
import { deleteOwnCheckpoint, deleteRestore, ownCheckpointDelete, restoreDelete, writeCheckpoint } from './checkpoint-store.js';
import { errorText } from '../errors.js';
import { isVersionConflict } from '../storage-io.js';
import { countTotal, timeSeconds } from '../metrics.js';
import type { MatchIo } from './match-io.js';
import { clearSeatIndex, endWrite, recordEnd, writeSeatIndex } from './seat-index.js';
import { logWith } from '../log.js';
import { writeFailedAt } from './ownership.js';

/**
 * Whether `to` names every session the server lists in the match. The server sends to a null list
 * from the match's own, where a named list costs it a conversion and a lookup per presence; every
 * action's EVENT goes to all the seats. The presences in `to` are distinct (no two seats share a
 * session), so equal sizes and each one listed mean the same set.
 */
function isWholeMatch(sessions: Set<string>, to: PresenceRef[]): boolean {
  if (to.length < 2 || to.length !== sessions.size) return false;
  for (let i = 0; i < to.length; i++) if (!sessions.has(to[i].sessionId)) return false;
  return true;
}

function applyOne(io: MatchIo, e: Effect, state: ArenaState): void {
  // Sends first and on their own: every action makes two.
  if (e.type === 'send') {
    io.dispatcher.broadcastMessage(e.op, e.data, isWholeMatch(io.sessions, e.to) ? null : e.to, null, true);
    return;
  }
  const matchId = io.matchId;
  const mode = state.mode.name;
  switch (e.type) {
    case 'kick':
      io.dispatcher.matchKick([e.presence]);
      return;
    case 'label':
      io.dispatcher.matchLabelUpdate(e.label);
      return;
    case 'count':
      countTotal(io.nk, e.name, e.tags, e.delta);
      return;
    case 'time':
      timeSeconds(io.nk, e.name, e.tags, e.seconds);
      return;
    case 'log': {
      // Structured: the ids are fields of the log entry (JSON keys in Nakama's log), not text.
      const logger = io.logger.withFields({ ...e.fields, matchId });
      if (e.level === 'warn') logger.warn('%s', e.message);
      else logger.info('%s', e.message);
      return;
    }
    case 'seatIndex':
      if (e.seat === null) clearSeatIndex(io.nk, e.userId, matchId);
      else writeSeatIndex(io.nk, e.userId, { matchId, seat: e.seat, mode, updatedAt: Date.now() });
      return;
    case 'checkpoint': {
      if (state.ended !== null) return;
      // Nothing a restore would read has changed and the lease has time: nothing to write.
      const text = restorableText(state);
      if (checkpointMaySkip(io.own.lease, text, leaseMsOf(state), state.mode.checkpointSec * 1000, Date.now())) return;
      const w = writeCheckpoint(io.nk, state, matchId, io.tick, false, io.own.lease, text);
      if (w.kind === 'written') io.own.lease = w.lease;
      else if (w.kind === 'superseded') io.superseded = true;
      else {
        writeFailedAt(io, Date.now());
        throw w.error;
      }
      return;
    }
    case 'end':
      logWith(io.logger, 'info', 'match ended', { matchId: matchId, reason: e.reason, players: e.players.length });
      endStorage(io, e, state);
      return;
  }
}

/**
 * In one transaction: the checkpoint goes (no session_resume can restore an ended match), the
 * result is kept for the players still seated, and the restore record that led here goes. A
 * session_resume on any node sees the match running or ended with its result, never in between.
 * If something changed since it was read (a player took a seat elsewhere, another copy took the
 * checkpoint over), each step is done on its own, leaving every newer object standing.
 */
function endStorage(io: MatchIo, e: Extract<Effect, { type: 'end' }>, state: ArenaState): void {
  const matchId = io.matchId;
  const at = Date.now();
  const ended = { reason: e.reason, result: e.result, at };
  const players = e.reason === 'superseded' ? [] : e.players;
  const writes: nkruntime.StorageWriteRequest[] = [];
  for (const userId of players) {
    const w = endWrite(io.nk, userId, matchId, state.mode.name, ended);
    if (w !== null) writes.push(w);
  }
  const deletes: nkruntime.StorageDeleteRequest[] = [];
  const own = ownCheckpointDelete(matchId, io.own.lease);
  if (own !== null) deletes.push(own);
  if (state.restoredFrom !== null) deletes.push(restoreDelete(state.restoredFrom));
  if (writes.length === 0 && deletes.length === 0) return;
  try {
    io.nk.multiUpdate(null, writes, deletes, null);
    return;
  } catch (err) {
    if (!isVersionConflict(err)) throw err;
  }
  deleteOwnCheckpoint(io.nk, matchId, io.own.lease);
  for (const userId of players) recordEnd(io.nk, userId, matchId, state.mode.name, ended);
  if (state.restoredFrom !== null) deleteRestore(io.nk, state.restoredFrom);
}

export function applyEffects(io: MatchIo, effects: Effect[], state: ArenaState): void {
  for (let i = 0; i < effects.length; i++) {
    const e = effects[i];
    try {
      applyOne(io, e, state);
    } catch (err) {
      logWith(io.logger, 'error', `effect ${e.type} failed`, { matchId: io.matchId, error: errorText(err) });
    }
  }
}
