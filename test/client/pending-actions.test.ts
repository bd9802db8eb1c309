import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PendingActions } from '../../client/pending-actions';

describe('pending actions', () => {
  it('resends exactly what the snapshot shows as not processed, in order', () => {
    const p = new PendingActions();
    [1, 2, 3, 4].forEach((n) => p.add({ type: 'add', amount: n }));
    p.ack(1);
    const resend = p.afterSnapshot(2);
    expect(resend.map((a) => a.actionSeq)).toEqual([3, 4]);
    expect(PendingActions.message(resend[0])).toEqual({ type: 'add', amount: 3, actionSeq: 3 });
    p.ack(3);
    expect(p.afterSnapshot(2).map((a) => a.actionSeq)).toEqual([4]);
  });

  it('resend rule, for any history: above lastActionSeq, not acknowledged, in order, no repeats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(fc.integer({ min: 1, max: 30 })), fc.integer({ min: 0, max: 30 }), (n, acks, last) => {
        const p = new PendingActions();
        for (let i = 0; i < n; i++) p.add({ i });
        acks.forEach((a) => p.ack(a));
        const got = p.afterSnapshot(last).map((a) => a.actionSeq);
        const want = Array.from({ length: n }, (_, i) => i + 1).filter((s) => s > last && !acks.includes(s));
        return JSON.stringify(got) === JSON.stringify(want);
      }),
    );
  });

  it('numbers strictly increase, continue from the stored counter, and never reuse a processed number', () => {
    const p = new PendingActions(7);
    expect(p.add({}).actionSeq).toBe(7);
    p.afterSnapshot(41);
    expect(p.add({}).actionSeq).toBe(42);
    p.raiseNext(50);
    p.raiseNext(3);
    expect(p.add({}).actionSeq).toBe(50);
    expect(p.next).toBe(51);
  });

  it('an actionSeq inside the body never overrides the assigned one', () => {
    const p = new PendingActions();
    const a = p.add({ type: 'x', actionSeq: 999 });
    expect(PendingActions.message(a)).toEqual({ type: 'x', actionSeq: 1 });
  });
});
