// When no node could serve a match: the soak counts a seat lost then apart from a violation.
import { describe, expect, it } from 'vitest';
import { clusterOutageWithin } from '../../../bench/soak/checker';

const NODES = ['n1', 'n2'];

describe('clusterOutageWithin', () => {
  it('finds a moment when every node is out, killed or cut off from the database', () => {
    const outages = [
      { node: 'n1', kind: 'db_partition', from: 1000, to: 30_000 },
      { node: 'n2', kind: 'db_partition', from: 28_000, to: 50_000 },
    ];
    expect(clusterOutageWithin(outages, NODES, 0, 60_000)).toBe(true);
    // The overlap (28-30 s) lies outside the window asked about.
    expect(clusterOutageWithin(outages, NODES, 31_000, 60_000)).toBe(false);
    expect(clusterOutageWithin(outages, NODES, 29_000, 29_500)).toBe(true);
  });

  it('is false while one node could serve all along, whatever the others did', () => {
    const outages = [
      { node: 'n1', kind: 'node_kill', from: 1000, to: 8000 },
      { node: 'n2', kind: 'db_partition', from: 9000, to: 40_000 },
      { node: 'n1', kind: 'graceful_restart', from: 41_000, to: 45_000 },
    ];
    expect(clusterOutageWithin(outages, NODES, 0, 60_000)).toBe(false);
    expect(clusterOutageWithin([], NODES, 0, 60_000)).toBe(false);
    expect(clusterOutageWithin(outages, [...NODES, 'n3'], 0, 60_000)).toBe(false);
  });
});
