// Nothing a client writes can pass for the server's word, against the real server: a client can
// neither create, overwrite nor delete the module's objects (before or after the server wrote
// them), and corrupt stored values give clean answers.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closesAfterEach, newUser, rpc, type Player } from './harness/client';
import { table } from './harness/table';
import { checkTokensNeverLogged, remember } from './harness/tokens';
import { NEEDS_DATABASE, sql, suiteDatabaseUrl } from './harness/db';

checkTokensNeverLogged();
const open = closesAfterEach();


async function refused(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await promise;
  } catch (e) {
    const res = e as Response;
    if (typeof res?.json !== 'function') throw e;
    return { status: res.status, body: await res.json() };
  }
  throw new Error('expected the storage request to be refused');
}

function forgeries(p: Player, key: string) {
  return [
    { collection: 'rejoin_seat', key: 'current', value: { matchId: `${randomUUID()}.node`, seat: 0, mode: 'e2e', updatedAt: Date.now(), ended: { reason: 'round_over', result: { forged: true }, at: Date.now() } } },
    { collection: 'rejoin_seat', key: p.userId, value: { matchId: 42 } },
    { collection: 'rejoin_receipts', key: `shop_purchase/${key}`, value: { fp: 'x', rpc: 'shop_purchase', result: { receiptId: 'FORGED', balance: 999999 }, at: Date.now() } },
    { collection: 'rejoin_inventory', key: 'items', value: { items: { gem: 99 } } },
    { collection: 'rejoin_checkpoint', key: 'anything', value: {} },
  ];
}

function purchase(p: Player, key: string) {
  return rpc(p, 'shop_purchase', { idempotencyKey: key, itemId: 'potion', quantity: 1 });
}

describe('module storage written by clients', () => {
  it('a client cannot create any of the module objects before the server does', async () => {
    const p = await newUser('forger');
    const key = `k-${randomUUID()}`;
    for (const o of forgeries(p, key)) {
      const r = await refused(p.client.writeStorageObjects(p.session, [o]));
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ code: 7, message: expect.stringMatching(/written by the server only/) });
    }
    expect(await rpc(p, 'session_resume', {})).toEqual({ status: 'none' });
    const bought = await purchase(p, key);
    expect(bought).toMatchObject({ replayed: false, balance: 990, owned: 1 });
    expect(bought.receiptId).not.toBe('FORGED');
    // The game's own collections remain the client's to write.
    const ok = await p.client.writeStorageObjects(p.session, [{ collection: 'game_save', key: 'slot1', value: { level: 3 } }]);
    expect(ok.acks).toHaveLength(1);
  });

  it('a client can neither overwrite nor delete what the server wrote', async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    const p = alice.player;
    const key = `k-${randomUUID()}`;
    const receipt = await purchase(p, key);
    for (const o of forgeries(p, key)) expect((await refused(p.client.writeStorageObjects(p.session, [o]))).status).toBe(403);
    for (const [collection, k] of [
      ['rejoin_receipts', `shop_purchase/${key}`],
      ['rejoin_inventory', 'items'],
      ['rejoin_seat', p.userId],
    ]) {
      expect((await refused(p.client.deleteStorageObjects(p.session, { object_ids: [{ collection, key: k }] }))).status).toBe(403);
    }
    expect(await purchase(p, key)).toEqual({ ...receipt, replayed: true });
    const answer = await rpc(p, 'session_resume', {});
    remember(answer.token);
    expect(answer).toMatchObject({ status: 'active', matchId });
    const account = await p.client.getAccount(p.session);
    expect(JSON.parse(account.wallet ?? '{}').coins).toBe(990);
  });
});

describe('corrupt stored values', () => {
  it.skipIf(!suiteDatabaseUrl)(`a malformed seat index entry or receipt gives a clean answer, never a 500 (${NEEDS_DATABASE})`, async () => {
    const { alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    const p = alice.player;
    for (const bad of ['{"matchId": 12345, "seat": 0}', '[1,2,3]', '"text"', '{"matchId": "x.y", "seat": "zero", "mode": 1}']) {
      sql(`INSERT INTO storage (collection, key, user_id, value, version, read, write) VALUES ('rejoin_seat', '${p.userId}', '00000000-0000-0000-0000-000000000000', '${bad}', md5(random()::text), 0, 0)
           ON CONFLICT (collection, key, user_id) DO UPDATE SET value = EXCLUDED.value, version = EXCLUDED.version`);
      expect(await rpc(p, 'session_resume', {})).toEqual({ status: 'none' });
    }
    const key = `k-${randomUUID()}`;
    const first = await purchase(p, key);
    sql(`UPDATE storage SET value = jsonb_set(value, '{result}', '{"receiptId": 7, "balance": "lots"}') WHERE collection = 'rejoin_receipts' AND user_id = '${p.userId}' AND key = 'shop_purchase/${key}'`);
    const again = await purchase(p, key);
    expect(again.receiptId).not.toBe(7);
    expect(typeof again.balance).toBe('number');
    expect(again.receiptId).not.toBe(first.receiptId);
  });
});
