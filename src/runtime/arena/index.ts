// One game's arena: its match handlers, RPCs and matchmaker hook, with the game's rules bound in.

import { arenaMatch, type ArenaMatchHandlers } from './match.js';
import { rpcMatchCreate, rpcMatchFind } from './match-rpcs.js';
import { matchmakerMatched } from './matchmaker.js';
import { arenaOf, type ArenaOptions } from './options.js';
import { rpcSessionResume } from './session-resume.js';
import { rpcAdminEnd, rpcAdminRelease, rpcAdminSeats, rpcAdminSweep } from './admin-rpcs.js';

export type { ArenaOptions } from './options.js';
export type { ArenaMatchHandlers } from './match.js';

export interface RejoinArena extends ArenaMatchHandlers {
  /** `session_resume`: where the signed-in player stands, with a fresh token for its seat. */
  rpcSessionResume: nkruntime.RpcFunction;
  /** `match_create {mode}`: a new match of the mode. */
  rpcMatchCreate: nkruntime.RpcFunction;
  /** `match_find {mode}`: a match of the mode with a free seat, or a new one. */
  rpcMatchFind: nkruntime.RpcFunction;
  /** Matched players get a match whose seats are promised to them alone. */
  matchmakerMatched: nkruntime.MatchmakerMatchedFunction;
  /** Operator, server to server only: `{matchId}` → the match's seats with status and deadline. */
  rpcAdminSeats: nkruntime.RpcFunction;
  /** Operator, server to server only: `{matchId, seat}` frees a reserved seat now. */
  rpcAdminRelease: nkruntime.RpcFunction;
  /** Operator, server to server only: `{matchId, reason}` ends the match. */
  rpcAdminEnd: nkruntime.RpcFunction;
  /** Operator, server to server only: `{limit?, cursor?}` removes checkpoints and restore records past use. */
  rpcAdminSweep: nkruntime.RpcFunction;
}

/**
 * Everything the server calls for one game, with `options.game` bound in. Call it at the top
 * level of the module (never inside InitModule, which runs in one VM only) and put what it returns
 * in top-level `var`s: the server finds handlers by name in every VM it runs.
 */
export function rejoinArena(options: ArenaOptions): RejoinArena {
  const arena = arenaOf(options);
  return {
    ...arenaMatch(arena),
    rpcSessionResume: (ctx, logger, nk, payload) => rpcSessionResume(arena, ctx, logger, nk, payload),
    rpcMatchCreate: (ctx, logger, nk, payload) => rpcMatchCreate(arena, ctx, logger, nk, payload),
    rpcMatchFind: (ctx, logger, nk, payload) => rpcMatchFind(arena, ctx, logger, nk, payload),
    matchmakerMatched: (ctx, logger, nk, matches) => matchmakerMatched(arena, ctx, logger, nk, matches),
    rpcAdminSeats,
    rpcAdminRelease,
    rpcAdminEnd,
    rpcAdminSweep,
  };
}
