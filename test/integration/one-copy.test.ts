// One live copy on one node: an impatient client's burst of session_resume calls fills the
// match's signal queue ("match busy"), and busy is not gone: nothing is restored. And a match
// that ends leaves nothing behind in storage.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, eventually, rpc, serverLog, sleep } from './harness/client';
import { act, table } from './harness/table';
import { checkTokensNeverLogged, remember } from './harness/tokens';
import { NEEDS_DATABASE, sql, suiteDatabaseUrl } from './harness/db';

checkTokensNeverLogged();
const open = closesAfterEach();


/** Checkpoint rows of the match in the database, as psql prints the count. */
function checkpointsOf(matchId: string): string {
  return sql(`SELECT count(*) FROM storage WHERE collection = 'rejoin_checkpoint' AND key = '${matchId}'`);
}

describe('one live copy on one node', () => {
  it('100 concurrent session_resume calls against a live match never create a copy', async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 4 })).result).toBe('applied');
    const logBefore = serverLog()?.length ?? 0;
    const settled = await Promise.allSettled(Array.from({ length: 100 }, () => rpc(bob.player, 'session_resume', {})));
    let busy = 0;
    for (const r of settled) {
      if (r.status === 'fulfilled') {
        remember(r.value.token);
        expect(r.value).toMatchObject({ status: 'active', matchId });
      } else {
        const res = r.reason as Response;
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ code: 14, message: expect.stringMatching(/^busy: /) });
        busy++;
      }
    }
    console.log(`burst: ${100 - busy} answered active, ${busy} answered 503 busy`);
    // The original goes on taking Alice's actions, and both still sit in it.
    expect((await act(alice, matchId, { actionSeq: 2, type: 'add', amount: 1 })).result).toBe('applied');
    const last = await rpc(bob.player, 'session_resume', {});
    remember(last.token);
    expect(last).toMatchObject({ status: 'active', matchId });
    const again = await rpc(alice.player, 'session_resume', {});
    remember(again.token);
    expect(again).toMatchObject({ status: 'active', matchId });
    const log = serverLog();
    if (log !== null) expect(log.slice(logBefore)).not.toMatch(/match restored from checkpoint|arena match restored/);
  });

  it.skipIf(!suiteDatabaseUrl)(`an ended match leaves no checkpoint; a match nobody joined writes none (${NEEDS_DATABASE})`, async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 1 });
    // e2e checkpoints every second.
    await eventually(() => checkpointsOf(matchId) === '1', 5000);
    alice.conn.send(matchId, OpCode.QUIT, {});
    bob.conn.send(matchId, OpCode.QUIT, {});
    await eventually(() => checkpointsOf(matchId) === '0', 5000);
    await sleep(1500);
    expect(checkpointsOf(matchId)).toBe('0');
    const empty = (await rpc(alice.player, 'match_create', { mode: 'e2e' })).matchId;
    await sleep(2500);
    expect(checkpointsOf(empty)).toBe('0');
  });
});
