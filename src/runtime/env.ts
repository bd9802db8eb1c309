// Reading the module's configuration from runtime.env. Parsed on each use, from the ctx the call
// was given: parsing is cheap. A top-level cache would be possible (the server freezes only the
// properties of globalThis, which top-level let/const bindings are not), but each VM would keep
// its own; the stored mode table is cached in nk.localcache instead, which every VM of the node
// shares.

import { checkpointAgeNeeded, ModeTableError, parseModeTable, type ModeConfig, type ModeTable } from '../core/modes.js';
import { Code } from './codes.js';
import { rpcError, errorText } from './errors.js';
import { RpcErrorReason } from '../protocol.js';
import { CONFIG_COLLECTION, MODES_KEY, SYSTEM_USER } from './storage.js';
import { readOne } from './storage-io.js';

/** Node-local cache of the stored mode table's text ('' when there is none), and how long it is kept. */
const CACHE_KEY = 'rejoin_config_modes';
const CACHE_SEC = 5;

/**
 * The mode table new matches use. With `nk`, a table stored under the system user
 * (rejoin_config/modes, edited in the Nakama console) takes the place of REJOIN_MODES, so designers
 * change modes without a redeploy; it is read at most every few seconds per node, and checked
 * with the same rules as REJOIN_MODES: a bad one is logged and REJOIN_MODES stays in force.
 * Running matches keep the mode they started with (it is in their state).
 */
export function modeTable(ctx: nkruntime.Context, nk?: nkruntime.Nakama, logger?: nkruntime.Logger): ModeTable {
  const fromEnv = () => parseModeTable(ctx.env?.REJOIN_MODES);
  if (nk === undefined) return fromEnv();
  let text = nk.localcacheGet(CACHE_KEY) as string | undefined | null;
  if (typeof text !== 'string') {
    const found = readOne(nk, { collection: CONFIG_COLLECTION, key: MODES_KEY, userId: SYSTEM_USER });
    text = found === null ? '' : JSON.stringify(found.value);
    nk.localcachePut(CACHE_KEY, text, CACHE_SEC);
  }
  if (text === '' || text === 'null') return fromEnv();
  try {
    return parseModeTable(text);
  } catch (err) {
    const why = err instanceof ModeTableError ? err.message : errorText(err);
    logger?.error('%s', `stored mode table (${CONFIG_COLLECTION}/${MODES_KEY}) ignored, REJOIN_MODES in force: ${why}`);
    return fromEnv();
  }
}

/** The mode an RPC asked for, or an INVALID_ARGUMENT error listing the known ones. */
export function requireMode(ctx: nkruntime.Context, name: unknown, nk?: nkruntime.Nakama, logger?: nkruntime.Logger): ModeConfig {
  const table = modeTable(ctx, nk, logger);
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(table, name)) {
    throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.MODE_UNKNOWN, `mode must be one of: ${Object.keys(table).join(', ')}`);
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

/**
 * A checkpoint older than this is not restored (the match is reported ended). Unset: 30 minutes,
 * or longer where a mode of REJOIN_MODES needs it (its lease plus its grace window).
 */
export function checkpointMaxAgeSec(ctx: nkruntime.Context): number {
  return envSeconds(ctx, 'REJOIN_CHECKPOINT_MAX_AGE_SEC', Math.max(1800, checkpointAgeNeeded(parseModeTable(ctx.env?.REJOIN_MODES))?.sec ?? 0));
}
