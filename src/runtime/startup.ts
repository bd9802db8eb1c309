// Start-up checks: a bad configuration stops the server with a message that says what to fix.
// Called from InitModule after the register calls.

import { ModeTableError, parseModeTable } from '../core/modes.js';
import { createLimit } from './arena/create-limit.js';
import { errorText } from './errors.js';
import { idempotencySettings } from './idempotency/idempotent.js';
import { checkpointMaxAgeSec, resultRetentionSec } from './storage.js';

/** Reads every setting once; the first that is bad is logged and stops the start. */
export function checkSettings(ctx: nkruntime.Context, logger: nkruntime.Logger, reads: ((ctx: nkruntime.Context) => unknown)[]): void {
  for (const read of reads) {
    try {
      read(ctx);
    } catch (err) {
      const message = errorText(err);
      logger.error('%s', message);
      throw new Error(message);
    }
  }
}

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
