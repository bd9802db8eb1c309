// The core's dependencies, made from the server's API.

import type { ArenaDeps } from '../../core/arena';
import { demoGame } from '../../core/demo-game';
import { tokenFromUuids, type TokenDeps } from '../../core/tokens';

export function serverTokens(nk: nkruntime.Nakama): TokenDeps {
  return {
    // nk.uuidv4 draws from a secure source; two draws give 244 random bits.
    newToken: () => tokenFromUuids(nk.uuidv4(), nk.uuidv4()),
    hash: (token) => nk.sha256Hash(token),
  };
}

/** The game behind `arena`. A game team replaces demoGame with its own GameRules here. */
export function arenaDeps(nk: nkruntime.Nakama): ArenaDeps {
  return { tokens: serverTokens(nk), game: demoGame };
}
