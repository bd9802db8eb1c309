// Exactly-once purchases against the real server and PostgreSQL, with the network misbehaving.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { coins, eventually, expectRpcError, HOST, newClient, newUser, owned, PORT, rpc, type Player } from './harness/client';
import { FaultProxy } from '../../tools/fault-proxy';
import { checkErrorLines } from './harness/log';

// Parallel purchases of one player lose races inside their transactions: the server logs each at
// error level, and those lines are all it may log at that level.
checkErrorLines({ allowLostRaces: true });

const key = () => randomUUID();

/** Buys, retrying with the same key after a jittered pause on ABORTED, as a client does. */
async function buy(p: Player, body: object): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rpc(p, 'shop_purchase', body);
    } catch (e) {
      const res = e as Response;
      if (attempt < 200 && typeof res?.json === 'function' && res.status === 409) {
        const b = (await res.clone().json()) as { code: number };
        if (b.code === 10) {
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 20 * 2 ** Math.min(attempt, 5))));
          continue;
        }
      }
      throw e;
    }
  }
}

describe('shop_purchase on a real server', () => {
  it('new accounts start with 1000 coins, granted once however often they log in', async () => {
    const id = `shop-${randomUUID()}`;
    const client = newClient();
    // Account creation retried, then ordinary logins: each runs the after-authenticate hook.
    const first = await client.authenticateCustom(id, true);
    await client.authenticateCustom(id, true);
    await client.authenticateCustom(id, false);
    const p: Player = { client, session: first, userId: first.user_id as string };
    expect(await coins(p)).toBe(1000);
  });

  it('(a) the answer is lost after the purchase applied: the retry on a new connection is charged once, same receipt', async () => {
    const p = await newUser('shop');
    const proxy = await FaultProxy.start({ host: HOST, port: PORT });
    try {
      const slow: Player = { ...p, client: newClient(proxy.port) };
      proxy.setLatency(400);
      const k = key();
      const lost = rpc(slow, 'shop_purchase', { idempotencyKey: k, itemId: 'shield', quantity: 2 });
      lost.catch(() => undefined);
      // The server has applied it; the answer is still in the slow link when the link dies.
      await eventually(async () => (await coins(p)) === 900, 5000, 25);
      proxy.cutAll();
      await expect(lost).rejects.toBeDefined();
      const retry = await rpc(p, 'shop_purchase', { idempotencyKey: k, itemId: 'shield', quantity: 2 });
      expect(retry).toMatchObject({ replayed: true, cost: 100, balance: 900, owned: 2 });
      expect(await coins(p)).toBe(900);
      expect(await owned(p)).toEqual({ shield: 2 });
    } finally {
      await proxy.close();
    }
  });

  it('(b) 20 concurrent requests with one key from several connections: one debit, one receipt', async () => {
    const p = await newUser('shop');
    const k = key();
    const clients = Array.from({ length: 5 }, () => newClient());
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => buy({ ...p, client: clients[i % 5] }, { idempotencyKey: k, itemId: 'gem', quantity: 1 })));
    expect(new Set(answers.map((a) => a.receiptId)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await coins(p)).toBe(800);
    expect(await owned(p)).toEqual({ gem: 1 });
  });

  it('(c) the same key with a different item is 409 and changes nothing', async () => {
    const p = await newUser('shop');
    const k = key();
    await rpc(p, 'shop_purchase', { idempotencyKey: k, itemId: 'potion', quantity: 1 });
    await expectRpcError(rpc(p, 'shop_purchase', { idempotencyKey: k, itemId: 'gem', quantity: 1 }), { status: 409, code: 6, message: /^idempotency_conflict/ });
    expect(await coins(p)).toBe(990);
    expect(await owned(p)).toEqual({ potion: 1 });
  });

  it('(d) 100 purchases with distinct keys in parallel add up exactly', async () => {
    const p = await newUser('shop');
    const answers = await Promise.all(Array.from({ length: 100 }, () => buy(p, { idempotencyKey: key(), itemId: 'potion', quantity: 1 })));
    expect(answers.every((a) => a.replayed === false)).toBe(true);
    expect(new Set(answers.map((a) => a.receiptId)).size).toBe(100);
    expect(answers.map((a) => a.balance).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
    expect(await coins(p)).toBe(0);
    expect(await owned(p)).toEqual({ potion: 100 });
  }, 60_000);

  it('(e) insufficient funds never goes negative under concurrency', async () => {
    const p = await newUser('shop');
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => buy(p, { idempotencyKey: key(), itemId: 'gem', quantity: 1 })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(5);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      const res = r.reason as Response;
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 9, message: expect.stringMatching(/^insufficient_funds/) });
    }
    expect(await coins(p)).toBe(0);
    expect(await owned(p)).toEqual({ gem: 5 });
  }, 60_000);

  it('bad requests are refused with clear codes', async () => {
    const p = await newUser('shop');
    await expectRpcError(rpc(p, 'shop_purchase', { itemId: 'gem', quantity: 1 }), { status: 400, code: 3, message: /idempotency_key_invalid/ });
    await expectRpcError(rpc(p, 'shop_purchase', { idempotencyKey: key(), itemId: 'sword', quantity: 1 }), { status: 400, code: 3, message: /item_unknown/ });
    await expectRpcError(rpc(p, 'shop_purchase', { idempotencyKey: key(), itemId: 'gem', quantity: 0 }), { status: 400, code: 3, message: /quantity_invalid/ });
    expect(await coins(p)).toBe(1000);
  });
});
