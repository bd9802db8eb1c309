import { describe, expect, it } from 'vitest';
import { SequenceTracker } from '../../client/sequence';

describe('sequence gaps', () => {
  it('applies the next broadcast, ignores what the snapshot holds, and flags a gap once', () => {
    const s = new SequenceTracker();
    expect(s.broadcast(1)).toBe('stale'); // before any SNAPSHOT: the SNAPSHOT will hold it
    s.snapshot(10);
    expect(s.broadcast(9)).toBe('stale');
    expect(s.broadcast(10)).toBe('stale');
    expect(s.broadcast(11)).toBe('apply');
    expect(s.broadcast(11)).toBe('stale');
    expect(s.broadcast(13)).toBe('gap');
    expect(s.shouldResync()).toBe(true);
    expect(s.broadcast(14)).toBe('gap');
    expect(s.shouldResync()).toBe(false);
    s.snapshot(14);
    expect(s.broadcast(15)).toBe('apply');
    expect(s.broadcast(17)).toBe('gap');
    expect(s.shouldResync()).toBe(true);
    expect(s.current).toBe(15);
  });

  it('treats a missing or bad seq as nothing to apply', () => {
    const s = new SequenceTracker();
    s.snapshot(3);
    expect(s.broadcast(Number.NaN)).toBe('stale');
    expect(s.broadcast(undefined as unknown as number)).toBe('stale');
  });
});
