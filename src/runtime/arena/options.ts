// What a game gives the arena: its rules and the name its match handler is registered under.
// The studio's bundle builds this at its top level, so it exists in every VM the server runs
// (InitModule's VM, the pooled RPC VMs and each match's own VM) before globals are frozen.

import type { GameRules } from '../../core/game.js';
import { tokenFromUuids, type TokenDeps } from '../../core/arena/tokens.js';

export interface ArenaOptions<G = any> {
  /** The game's rules: what the seats, grace windows and snapshots wrap. */
  game: GameRules<G>;
  /**
   * The id the match handler is registered under, the first argument of `registerMatch`
   * (default `arena`). RPCs and the matchmaker hook create matches by this name.
   */
  matchName?: string;
}

/** The options with every default filled in. */
export interface Arena {
  game: GameRules<any>;
  matchName: string;
}

export const DEFAULT_MATCH_NAME = 'arena';

export function arenaOf(options: ArenaOptions): Arena {
  if (options === null || typeof options !== 'object' || options.game === null || typeof options.game !== 'object') throw new Error('nakama-rejoin: options.game (the GameRules) is required');
  for (const hook of ['init', 'seatTaken', 'applyAction', 'seatFreed', 'tick', 'view', 'result'] as const) {
    if (typeof options.game[hook] !== 'function') throw new Error(`nakama-rejoin: options.game.${hook} must be a function`);
  }
  const matchName = options.matchName ?? DEFAULT_MATCH_NAME;
  if (typeof matchName !== 'string' || matchName === '') throw new Error('nakama-rejoin: options.matchName must be a non-empty string');
  return { game: options.game, matchName };
}

export function serverTokens(nk: nkruntime.Nakama): TokenDeps {
  return {
    // nk.uuidv4 draws from a secure source; two draws give 244 random bits.
    newToken: () => tokenFromUuids(nk.uuidv4(), nk.uuidv4()),
    hash: (token) => nk.sha256Hash(token),
  };
}
