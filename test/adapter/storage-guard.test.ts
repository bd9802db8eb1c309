// Nothing a client writes can pass for the server's word: clients can neither create, change nor
// delete the module's objects, before or after the server wrote them, and values read back from
// storage are validated (a malformed one is treated as absent, never a 500).
import { describe, expect, it } from 'vitest';
import { failure } from '../fakes/fake-nakama';
import { OpCode } from '../../src/protocol';
import { SYSTEM_USER } from '../../src/runtime/storage';
import { newMatch, seat, server } from './world';

const KEY = 'key-0000000001';
const FORGED_END = { matchId: '11111111-1111-4111-8111-111111111111.fakenode', seat: 0, mode: 'e2e', updatedAt: Date.now(), ended: { reason: 'round_over', result: { winner: 'me' }, at: Date.now() } };

function purchase(s: ReturnType<typeof server>, userId: string, key = KEY) {
  return s.rpc('shop_purchase', userId, { idempotencyKey: key, itemId: 'potion', quantity: 1 });
}

describe('module storage cannot be forged by clients', () => {
  it('a client cannot create any module object before the server does', () => {
    const s = server();
    const forged = [
      { collection: 'rejoin_seat', key: 'current', value: FORGED_END },
      { collection: 'rejoin_seat', key: 'alice', value: FORGED_END },
      { collection: 'rejoin_receipts', key: `shop_purchase/${KEY}`, value: { fp: 'x', rpc: 'shop_purchase', result: { receiptId: 'FORGED', balance: 999999 }, at: Date.now() } },
      { collection: 'rejoin_inventory', key: 'items', value: { items: { gem: 99 } } },
      { collection: 'rejoin_checkpoint', key: 'x', value: {} },
      { collection: 'REJOIN_anything', key: 'x', value: {} },
    ];
    for (const o of forged) expect(failure(() => s.clientWriteStorage('alice', [o]))).toMatchObject({ code: 7, message: expect.stringMatching(/written by the server only/) });
    // A batch mixing the game's own collection with a module one changes nothing at all.
    expect(failure(() => s.clientWriteStorage('alice', [{ collection: 'game_save', key: 'slot', value: { a: 1 } }, forged[2]]))).toMatchObject({ code: 7 });
    expect([...s.storage.keys()]).toEqual([]);
    expect(s.rpc('session_resume', 'alice', {})).toEqual({ status: 'none' });
    const p = purchase(s, 'alice');
    expect(p).toMatchObject({ itemId: 'potion', replayed: false, balance: 990, owned: 1 });
    // The game's own collections stay the client's.
    expect(s.clientWriteStorage('alice', [{ collection: 'game_save', key: 'slot', value: { a: 1 } }])).toHaveLength(1);
  });

  it('a client can neither overwrite nor delete what the server wrote', () => {
    const s = server();
    const m = newMatch(s);
    seat(m, 'alice');
    const receipt = purchase(s, 'alice');
    const before = new Map([...s.storage].map(([k, v]) => [k, JSON.stringify(v)]));
    for (const [collection, key] of [
      ['rejoin_receipts', `shop_purchase/${KEY}`],
      ['rejoin_inventory', 'items'],
      ['rejoin_seat', 'alice'],
    ]) {
      expect(failure(() => s.clientWriteStorage('alice', [{ collection, key, value: { forged: true } }]))).toMatchObject({ code: 7 });
      expect(failure(() => s.clientDeleteStorage('alice', [{ collection, key }]))).toMatchObject({ code: 7 });
    }
    expect(new Map([...s.storage].map(([k, v]) => [k, JSON.stringify(v)]))).toEqual(before);
    expect(purchase(s, 'alice')).toEqual({ ...receipt, replayed: true });
    expect(s.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'active', matchId: m.id });
  });

  it('the seat index session_resume trusts is the server\'s own: one under the user\'s id is ignored', () => {
    const s = server();
    // As if written before the hooks existed: an object owned by the user in the old place.
    s.storage.set(`rejoin_seat\u0000current\u0000alice`, { value: FORGED_END, version: 'v', permissionRead: 1, permissionWrite: 1, createTime: 0, updateTime: 0 });
    expect(s.rpc('session_resume', 'alice', {})).toEqual({ status: 'none' });
  });
});

describe('values read back from storage are validated', () => {
  const corrupt: unknown[] = [
    { matchId: 12345, seat: 0, mode: 'e2e', updatedAt: 1 },
    { matchId: 'not a match id', seat: 0, mode: 'e2e', updatedAt: 1 },
    { matchId: FORGED_END.matchId, seat: '0', mode: 'e2e', updatedAt: 1 },
    { matchId: FORGED_END.matchId, seat: 0, mode: 'e2e', updatedAt: 1, ended: 'yes' },
    [1, 2, 3],
    'text',
    null,
  ];

  it('a malformed seat index entry answers none, is logged and removed, never a 500', () => {
    for (const value of corrupt) {
      const s = server();
      s.nk().storageWrite([{ collection: 'rejoin_seat', key: 'alice', userId: SYSTEM_USER, value, permissionRead: 0, permissionWrite: 0 }]);
      expect(s.rpc('session_resume', 'alice', {})).toEqual({ status: 'none' });
      expect(s.logs.some((l) => l.level === 'warn' && /seat index entry malformed/.test(l.text))).toBe(true);
      expect(s.nk().storageRead([{ collection: 'rejoin_seat', key: 'alice', userId: SYSTEM_USER }])).toEqual([]);
    }
  });

  it('a receipt whose result is malformed is never replayed', () => {
    const s = server();
    const first = purchase(s, 'alice');
    const key = `rejoin_receipts\u0000shop_purchase/${KEY}\u0000alice`;
    const rec = s.storage.get(key)!;
    s.storage.set(key, { ...rec, value: { ...rec.value, result: { receiptId: 7, balance: 'lots' } } });
    const again = purchase(s, 'alice');
    expect(again.receiptId).not.toBe(7);
    expect(again).toMatchObject({ itemId: 'potion', replayed: false });
    expect(again.receiptId).not.toBe(first.receiptId);
  });

  it('a malformed checkpoint is reported as ended, and removed', () => {
    const s = server();
    const m = newMatch(s, 'e2e');
    const a = seat(m, 'alice');
    a.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 1 });
    m.step(11);
    m.stopped = true;
    s.nk().storageWrite([{ collection: 'rejoin_checkpoint', key: m.id, userId: SYSTEM_USER, value: { v: 1, matchId: m.id, savedTick: 'x', state: [] }, permissionRead: 0, permissionWrite: 0 }]);
    expect(s.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'ended', reason: 'checkpoint_corrupt' });
    expect(s.nk().storageRead([{ collection: 'rejoin_checkpoint', key: m.id, userId: SYSTEM_USER }])).toEqual([]);
  });
});
