// `nakama-rejoin check-config <config.yml> [more.yml …]`: the server's start-up checks of the
// module's settings (modes, shop, limits, retention), run offline on Nakama config files, with the
// same rules and the same messages. Several files merge as the server merges several --config:
// a later file's runtime.env list replaces an earlier one's.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { checkShopConfig } from '../src/runtime/shop/shop';
import { checkRejoinConfig } from '../src/runtime/startup';

export interface CheckResult {
  ok: boolean;
  /** What the server would log: the mode summary, or the message that stops its start. */
  lines: string[];
}

/** runtime.env of the files, merged as the server does, as KEY → value. */
export function runtimeEnv(files: string[]): Record<string, string> {
  let list: unknown = undefined;
  for (const f of files) {
    const doc = parse(readFileSync(f, 'utf8')) as { runtime?: { env?: unknown } } | null;
    if (doc?.runtime?.env !== undefined) list = doc.runtime.env;
  }
  const env: Record<string, string> = {};
  if (list === undefined || list === null) return env;
  if (!Array.isArray(list)) throw new Error('runtime.env must be a list of "KEY=value" strings');
  for (const item of list) {
    if (typeof item !== 'string' || !item.includes('=')) throw new Error(`runtime.env entry ${JSON.stringify(item)} is not "KEY=value"`);
    const i = item.indexOf('=');
    env[item.slice(0, i)] = item.slice(i + 1);
  }
  return env;
}

/** Checks the files' settings. A file that cannot be read or parsed throws. */
export function checkConfigFiles(files: string[]): CheckResult {
  const env = runtimeEnv(files);
  const lines: string[] = [];
  const log = (format: string, ...args: unknown[]) => {
    let i = 0;
    lines.push(format.replace(/%[sdv]/g, () => String(args[i++])));
  };
  const logger = { info: log, warn: log, error: log, debug: log } as unknown as nkruntime.Logger;
  try {
    const ctx = { env } as unknown as nkruntime.Context;
    checkRejoinConfig(ctx, logger);
    // The demo shop is optional: its settings are checked where the config has them.
    if (env.SHOP_CATALOG !== undefined || env.START_COINS !== undefined) checkShopConfig(ctx, logger);
    return { ok: true, lines };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!lines.includes(message)) lines.push(message);
    return { ok: false, lines };
  }
}
