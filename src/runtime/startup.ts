// Start-up checks: a bad configuration stops the server with a message that says what to fix.
// Called from InitModule after the register calls.

import { ModeTableError, parseModeTable } from '../core/modes.js';
import { createLimit } from './arena/create-limit.js';
import { checkSettings, checkpointMaxAgeSec, resultRetentionSec } from './env.js';
import { errorText } from './errors.js';
import { idempotencySettings } from './idempotency/idempotent.js';

/** The module's own settings: the mode table, retention periods, the creation limit. */
export function checkRejoinConfig(ctx: nkruntime.Context, logger: nkruntime.Logger): void {
  checkSettings(ctx, logger, [
    (c) => {
      try {
        const names = Object.keys(parseModeTable(c.env?.REJOIN_MODES));
        logger.info('%s', `REJOIN_MODES: ${names.length} modes (${names.join(', ')})${c.env?.REJOIN_MODES ? '' : ' [built-in defaults]'}`);
      } catch (err) {
        throw err instanceof ModeTableError ? err : new Error(`REJOIN_MODES: ${errorText(err)}`);
      }
    },
    resultRetentionSec,
    checkpointMaxAgeSec,
    createLimit,
    idempotencySettings,
  ]);
}
