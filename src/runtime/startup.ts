// Start-up checks: a bad configuration stops the server with a message that says what to fix.

import { ModeTableError, parseModeTable } from '../core/modes';
import { createLimit } from './arena/create-limit';
import { shopSettings } from './shop/shop';
import { checkpointMaxAgeSec, resultRetentionSec } from './storage';

export function checkConfig(ctx: nkruntime.Context, logger: nkruntime.Logger): void {
  try {
    const table = parseModeTable(ctx.env?.REJOIN_MODES);
    const names = Object.keys(table);
    logger.info('%s', `REJOIN_MODES: ${names.length} modes (${names.join(', ')})${ctx.env?.REJOIN_MODES ? '' : ' [built-in defaults]'}`);
  } catch (err) {
    const message = err instanceof ModeTableError ? err.message : `REJOIN_MODES: ${String(err)}`;
    logger.error('%s', message);
    throw new Error(message);
  }
  for (const read of [resultRetentionSec, checkpointMaxAgeSec, shopSettings, createLimit]) {
    try {
      read(ctx);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      logger.error('%s', message);
      throw new Error(message);
    }
  }
}
