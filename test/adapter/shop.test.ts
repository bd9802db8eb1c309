// shop_purchase and the starting grant through the fake server, whose storage checks versions
// and whose multiUpdate rolls everything back on any failure, as the real one does.
import { describe, expect, it } from 'vitest';
import { failure } from '../fakes/fake-nakama';
import { server } from './world';

const env = { SHOP_CATALOG: '{"potion":{"price":10},"gem":{"price":200,"maxQuantity":10}}', START_COINS: '500' };

function shop() {
  const s = server(env);
  const coins = (u: string) => s.wallets.get(u)?.coins ?? 0;
  const inv = (u: string) => s.nk().storageRead([{ collection: 'rejoin_inventory', key: 'items', userId: u }])[0]?.value.items ?? {};
  const buy = (u: string, body: object) => s.rpc('shop_purchase', u, body);
  return { s, coins, inv, buy };
}

describe('shop_purchase', () => {
  it('debits coins and adds items in one go, and answers with a receipt', () => {
    const { coins, inv, buy } = shop();
    const r = buy('alice', { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 3 });
    expect(r).toMatchObject({ itemId: 'potion', quantity: 3, cost: 30, balance: 470, owned: 3, replayed: false });
    expect(r.receiptId).toMatch(/^[0-9a-f-]{36}$/);
    expect(coins('alice')).toBe(470);
    expect(inv('alice')).toEqual({ potion: 3 });
  });

  it('replays the stored answer for a retried key and changes nothing', () => {
    const { coins, inv, buy } = shop();
    const first = buy('alice', { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 3 });
    const again = buy('alice', { quantity: 3, itemId: 'potion', idempotencyKey: 'key-00000001' });
    expect(again).toEqual({ ...first, replayed: true });
    expect(coins('alice')).toBe(470);
    expect(inv('alice')).toEqual({ potion: 3 });
  });

  it('refuses the same key for a different request with 409 and changes nothing', () => {
    const { coins, inv, buy } = shop();
    buy('alice', { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 3 });
    for (const other of [{ itemId: 'gem', quantity: 1 }, { itemId: 'potion', quantity: 4 }]) {
      expect(failure(() => buy('alice', { idempotencyKey: 'key-00000001', ...other }))).toMatchObject({ code: 6, message: expect.stringMatching(/^idempotency_conflict/) });
    }
    expect(coins('alice')).toBe(470);
    expect(inv('alice')).toEqual({ potion: 3 });
  });

  it('keeps keys per user: the same key from another user is a new purchase', () => {
    const { coins, buy } = shop();
    buy('alice', { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 1 });
    expect(buy('bob', { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 1 }).replayed).toBe(false);
    expect(coins('bob')).toBe(490);
  });

  it('a concurrent duplicate that loses the race returns the winner\'s result and charges once', () => {
    const { s, coins, buy } = shop();
    let winner: any = null;
    s.beforeCommit = () => {
      s.beforeCommit = null;
      // The rival request with the same key commits while this one is about to.
      winner = buy('alice', { idempotencyKey: 'key-00000007', itemId: 'gem', quantity: 1 });
    };
    const loser = buy('alice', { idempotencyKey: 'key-00000007', itemId: 'gem', quantity: 1 });
    expect(loser).toEqual({ ...winner, replayed: true });
    expect(coins('alice')).toBe(300);
  });

  it('refuses a purchase it cannot afford with insufficient_funds and changes nothing', () => {
    const { coins, inv, buy } = shop();
    buy('alice', { idempotencyKey: 'key-00000001', itemId: 'gem', quantity: 2 });
    const f = failure(() => buy('alice', { idempotencyKey: 'key-00000002', itemId: 'gem', quantity: 1 }));
    expect(f).toMatchObject({ code: 9, message: expect.stringMatching(/^insufficient_funds: 200 coins needed, 100 held/) });
    expect(coins('alice')).toBe(100);
    expect(inv('alice')).toEqual({ gem: 2 });
    // A refused purchase leaves no record: the same key may be used once the player can pay.
    expect(failure(() => buy('alice', { idempotencyKey: 'key-00000002', itemId: 'gem', quantity: 1 })).code).toBe(9);
  });

  it.each([
    [{ itemId: 'potion', quantity: 1 }, 3, /idempotency_key_invalid/],
    [{ idempotencyKey: 'short', itemId: 'potion', quantity: 1 }, 3, /idempotency_key_invalid/],
    [{ idempotencyKey: 'key-00000001', itemId: 'sword', quantity: 1 }, 3, /item_unknown: itemId must be one of: potion, gem/],
    [{ idempotencyKey: 'key-00000001', itemId: 'gem', quantity: 11 }, 3, /quantity_invalid: .*1 to 10/],
    [{ idempotencyKey: 'key-00000001', itemId: 'potion', quantity: -2 }, 3, /quantity_invalid/],
    [{ idempotencyKey: 'key-00000001', itemId: 'potion', quantity: '2' }, 3, /quantity_invalid/],
    ['{not json', 3, /payload is not JSON/],
  ])('refuses %j with code %i', (body, code, why) => {
    const { s, coins, inv, buy } = shop();
    s.hook('afterAuthenticateCustom', 'alice', true);
    expect(failure(() => buy('alice', body as object))).toMatchObject({ code, message: expect.stringMatching(why) });
    expect(inv('alice')).toEqual({});
    expect(coins('alice')).toBe(500);
  });

  it('needs a signed-in user', () => {
    const { s } = shop();
    expect(failure(() => s.rpc('shop_purchase', null, { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 1 })).code).toBe(16);
  });

  it('keeps records server-owned, unreadable by clients', () => {
    const { s, buy } = shop();
    buy('alice', { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 1 });
    const rec = s.nk().storageRead([{ collection: 'rejoin_receipts', key: 'shop_purchase/key-00000001', userId: 'alice' }])[0];
    expect(rec).toMatchObject({ permissionRead: 0, permissionWrite: 0 });
    const inv = s.nk().storageRead([{ collection: 'rejoin_inventory', key: 'items', userId: 'alice' }])[0];
    expect(inv).toMatchObject({ permissionRead: 1, permissionWrite: 0 });
  });

  it('bounds the number of records per user', () => {
    const s = server({ ...env, START_COINS: '100000', IDEMPOTENCY_MAX_RECORDS: '10' });
    for (let i = 0; i < 120; i++) s.rpc('shop_purchase', 'alice', { idempotencyKey: `key-${String(i).padStart(8, '0')}`, itemId: 'potion', quantity: 1 });
    const n = s.nk().storageList('alice', 'rejoin_receipts', 1000).objects.length;
    // At most the cap plus what accrues between two prunes (one new key in 16 prunes).
    expect(n).toBeLessThanOrEqual(10 + 40);
    expect(n).toBeGreaterThanOrEqual(10);
  });
});

describe('starting coins', () => {
  it('are granted exactly once, however often the hooks run', () => {
    const s = server(env);
    s.hook('afterAuthenticateCustom', 'alice', true);
    s.hook('afterAuthenticateCustom', 'alice', true);
    s.hook('afterAuthenticateDevice', 'alice', false);
    expect(s.wallets.get('alice')?.coins).toBe(500);
  });

  it('are granted by the first purchase for an account that never logged in through a hook', () => {
    const s = server(env);
    s.rpc('shop_purchase', 'carol', { idempotencyKey: 'key-00000001', itemId: 'potion', quantity: 1 });
    s.hook('afterAuthenticateEmail', 'carol', false);
    expect(s.wallets.get('carol')?.coins).toBe(490);
  });

  it('a rival grant racing this one does not grant twice', () => {
    const s = server(env);
    s.beforeCommit = () => {
      s.beforeCommit = null;
      s.hook('afterAuthenticateCustom', 'dave', true);
    };
    s.hook('afterAuthenticateCustom', 'dave', true);
    expect(s.wallets.get('dave')?.coins).toBe(500);
  });
});
