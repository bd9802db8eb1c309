// Performs the core's effects against the server. Each effect is tried on its own: a failed
// send or storage write is logged and must never stop the match.

import type { ArenaState } from '../../core/arena/index.js';
import type { Effect } from '../../core/arena/effects.js';
import { deleteOwnCheckpoint, deleteRestore, writeCheckpoint } from './checkpoint-store.js';
import { errorText } from '../errors.js';
import { countTotal, timeSeconds } from '../metrics.js';
import type { MatchIo } from './match-io.js';
import { clearSeatIndex, recordEnd, writeSeatIndex } from './seat-index.js';
import { logWith } from '../log.js';

function applyOne(io: MatchIo, e: Effect, state: ArenaState): void {
  // Sends first and on their own: every action makes two.
  if (e.type === 'send') {
    io.dispatcher.broadcastMessage(e.op, e.data, e.to, null, true);
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
      const w = writeCheckpoint(io.nk, state, matchId, io.tick, false, io.own.lease);
      if (w.kind === 'written') io.own.lease = w.lease;
      else if (w.kind === 'superseded') io.superseded = true;
      else throw w.error;
      return;
    }
    case 'end':
      logWith(io.logger, 'info', 'match ended', { matchId: matchId, reason: e.reason, players: e.players.length });
      endStorage(io, e, state);
      return;
  }
}

/**
 * Removes the checkpoint first (so no session_resume can restore an ended match), then keeps the
 * result for the players still seated, then forgets the restore record that led here.
 */
function endStorage(io: MatchIo, e: Extract<Effect, { type: 'end' }>, state: ArenaState): void {
  const matchId = io.matchId;
  deleteOwnCheckpoint(io.nk, matchId, io.own.lease);
  if (e.reason !== 'superseded') {
    const at = Date.now();
    for (const userId of e.players) recordEnd(io.nk, userId, matchId, state.mode.name, { reason: e.reason, result: e.result, at });
  }
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
