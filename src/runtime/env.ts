// Reading the module's configuration from runtime.env. Parsed on each use: module-level caches
// are impossible (globals are frozen in the server's pooled VMs), and parsing is cheap.

import { parseModeTable, type ModeConfig, type ModeTable } from '../core/modes.js';
import { Code, rpcError } from './codes.js';
import { errorText } from './errors.js';

export function modeTable(ctx: nkruntime.Context): ModeTable {
  return parseModeTable(ctx.env?.REJOIN_MODES);
}

/** The mode an RPC asked for, or an INVALID_ARGUMENT error listing the known ones. */
export function requireMode(ctx: nkruntime.Context, name: unknown): ModeConfig {
  const table = modeTable(ctx);
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(table, name)) {
    throw rpcError(Code.INVALID_ARGUMENT, `mode must be one of: ${Object.keys(table).join(', ')}`);
  }
  return table[name];
}

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

/** Seconds from runtime.env `key`, or `fallback` when unset; a bad value stops start-up (checkRejoinConfig). */
export function envSeconds(ctx: nkruntime.Context, key: string, fallback: number): number {
  const raw = ctx.env?.[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${key} must be a positive number of seconds (got ${JSON.stringify(raw)})`);
  return n;
}

/** How long `ended` answers are kept for session_resume. */
export function resultRetentionSec(ctx: nkruntime.Context): number {
  return envSeconds(ctx, 'REJOIN_RESULT_RETENTION_SEC', 86_400);
}

/** A checkpoint older than this is not restored (the match is reported ended). */
export function checkpointMaxAgeSec(ctx: nkruntime.Context): number {
  return envSeconds(ctx, 'REJOIN_CHECKPOINT_MAX_AGE_SEC', 1800);
}
