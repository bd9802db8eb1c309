// SQL against a server's own PostgreSQL database, for tests that look at or plant stored objects.
import { spawnSync } from 'node:child_process';

/** The database of the server the suite started; absent against NAKAMA_URL. */
export const suiteDatabaseUrl = process.env.NAKAMA_DATABASE_URL;

/** Why a test that reads the database is skipped against NAKAMA_URL (part of its name). */
export const NEEDS_DATABASE = 'needs the database of a server the suite started itself (NAKAMA_BIN or PATH), not NAKAMA_URL';

/** Runs one statement and returns what it printed, trimmed; a failing statement throws. */
export function sql(query: string, url: string | undefined = suiteDatabaseUrl): string {
  if (!url) throw new Error(`sql: no database URL (${NEEDS_DATABASE})`);
  // spawnSync blocks this process: a fault proxy in it cannot forward, so `url` must be direct.
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', query], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}
