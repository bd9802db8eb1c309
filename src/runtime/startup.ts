// Start-up checks: a bad configuration stops the server with a message that says what to fix.
// Called from InitModule after the register calls.

import { checkpointAgeNeeded, ModeTableError, parseModeTable } from '../core/modes.js';
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
    checkpointsOutliveGrace,
    createLimit,
    idempotencySettings,
  ]);
}

/**
 * A checkpoint refused as too old while its players may still come back loses their seats: the
 * maximum age must cover every mode's lease and grace window.
 */
function checkpointsOutliveGrace(ctx: nkruntime.Context): void {
  const need = checkpointAgeNeeded(parseModeTable(ctx.env?.REJOIN_MODES));
  const maxAge = checkpointMaxAgeSec(ctx);
  if (need !== null && maxAge < need.sec) {
    throw new Error(`REJOIN_CHECKPOINT_MAX_AGE_SEC (${maxAge}) must be at least ${need.sec}: a crashed match of mode "${need.mode}" is taken over ${need.leaseSec} s after its last checkpoint, and its players may come back for ${need.graceSec} s`);
  }
}
