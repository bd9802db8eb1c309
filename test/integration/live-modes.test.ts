// Modes changed without a redeploy, on the real server: a table stored under the system user (as
// an operator would in the Nakama console) takes effect for new matches within the cache time.
import { describe, expect, it } from 'vitest';
import { expectRpcError, newUser, rpc, sleep } from './harness/client';
import { NEEDS_DATABASE, sql, suiteDatabaseUrl } from './harness/db';


describe('modes from storage', () => {
  it.skipIf(!suiteDatabaseUrl)(`a stored mode table is used for new matches, and removing it restores REJOIN_MODES (${NEEDS_DATABASE})`, async () => {
    const p = await newUser('designer');
    await expectRpcError(rpc(p, 'match_create', { mode: 'blitz' }), { status: 400, code: 3 });
    const table = { blitz: { seats: 3, tickRate: 20, graceSec: 5, roundSec: 90 }, e2e: { seats: 2, tickRate: 10, graceSec: 3, roundSec: 600 } };
    sql(`INSERT INTO storage (collection, key, user_id, value, version, read, write) VALUES ('rejoin_config', 'modes', '00000000-0000-0000-0000-000000000000', '${JSON.stringify(table)}', md5(random()::text), 0, 0)`);
    try {
      // Each node reads the stored table at most every 5 s.
      await sleep(5500);
      const { matchId } = await rpc(p, 'match_create', { mode: 'blitz' });
      expect(matchId).toMatch(/\./);
    } finally {
      sql(`DELETE FROM storage WHERE collection = 'rejoin_config' AND key = 'modes'`);
    }
    await sleep(5500);
    await expectRpcError(rpc(p, 'match_create', { mode: 'blitz' }), { status: 400, code: 3 });
  });
});
