// Matchmaker: matched players get a match of the game whose seats are promised to them alone.

import { errorText } from '../errors.js';
import { modeTable } from '../env.js';
import type { Arena } from './options.js';
import { logWith } from '../log.js';

/**
 * The mode comes from the matchmaker ticket's string property `mode`; a ticket without a known
 * mode gets the table's first mode. Never throws and always returns a match id when it can:
 * a hook that throws or returns nothing silently falls back to a relayed match, with no seats held.
 */
export function matchmakerMatched(arena: Arena, ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, matches: nkruntime.MatchmakerResult[]): string | void {
  try {
    const table = modeTable(ctx, nk, logger);
    const asked = matches[0]?.properties?.mode;
    const mode = typeof asked === 'string' && Object.prototype.hasOwnProperty.call(table, asked) ? asked : Object.keys(table)[0];
    const invited = matches.map((m) => m.presence.userId);
    const matchId = nk.matchCreate(arena.matchName, { mode, invited: JSON.stringify(invited) });
    logWith(logger, 'info', 'matchmaker match created', { matchId: matchId, mode: mode, players: invited.length });
    return matchId;
  } catch (err) {
    logger.error('%s', `matchmaker match creation failed: ${errorText(err)}`);
    return;
  }
}
