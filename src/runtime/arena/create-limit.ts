// The match-creation limit of match_create and match_find (src/core/create-limit.ts) against the
// server: open matches are counted in the match index, creation times are kept in storage.

import { checkCreateRate, checkOpenMatches, creationContended, parseCreateLimit, type CreateLimit, type Refusal } from '../../core/create-limit.js';
import { Code, rpcError } from '../codes.js';
import { countTotal } from '../metrics.js';
import { LIMITS_COLLECTION } from '../storage.js';
import { isContention } from '../storage-io.js';

const CREATE_KEY = 'match_create';
/** A user id as the label query can hold it unquoted (Nakama's are UUIDs). */
const USER_ID = /^[A-Za-z0-9-]{1,64}$/;

/** REJOIN_CREATE_LIMIT from runtime.env; a bad value stops start-up (see startup.ts). */
export function createLimit(ctx: nkruntime.Context): CreateLimit {
  return parseCreateLimit(ctx.env?.REJOIN_CREATE_LIMIT);
}

function refuse(nk: nkruntime.Nakama, r: Refusal): never {
  countTotal(nk, 'rejoin_match_create_refused', { reason: r.error });
  throw rpcError(Code.RESOURCE_EXHAUSTED, r.error, r.message);
}

/**
 * Matches the user created that nobody has sat in yet, up to `max`, read from the match index.
 * The index trails a new match or a label change by up to `match.label_update_interval_ms`
 * (1 s by default): within that second the rate limit is what holds a burst back.
 */
function openMatchesOf(nk: nkruntime.Nakama, userId: string, max: number): number {
  if (!USER_ID.test(userId)) return 0;
  return nk.matchList(max, true, null, null, null, `+label.creator:${userId} +label.fresh:T`).length;
}

/**
 * Admits one new match for the user or throws RESOURCE_EXHAUSTED (HTTP 429) saying why and when
 * to retry. An admitted creation is recorded before the match is made, so a creation that then
 * fails still counts: the limit errs on the side of the node.
 */
export function admitCreation(ctx: nkruntime.Context, nk: nkruntime.Nakama, userId: string): void {
  const limit = createLimit(ctx);
  const open = checkOpenMatches(openMatchesOf(nk, userId, limit.maxOpen), limit);
  if (open !== null) refuse(nk, open);
  const id = { collection: LIMITS_COLLECTION, key: CREATE_KEY, userId };
  // Each lost round means another creation of this user was admitted, so perWindow + 1 rounds
  // settle any race among the user's own requests: the rest then read a full window.
  const rounds = Math.min(limit.perWindow + 1, 20);
  for (let round = 0; round < rounds; round++) {
    const stored = nk.storageRead([id])[0] ?? null;
    const check = checkCreateRate(stored?.value, Date.now(), limit);
    if (!check.ok) refuse(nk, check);
    try {
      nk.storageWrite([{ ...id, value: { t: check.times }, version: stored?.version ?? '*', permissionRead: 0, permissionWrite: 0 }]);
      return;
    } catch (err) {
      if (!isContention(err)) throw err;
    }
  }
  refuse(nk, creationContended());
}
