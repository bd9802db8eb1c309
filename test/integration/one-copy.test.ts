// One live copy on one node: an impatient client's burst of session_resume calls fills the
// match's signal queue ("match busy"), and busy is not gone: nothing is restored. And a match
// that ends leaves nothing behind in storage.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, eventually, rpc, serverLog, sleep } from './harness/client';
import { act, table } from './harness/table';
import { checkTokensNeverLogged, remember } from './harness/tokens';

checkTokensNeverLogged();
const open = closesAfterEach();

const dbUrl = process.env.NAKAMA_DATABASE_URL;
const dbNote = 'needs the database of a server the suite started itself (NAKAMA_BIN or PATH), not NAKAMA_URL';

function sql(query: string): string {
  const r = spawnSync('psql', [dbUrl as string, '-tAc', query], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

describe('one live copy on one node', () => {
  it('100 concurrent session_resume calls against a live match never create a copy', async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 4 })).result).toBe('applied');
    const settled = await Promise.allSettled(Array.from({ length: 100 }, () => rpc(bob.player, 'session_resume', {})));
    let busy = 0;
    for (const r of settled) {
      if (r.status === 'fulfilled') {
        remember(r.value.token);
        expect(r.value).toMatchObject({ status: 'active', matchId });
      } else {
        const res = r.reason as Response;
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ code: 14, message: expect.stringMatching(/busy/) });
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
    // Other files share the server and restore matches of their own: only this match's restore counts.
    if (log !== null) expect(log).not.toContain(`match restored from checkpoint old=${matchId} `);
  });

  it.skipIf(!dbUrl)(`an ended match leaves no checkpoint; a match nobody joined writes none (${dbNote})`, async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 1 });
    // e2e checkpoints every second.
    await eventually(() => sql(`SELECT count(*) FROM storage WHERE collection = 'rejoin_checkpoint' AND key = '${matchId}'`) === '1', 5000);
    alice.conn.send(matchId, OpCode.QUIT, {});
    bob.conn.send(matchId, OpCode.QUIT, {});
    await eventually(() => sql(`SELECT count(*) FROM storage WHERE collection = 'rejoin_checkpoint' AND key = '${matchId}'`) === '0', 5000);
    await sleep(1500);
    expect(sql(`SELECT count(*) FROM storage WHERE collection = 'rejoin_checkpoint' AND key = '${matchId}'`)).toBe('0');
    const empty = (await rpc(alice.player, 'match_create', { mode: 'e2e' })).matchId;
    await sleep(2500);
    expect(sql(`SELECT count(*) FROM storage WHERE collection = 'rejoin_checkpoint' AND key = '${empty}'`)).toBe('0');
  });
});
