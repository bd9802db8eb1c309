import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCap, giveUpAt, jitteredDelay, localDeadline, nextDelay } from '../../client/backoff';

const opts = { baseMs: 100, maxMs: 2000 };
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoff', () => {
  it('jitters over the whole of [0, min(max, base × 2^attempt))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), unit, (attempt, r) => {
        const d = jitteredDelay(attempt, opts, () => r);
        return Number.isInteger(d) && d >= 0 && d < Math.min(2000, 100 * 2 ** attempt);
      }),
    );
    expect(jitteredDelay(4, opts, () => 0)).toBe(0);
  });

  it('grows the cap exponentially up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 10, 1000].map((a) => backoffCap(a, opts))).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000]);
    expect([0, 1, 2, 3, 4, 5].map((a) => jitteredDelay(a, opts, () => 0.9999))).toEqual([99, 199, 399, 799, 1599, 1999]);
  });

  it('is spread out, not in step, across clients', () => {
    const seen = new Set(Array.from({ length: 200 }, () => jitteredDelay(5, opts, Math.random)));
    expect(seen.size).toBeGreaterThan(150);
  });

  it('never schedules an attempt past the deadline, and says stop when none fits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: -1000, max: 10_000 }), unit, (attempt, now, left, r) => {
        const d = nextDelay(attempt, now, now + left, opts, () => r, 100);
        if (left <= 100) return d === null;
        return d !== null && d >= 0 && now + d < now + left - 99 && d <= jitteredDelay(attempt, opts, () => r);
      }),
    );
    expect(nextDelay(3, 0, null, opts, () => 0.5)).toBe(400);
  });

  it('a whole schedule of instantly failing attempts stays inside the window and ends', () => {
    // (With a random source stuck at 0 full jitter would never wait; any real one does.)
    const draw = fc.double({ min: 0.1, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(fc.integer({ min: 150, max: 60_000 }), fc.array(draw, { minLength: 1, maxLength: 50 }), (windowMs, draws) => {
        let now = 0;
        let i = 0;
        const starts: number[] = [];
        for (let attempt = 0; attempt < 1000; attempt++) {
          const d = nextDelay(attempt, now, windowMs, opts, () => draws[i++ % draws.length], 100);
          if (d === null) break;
          now += d;
          starts.push(now);
        }
        return starts.length < 1000 && starts.every((t) => t < windowMs - 99);
      }),
    );
  });

  it('estimates the deadline from the snapshot grace window, and bounds a manual one', () => {
    expect(localDeadline(1000, 30, 10)).toBe(4000);
    expect(localDeadline(1000, null, 10)).toBeNull();
    expect(giveUpAt(1000, 30, 10, 60_000)).toBe(4000);
    expect(giveUpAt(1000, null, 10, 60_000)).toBe(61_000);
  });
});
