import { describe, expect, it } from 'vitest';
import { allowAttempt, pruneAttempts, type AttemptLog } from '../../src/core/rate-limit';

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
