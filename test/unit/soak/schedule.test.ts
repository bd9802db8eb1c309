// The soak's fault schedule: one seed, one schedule; faults inside the run; never two at once on
// one player; node faults one at a time.
import { describe, expect, it } from 'vitest';
import { int, mulberry32, pick } from '../../../bench/soak/prng';
import { BOT_FAULTS, countByKind, faultSchedule, NODE_FAULTS, nodeFaultSpan } from '../../../bench/soak/schedule';

const base = { durationMs: 600_000, bots: 50, nodes: 2, graceMs: 10_000, leaseMs: 3000 };

describe('seeded PRNG', () => {
  it('repeats its numbers for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('int stays in its bounds and pick follows the weights', () => {
    const r = mulberry32(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(int(r, 3, 5));
    expect([...seen].sort()).toEqual([3, 4, 5]);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) counts[pick(r, [['a', 9], ['b', 1]] as const)]++;
    expect(counts.a).toBeGreaterThan(8500);
    expect(counts.b).toBeGreaterThan(500);
  });
});

describe('faultSchedule', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(faultSchedule({ ...base, seed: 5 })).toEqual(faultSchedule({ ...base, seed: 5 }));
    expect(faultSchedule({ ...base, seed: 6 })).not.toEqual(faultSchedule({ ...base, seed: 5 }));
  });

  it('draws every kind of fault over a long run, sorted, inside warm-up and quiet tail', () => {
    const faults = faultSchedule({ ...base, seed: 9, durationMs: 1_800_000, warmupMs: 5000, quietMs: 10_000 });
    const kinds = countByKind(faults);
    for (const k of [...BOT_FAULTS, ...NODE_FAULTS]) expect(kinds[k], k).toBeGreaterThan(0);
    for (let i = 1; i < faults.length; i++) expect(faults[i].at).toBeGreaterThanOrEqual(faults[i - 1].at);
    for (const f of faults) {
      expect(f.at).toBeGreaterThanOrEqual(5000);
      expect(f.at + f.ms).toBeLessThanOrEqual(1_800_000 - 10_000);
    }
  });

  it('never overlaps two faults on one player, and runs node faults one at a time', () => {
    const faults = faultSchedule({ ...base, seed: 3 });
    const botFaults = faults.filter((f) => (BOT_FAULTS as readonly string[]).includes(f.kind));
    for (let bot = 0; bot < base.bots; bot++) {
      const mine = botFaults.filter((f) => f.target === bot);
      for (let i = 1; i < mine.length; i++) expect(mine[i].at).toBeGreaterThanOrEqual(mine[i - 1].at + mine[i - 1].ms);
    }
    const nodeFaults = faults.filter((f) => (NODE_FAULTS as readonly string[]).includes(f.kind));
    expect(nodeFaults.length).toBeGreaterThan(0);
    for (let i = 1; i < nodeFaults.length; i++) expect(nodeFaults[i].at).toBeGreaterThanOrEqual(nodeFaults[i - 1].at + nodeFaultSpan(nodeFaults[i - 1], base.leaseMs));
  });

  it('shapes faults by the grace window and the lease', () => {
    const faults = faultSchedule({ ...base, seed: 4, durationMs: 3_600_000 });
    for (const f of faults) {
      if (f.kind === 'blackhole' || f.kind === 'half_open') expect(f.ms).toBeLessThanOrEqual(base.graceMs / 2);
      if (f.kind === 'long_blackhole') expect(f.ms).toBeGreaterThan(base.graceMs);
      if (f.kind === 'db_partition') expect(f.ms).toBeGreaterThan(base.leaseMs);
      expect(f.target).toBeLessThan((NODE_FAULTS as readonly string[]).includes(f.kind) ? base.nodes : base.bots);
    }
  });

  it('with no players and no nodes schedules nothing', () => {
    expect(faultSchedule({ ...base, seed: 1, bots: 0, nodes: 0 })).toEqual([]);
  });
});
