// The lease rules: when an owner may act, when it has lapsed, when another node may take over.
import { describe, expect, it } from 'vitest';
import { checkpointMaySkip, NO_LEASE, ownerLapsed, ownerMayAct, takeoverAllowed } from '../../src/core/arena/lease';
import { parseModeTable } from '../../src/core/modes';

const LEASE = 3000;

describe('lease', () => {
  it('an owner acts for strictly less than half the lease after its last write', () => {
    const l = { version: 'v1', sinceMs: 10_000, written: null, writeFailed: false };
    expect(ownerMayAct(l, LEASE, 10_000)).toBe(true);
    expect(ownerMayAct(l, LEASE, 11_499)).toBe(true);
    expect(ownerMayAct(l, LEASE, 11_500)).toBe(false);
  });

  it('an owner whose last write failed acts again only once a write succeeds', () => {
    const failed = { version: 'v1', sinceMs: 10_000, written: 'same', writeFailed: true };
    expect(ownerMayAct(failed, LEASE, 10_001)).toBe(false);
    expect(ownerMayAct({ ...NO_LEASE, writeFailed: true }, LEASE, 1e12)).toBe(false);
    // It still must write: the failed one may be all that stands between it and a takeover.
    expect(checkpointMaySkip(failed, 'same', LEASE, 1000, 10_001)).toBe(false);
    // Its lease still runs from the last write that succeeded.
    expect(ownerLapsed(failed, LEASE, 13_000)).toBe(false);
    expect(ownerLapsed(failed, LEASE, 13_001)).toBe(true);
  });

  it('a match that never wrote a checkpoint, or has no lease, always acts and never lapses', () => {
    expect(ownerMayAct(NO_LEASE, LEASE, 1e12)).toBe(true);
    expect(ownerMayAct({ version: 'v', sinceMs: 0, written: null, writeFailed: false }, 0, 1e12)).toBe(true);
    expect(ownerLapsed(NO_LEASE, LEASE, 1e12)).toBe(false);
    expect(ownerLapsed({ version: 'v', sinceMs: 0, written: null, writeFailed: false }, 0, 1e12)).toBe(false);
  });

  it('others may take over only after the whole lease, later than the owner stops acting', () => {
    const rec = { savedAtMs: 10_000, final: false, leaseMs: LEASE };
    expect(takeoverAllowed(rec, 13_000)).toBe(false);
    expect(takeoverAllowed(rec, 13_001)).toBe(true);
    expect(ownerLapsed({ version: 'v', sinceMs: 10_000, written: null, writeFailed: false }, LEASE, 13_000)).toBe(false);
    expect(ownerLapsed({ version: 'v', sinceMs: 10_000, written: null, writeFailed: false }, LEASE, 13_001)).toBe(true);
    // Between the owner's stop and the takeover lies half a lease: the clock skew tolerated.
    for (let t = 10_000; t < 14_000; t += 50) expect(ownerMayAct({ version: 'v', sinceMs: 10_000, written: null, writeFailed: false }, LEASE, t) && takeoverAllowed(rec, t + LEASE / 2 - 1)).toBe(false);
  });

  it('a graceful shutdown checkpoint may be taken over at once; a lease-less periodic one never', () => {
    expect(takeoverAllowed({ savedAtMs: 10_000, final: true, leaseMs: LEASE }, 10_000)).toBe(true);
    expect(takeoverAllowed({ savedAtMs: 10_000, final: false, leaseMs: 0 }, 1e12)).toBe(false);
  });
});

describe('skipping an unchanged checkpoint', () => {
  const CP = 1000;
  const l = { version: 'v1', sinceMs: 10_000, written: 'same', writeFailed: false };

  it('skips only what the last write held, while the lease has more than 1.5 intervals to run', () => {
    expect(checkpointMaySkip(l, 'same', LEASE, CP, 11_000)).toBe(true);
    expect(checkpointMaySkip(l, 'same', LEASE, CP, 11_499)).toBe(true);
    expect(checkpointMaySkip(l, 'same', LEASE, CP, 11_500)).toBe(false);
    expect(checkpointMaySkip(l, 'changed', LEASE, CP, 11_000)).toBe(false);
    expect(checkpointMaySkip(NO_LEASE, 'same', LEASE, CP, 11_000)).toBe(false);
  });

  it('the write after a skip still lands a full interval before anyone may take over', () => {
    // Periodic checkpoints at every interval: the first one not skipped is at most 2 intervals
    // after the last write, and a takeover needs the whole lease (3 intervals).
    let t = 10_000 + CP;
    while (checkpointMaySkip(l, 'same', LEASE, CP, t)) t += CP;
    expect(t - 10_000).toBeLessThanOrEqual(2 * CP);
    expect(takeoverAllowed({ savedAtMs: 10_000, final: false, leaseMs: LEASE }, t + CP)).toBe(false);
  });
});

describe('leaseSec in the mode table', () => {
  const mode = (extra: object) => JSON.stringify({ m: { seats: 2, roundSec: 60, graceSec: 10, ...extra } });

  it('defaults to three checkpoint intervals', () => {
    expect(parseModeTable(mode({ checkpointSec: 2 })).m.leaseSec).toBe(6);
    expect(parseModeTable(mode({})).m.leaseSec).toBe(15);
  });

  it('must be at least twice checkpointSec, named with mode and field', () => {
    expect(parseModeTable(mode({ checkpointSec: 2, leaseSec: 4 })).m.leaseSec).toBe(4);
    expect(() => parseModeTable(mode({ checkpointSec: 2, leaseSec: 3 }))).toThrow(/mode "m" field "leaseSec": must be at least twice checkpointSec/);
    expect(() => parseModeTable(mode({ leaseSec: 'long' }))).toThrow(/field "leaseSec"/);
  });
});
