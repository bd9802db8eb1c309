import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admitInWindow, allowAttempt, pruneAttempts, type AttemptLog } from '../../src/core/arena/rate-limit';

describe('sliding window', () => {
  it('refuses the event over the limit and says how long until the oldest ages out', () => {
    expect(admitInWindow([1000, 4000], 5000, 3, 10_000)).toEqual({ allowed: true, recent: [1000, 4000, 5000], wait: 0 });
    expect(admitInWindow([1000, 4000, 5000], 6000, 3, 10_000)).toEqual({ allowed: false, recent: [1000, 4000, 5000], wait: 5000 });
    // 1000 ages out at 11000 exactly: the window is (now - window, now].
    expect(admitInWindow([1000, 4000, 5000], 11_000, 3, 10_000)).toMatchObject({ allowed: true, recent: [4000, 5000, 11_000] });
  });

  it('with more kept than a lowered limit allows, waits until enough have aged out', () => {
    expect(admitInWindow([5, 1, 3, 2], 6, 2, 10)).toEqual({ allowed: false, recent: [1, 2, 3, 5], wait: 7 });
    expect(admitInWindow([5, 1, 3, 2], 13, 2, 10).allowed).toBe(true);
    expect(admitInWindow([5, 1, 3, 2], 12.9, 2, 10).allowed).toBe(false);
  });

  it('never lets more than `limit` events into any window, and a refused one is let in after `wait`', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 40 }), (gaps, limit, window) => {
        let kept: number[] = [];
        const allowed: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          const c = admitInWindow(kept, now, limit, window);
          kept = c.recent;
          if (c.allowed) {
            allowed.push(now);
            continue;
          }
          expect(c.wait).toBeGreaterThan(0);
          expect(admitInWindow(kept, now + c.wait, limit, window).allowed).toBe(true);
          if (c.wait > 1) expect(admitInWindow(kept, now + c.wait - 1, limit, window).allowed).toBe(false);
        }
        for (const t of allowed) expect(allowed.filter((u) => u > t - window && u <= t).length).toBeLessThanOrEqual(limit);
      }),
    );
  });
});

describe('rejoin rate limit', () => {
  it('allows `limit` attempts per window and lets the user in again once it clears', () => {
    const log: AttemptLog = {};
    expect([0, 1, 2].map((t) => allowAttempt(log, 'u', t, 3, 10))).toEqual([true, true, true]);
    expect(allowAttempt(log, 'u', 5, 3, 10)).toBe(false);
    expect(allowAttempt(log, 'u', 9, 3, 10)).toBe(false);
    expect(allowAttempt(log, 'u', 10, 3, 10)).toBe(true);
  });

  it('counts each user on its own', () => {
    const log: AttemptLog = {};
    allowAttempt(log, 'a', 0, 1, 10);
    expect(allowAttempt(log, 'a', 1, 1, 10)).toBe(false);
    expect(allowAttempt(log, 'b', 1, 1, 10)).toBe(true);
  });

  it('prunes users whose attempts have aged out', () => {
    const log: AttemptLog = {};
    allowAttempt(log, 'a', 0, 5, 10);
    allowAttempt(log, 'b', 8, 5, 10);
    pruneAttempts(log, 12, 10);
    expect(Object.keys(log)).toEqual(['b']);
  });
});
