// The match-creation limit of match_create and match_find (src/core/arena/create-limit.ts) against the
// server: one record per user in storage holds the creation times and the matches still waiting
// for a first player, each admission a version-checked write of it.

import {
  admitCreation,
  creationContended,
  creationRecord,
  matchesToCheck,
  parseCreateLimit,
  reservationKey,
  settleReservation,
  type CreateLimit,
  type CreationRecord,
  type Refusal,
} from '../../core/arena/create-limit.js';
import { Code } from '../codes.js';
import { rpcError, errorText } from '../errors.js';
import { logWith } from '../log.js';
import { countTotal } from '../metrics.js';
import { LIMITS_COLLECTION } from '../storage.js';
import { isContention } from '../storage-io.js';

const CREATE_KEY = 'match_create';
/** Rounds of read and version-checked write before a creation gives up on a race. */
const MAX_ROUNDS = 20;

/** REJOIN_CREATE_LIMIT from runtime.env; a bad value stops start-up (see startup.ts). */
export function createLimit(ctx: nkruntime.Context): CreateLimit {
  return parseCreateLimit(ctx.env?.REJOIN_CREATE_LIMIT);
}

function refuse(nk: nkruntime.Nakama, r: Refusal): never {
  countTotal(nk, 'rejoin_match_create_refused', { reason: r.error });
  throw rpcError(Code.RESOURCE_EXHAUSTED, r.error, r.message);
}

/**
 * Whether the match still runs with nobody ever seated, read from the match itself (nk.matchGet
 * reads the live label; the listing would trail it by a second). A match of another node reads as
 * gone: as before, the open-match cap is counted per node.
 */
function stillWaiting(nk: nkruntime.Nakama, matchId: string): boolean {
  try {
    const m = nk.matchGet(matchId);
    if (m === null || m === undefined) return false;
    return (JSON.parse(m.label ?? '{}') as { fresh?: unknown }).fresh === true;
  } catch {
    return false;
  }
}

/** Reads the user's record, changes it, and writes it back only if nobody wrote it meanwhile. */
function update<T>(nk: nkruntime.Nakama, userId: string, change: (record: CreationRecord) => { write: CreationRecord; result: T }): T {
  const id = { collection: LIMITS_COLLECTION, key: CREATE_KEY, userId };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const stored = nk.storageRead([id])[0] ?? null;
    const { write, result } = change(creationRecord(stored?.value));
    try {
      nk.storageWrite([{ ...id, value: write as unknown as { [key: string]: any }, version: stored?.version ?? '*', permissionRead: 0, permissionWrite: 0 }]);
      return result;
    } catch (err) {
      if (!isContention(err)) throw err;
    }
  }
  refuse(nk, creationContended());
}

/**
 * Makes one match for the user within its limits, or throws RESOURCE_EXHAUSTED (HTTP 429) saying
 * why and when to retry. The admission (its time and a reservation of an open-match place) is
 * written before the match is made, so of a burst of parallel requests no more get through than
 * the limits allow; a creation that then fails still counts against the rate.
 */
export function createWithinLimit(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, userId: string, make: () => string): string {
  const limit = createLimit(ctx);
  const key = reservationKey(nk.uuidv4());
  update(nk, userId, (record) => {
    const waiting = matchesToCheck(record).filter((m) => stillWaiting(nk, m));
    const d = admitCreation(record, waiting, Date.now(), limit, key);
    if (!d.ok) refuse(nk, d);
    return { write: d.record, result: null };
  });
  let matchId: string | null = null;
  try {
    matchId = make();
    return matchId;
  } finally {
    try {
      update(nk, userId, (record) => ({ write: settleReservation(record, key, matchId, Date.now()), result: null }));
    } catch (err) {
      // The reservation lapses by itself; until then it counts as an open match.
      logWith(logger, 'warn', 'match creation record not settled', { userId, error: errorText(err) });
    }
  }
}
