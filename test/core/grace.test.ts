import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deadlineFor, graceTicks, inGrace, secondsToTicks, ticksLeft } from '../../src/core/arena/grace';

describe('grace arithmetic', () => {
  it('is ceil(graceSec × tickRate)', () => {
    expect(graceTicks(60, 10)).toBe(600);
    expect(graceTicks(2.05, 10)).toBe(21);
    expect(graceTicks(0.01, 10)).toBe(1);
    expect(graceTicks('manual', 10)).toBeNull();
  });

  it('does not round a whole product up through float error', () => {
    expect(graceTicks(0.3, 10)).toBe(3);
    expect(graceTicks(1.1, 30)).toBe(33);
    expect(secondsToTicks(0.7, 10)).toBe(7);
  });

  it('holds a seat through deadline - 1 and loses it at the deadline', () => {
    const deadline = deadlineFor(100, graceTicks(3, 10));
    expect(deadline).toBe(130);
    expect(inGrace(deadline, 129)).toBe(true);
    expect(inGrace(deadline, 130)).toBe(false);
    expect(ticksLeft(deadline, 129)).toBe(1);
    expect(ticksLeft(deadline, 135)).toBe(0);
  });

  it('never ends a manual grace window', () => {
    expect(inGrace(null, Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(ticksLeft(null, 5)).toBeNull();
  });

  it('gives exactly graceTicks ticks in grace after any drop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 1, max: 60 }), (drop, sec, rate) => {
        const g = graceTicks(sec, rate) as number;
        const d = deadlineFor(drop, g);
        let held = 0;
        for (const t of [drop, drop + g - 1, drop + g, drop + g + 1]) if (inGrace(d, t)) held++;
        return g === sec * rate && held === 2 && inGrace(d, drop + g - 1) && !inGrace(d, drop + g);
      }),
    );
  });
});
