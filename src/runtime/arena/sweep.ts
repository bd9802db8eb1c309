// Storage no live match needs any more. A match that crashed, or handed over, and whose players
// never came back leaves its last checkpoint behind, and a restore leaves a record of which match
// continued which; past REJOIN_CHECKPOINT_MAX_AGE_SEC no restore takes such a checkpoint, and past
// REJOIN_RESULT_RETENTION_SEC nobody asks for such a record. `rejoin_admin_sweep` removes them, a
// page at a time, so that storage stays bounded by the live matches. Every removal is conditional
// on the version it read: a checkpoint renewed meanwhile stays.

import { checkpointOrphaned, restoreRecordStale } from '../../core/arena/index.js';
import type { SweepAnswer } from '../../protocol.js';
import { checkpointMaxAgeSec, resultRetentionSec } from '../env.js';
import { errorText } from '../errors.js';
import { logWith } from '../log.js';
import { CHECKPOINT_COLLECTION, RESTORE_COLLECTION, SYSTEM_USER } from '../storage.js';
import { deleteIfUnchanged } from '../storage-io.js';

const PAGE = 100;

/**
 * Walks one collection from `cursor` until it ends or `budget` objects were looked at, removing
 * those `stale` says are past use. Answers where it stopped (undefined: at the end).
 */
function sweepCollection(
  nk: nkruntime.Nakama,
  logger: nkruntime.Logger,
  collection: string,
  cursor: string | undefined,
  budget: number,
  stale: (value: unknown) => boolean,
): { scanned: number; removed: number; cursor: string | undefined } {
  let scanned = 0;
  let removed = 0;
  let at = cursor;
  while (scanned < budget) {
    const page = nk.storageList(SYSTEM_USER, collection, Math.min(PAGE, budget - scanned), at);
    const objects = page.objects ?? [];
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      scanned++;
      if (!stale(o.value)) continue;
      try {
        if (deleteIfUnchanged(nk, { collection, key: o.key, userId: SYSTEM_USER, version: o.version })) removed++;
      } catch (err) {
        logWith(logger, 'warn', 'sweep could not remove an object', { collection, key: o.key, error: errorText(err) });
      }
    }
    at = page.cursor || undefined;
    if (at === undefined || objects.length === 0) return { scanned, removed, cursor: undefined };
  }
  return { scanned, removed, cursor: at };
}

/** Where a sweep goes on from: the collection (c: checkpoints, r: restore records) and its cursor. */
function parseCursor(from: string | null): { restores: boolean; cursor: string | undefined } {
  if (from === null || from.length < 2) return { restores: false, cursor: undefined };
  return { restores: from.startsWith('r:'), cursor: from.slice(2) || undefined };
}

/**
 * Looks at up to `limit` objects, checkpoints first, then restore records, from `from` (a cursor
 * an earlier sweep answered; null: the start). `cursor` in the answer goes on where this one stopped.
 */
export function sweep(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, limit: number, from: string | null): SweepAnswer {
  const now = Date.now();
  const maxAgeMs = checkpointMaxAgeSec(ctx) * 1000;
  const retentionMs = resultRetentionSec(ctx) * 1000;
  const start = parseCursor(from);
  const answer: SweepAnswer = { ok: true, scanned: 0, checkpointsRemoved: 0, restoresRemoved: 0, cursor: null };
  let restoreCursor = start.restores ? start.cursor : undefined;
  if (!start.restores) {
    const c = sweepCollection(nk, logger, CHECKPOINT_COLLECTION, start.cursor, limit, (v) => checkpointOrphaned(v, now, maxAgeMs));
    answer.scanned += c.scanned;
    answer.checkpointsRemoved = c.removed;
    if (c.cursor !== undefined) {
      answer.cursor = `c:${c.cursor}`;
      return answer;
    }
    restoreCursor = undefined;
  }
  if (answer.scanned >= limit) {
    answer.cursor = 'r:';
    return answer;
  }
  const r = sweepCollection(nk, logger, RESTORE_COLLECTION, restoreCursor, limit - answer.scanned, (v) => restoreRecordStale(v, now, retentionMs));
  answer.scanned += r.scanned;
  answer.restoresRemoved = r.removed;
  if (r.cursor !== undefined) answer.cursor = `r:${r.cursor}`;
  return answer;
}
