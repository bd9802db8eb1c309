import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalRequest, decide, isValidKey, recordsToPrune } from '../../src/core/idempotency/decision';
import { checkPurchase, parseCatalog, parseStartCoins, ShopConfigError } from '../../src/core/shop/catalog';

const HOUR = 3_600_000;

describe('idempotency decisions', () => {
  const rec = (over: object = {}) => ({ fp: 'f1', rpc: 'shop_purchase', result: { receiptId: 'r1' }, at: 1000, ...over });

  it('treats an unknown key as new', () => {
    expect(decide(null, 'f1', 2000, HOUR)).toEqual({ kind: 'new' });
    expect(decide(undefined, 'f1', 2000, HOUR)).toEqual({ kind: 'new' });
  });

  it('replays the stored result for the same request', () => {
    expect(decide(rec(), 'f1', 2000, HOUR)).toEqual({ kind: 'replay', result: { receiptId: 'r1' } });
  });

  it('refuses the same key with a different request, never returning the other result', () => {
    expect(decide(rec(), 'f2', 2000, HOUR)).toEqual({ kind: 'conflict' });
  });

  it('lets a key be reused once its record is past retention', () => {
    expect(decide(rec(), 'f2', 1000 + HOUR + 1, HOUR)).toEqual({ kind: 'expired' });
    expect(decide(rec(), 'f1', 1000 + HOUR, HOUR)).toMatchObject({ kind: 'replay' });
  });

  it('overwrites an unreadable record rather than trusting it', () => {
    expect(decide({ nonsense: true }, 'f1', 0, HOUR)).toEqual({ kind: 'expired' });
  });

  it.each([['abcd1234'], ['0f8fad5b-d9cb-469f-a165-70867728950e'], ['A'.repeat(64)], ['01ARZ3NDEKTSV4RRFFQ69G5FAV']])('accepts key %s', (k) => {
    expect(isValidKey(k)).toBe(true);
  });

  it.each([[''], ['short'], ['A'.repeat(65)], ['has space1'], ['ünïcödé1'], [12345678], [null]])('refuses key %j', (k) => {
    expect(isValidKey(k)).toBe(false);
  });

  it('fingerprints a request the same whatever its field order', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer(), (item, qty) => canonicalRequest('r', { itemId: item, quantity: qty }) === canonicalRequest('r', { quantity: qty, itemId: item })),
    );
    expect(canonicalRequest('r', { itemId: 'a', quantity: 1 })).not.toBe(canonicalRequest('r', { itemId: 'a', quantity: 2 }));
    expect(canonicalRequest('r', { itemId: 'a' })).not.toBe(canonicalRequest('s', { itemId: 'a' }));
  });

  it('prunes expired records, then the oldest beyond the cap', () => {
    const now = 10 * HOUR;
    const records: [string, number][] = [
      ['old', now - 2 * HOUR],
      ['a', now - 5],
      ['b', now - 4],
      ['c', now - 3],
      ['d', now - 2],
    ];
    expect(recordsToPrune(records, now, HOUR, 2).sort()).toEqual(['a', 'b', 'old']);
    expect(recordsToPrune(records, now, HOUR, 10)).toEqual(['old']);
  });

  it('never leaves more than the cap after a prune', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 * HOUR }), { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (ages, max) => {
        const now = 3 * HOUR;
        const records = ages.map((age, i): [string, number] => [`k${i}`, now - age]);
        const doomed = new Set(recordsToPrune(records, now, HOUR, max));
        const kept = records.filter(([k]) => !doomed.has(k));
        return kept.length <= max && kept.every(([, at]) => now - at <= HOUR);
      }),
    );
  });
});

describe('shop catalog and purchases', () => {
  it('parses a catalog with defaults', () => {
    expect(parseCatalog('{"sword":{"price":30}}')).toEqual({ sword: { price: 30, maxQuantity: 100 } });
    expect(Object.keys(parseCatalog(undefined))).toEqual(['potion', 'shield', 'gem']);
  });

  it.each([
    ['{"sword":{"price":0}}', /item "sword" field "price"/],
    ['{"sword":{"price":1.5}}', /field "price"/],
    ['{"Sword":{"price":1}}', /item id/],
    ['{"sword":{"price":1,"maxQuantity":0}}', /field "maxQuantity"/],
    ['{"sword":{"price":1,"cost":2}}', /field "cost": unknown field/],
    ['{}', /at least one item/],
    ['nope', /not valid JSON/],
  ])('refuses %s naming the item and field', (json, why) => {
    expect(() => parseCatalog(json)).toThrow(ShopConfigError);
    expect(() => parseCatalog(json)).toThrow(why);
  });

  it('reads START_COINS', () => {
    expect(parseStartCoins(undefined)).toBe(1000);
    expect(parseStartCoins('0')).toBe(0);
    expect(() => parseStartCoins('-5')).toThrow(/START_COINS/);
    expect(() => parseStartCoins('1.5')).toThrow(/START_COINS/);
  });

  it('checks item and quantity and prices the purchase', () => {
    const c = parseCatalog('{"gem":{"price":200,"maxQuantity":10}}');
    expect(checkPurchase(c, 'gem', 3)).toEqual({ ok: true, itemId: 'gem', quantity: 3, cost: 600 });
    expect(checkPurchase(c, 'sword', 1)).toMatchObject({ ok: false, error: 'item_unknown' });
    for (const q of [0, -1, 11, 1.5, '2', null, 1e308]) expect(checkPurchase(c, 'gem', q)).toMatchObject({ ok: false, error: 'quantity_invalid' });
    expect(checkPurchase(c, '__proto__', 1)).toMatchObject({ ok: false, error: 'item_unknown' });
  });
});
