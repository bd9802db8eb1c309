// match_create and match_find.

import type { MatchCreateAnswer, MatchFindAnswer } from '../../protocol.js';
import { createWithinLimit } from './create-limit.js';
import type { Arena } from './options.js';
import { requireMode } from '../env.js';
import { parsePayload, requireUser, runRpc } from '../rpc-util.js';

/** How many listed candidates match_find considers before it creates a match. */
const FIND_CANDIDATES = 10;

/** A new arena match of the mode made for the user, within the user's creation limit. */
function createFor(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, userId: string, mode: string): string {
  return createWithinLimit(ctx, logger, nk, userId, () => nk.matchCreate(arena.matchName, { mode, creator: userId }));
}

export function rpcMatchCreate(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return runRpc<MatchCreateAnswer>('match_create', ctx, logger, () => {
    const userId = requireUser(ctx);
    const mode = requireMode(ctx, parsePayload(payload).mode, nk, logger);
    return { matchId: createFor(arena, ctx, logger, nk, userId, mode.name) };
  });
}

/**
 * A running match of the mode with a seat a stranger may take, or a new one. Reserved and
 * promised seats are not counted open in the label, so they are never offered here.
 */
export function rpcMatchFind(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return runRpc<MatchFindAnswer>('match_find', ctx, logger, () => {
    const userId = requireUser(ctx);
    const mode = requireMode(ctx, parsePayload(payload).mode, nk, logger);
    // Mode names are [a-z0-9_] only (validated with the table), so the query cannot be escaped out of.
    const query = `+label.mode:${mode.name} +label.open:>=1`;
    const found = nk.matchList(FIND_CANDIDATES, true, null, null, null, query);
    for (const m of found) {
      const label = JSON.parse(m.label) as { open?: number };
      if ((label.open ?? 0) >= 1) return { matchId: m.matchId, created: false };
    }
    return { matchId: createFor(arena, ctx, logger, nk, userId, mode.name), created: true };
  });
}
