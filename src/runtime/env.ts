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
