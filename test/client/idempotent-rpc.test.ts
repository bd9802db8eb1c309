import { describe, expect, it, vi } from 'vitest';
import type { Client, Session } from '@heroiclabs/nakama-js';
import { callIdempotent, newIdempotencyKey, RpcRefused } from '../../client/idempotent-rpc';

const session = {} as Session;
const fast = { backoff: { baseMs: 1, maxMs: 2 } };
const answer = (status: number, code: number, message: string) => new Response(JSON.stringify({ code, message }), { status });

function client(script: unknown[]) {
  const calls: any[] = [];
  const c = {
    rpc: vi.fn(async (_s: Session, id: string, payload: any) => {
      calls.push({ id, payload });
      const next = script.shift();
      if (next instanceof Error || next instanceof Response) throw next;
      return { id, payload: next };
    }),
  };
  return { c: c as unknown as Client, calls };
}

describe('callIdempotent', () => {
  it('retries network errors, 5xx and contention with the same key, then returns the answer', async () => {
    const { c, calls } = client([new TypeError('fetch failed'), answer(500, 13, 'internal'), answer(409, 10, 'shop_purchase is contended'), new Error('Request timed out.'), { receiptId: 'r1', replayed: true }]);
    const retries: number[] = [];
    const r = await callIdempotent<{ receiptId: string }>(c, session, 'shop_purchase', { itemId: 'gem', quantity: 1 }, { ...fast, onRetry: (i) => retries.push(i.attempt) });
    expect(r.receiptId).toBe('r1');
    expect(calls).toHaveLength(5);
    const keys = new Set(calls.map((x) => x.payload.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[0].payload).toMatchObject({ itemId: 'gem', quantity: 1 });
    expect(retries).toEqual([1, 2, 3, 4]);
  });

  it('stops at the first 4xx and throws its {code, message}', async () => {
    for (const [status, code, message] of [
      [400, 3, 'item_unknown'],
      [409, 6, 'idempotency_conflict'],
      [400, 9, 'insufficient_funds'],
      [401, 16, 'Auth token invalid'],
    ] as const) {
      const { c, calls } = client([answer(status, code, message), { never: true }]);
      const err = await callIdempotent(c, session, 'shop_purchase', { itemId: 'x', quantity: 1 }, fast).catch((e) => e);
      expect(err).toBeInstanceOf(RpcRefused);
      expect(err).toMatchObject({ status, code, message });
      expect(calls).toHaveLength(1);
    }
  });

  it('gives up after its attempts with the last error, and uses a key it is given', async () => {
    const { c, calls } = client([answer(503, 14, 'unavailable'), answer(503, 14, 'unavailable'), answer(503, 14, 'unavailable')]);
    const err = await callIdempotent(c, session, 'shop_purchase', {}, { ...fast, attempts: 3, idempotencyKey: 'saved-key-123' }).catch((e) => e);
    expect(err).toMatchObject({ status: 503 });
    expect(calls.map((x) => x.payload.idempotencyKey)).toEqual(['saved-key-123', 'saved-key-123', 'saved-key-123']);
  });

  it('makes keys the server accepts (8 to 64 of A-Z a-z 0-9 _ -), different each time', () => {
    const keys = Array.from({ length: 100 }, newIdempotencyKey);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(new Set(keys).size).toBe(100);
  });
});
