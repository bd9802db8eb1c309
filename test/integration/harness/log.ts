// What a test file made the server log at error level, checked at the end of the file.
import { afterAll, beforeAll, expect } from 'vitest';
import { serverLog } from './client';

/**
 * The error-level line of a lost race in an nk.multiUpdate transaction, which Nakama logs before
 * the module retries or replays (docs/operations.md, "Expected error-level lines").
 */
export const LOST_RACE = { msg: 'Error running multi update.', error: /version check failed|negative value|unexpectedly resulted in rollback|could not serialize/ };

/**
 * Registers a check that every line the server logs at error level while this file runs is a
 * lost race (`allowLostRaces`) or that there is none at all. Call once at the top of a file.
 */
export function checkErrorLines(opts: { allowLostRaces: boolean }): void {
  let from = 0;
  beforeAll(() => {
    from = serverLog()?.length ?? 0;
  });
  afterAll(() => {
    const log = serverLog();
    if (log === null) return; // external server: its log is not ours to read
    const lostRace = (line: string): boolean => {
      const e = JSON.parse(line) as { msg: string; error?: string };
      return e.msg === LOST_RACE.msg && LOST_RACE.error.test(e.error ?? '');
    };
    const unexpected = log
      .slice(from)
      .split('\n')
      .filter((l) => l.includes('"level":"error"') && !(opts.allowLostRaces && lostRace(l)));
    expect(unexpected.map((l) => l.slice(0, 400)), 'error-level lines in the server log').toEqual([]);
  });
}
