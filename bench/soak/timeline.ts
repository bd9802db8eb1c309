// The soak's timeline as a Vega-Lite chart: faults by kind, reconnects and the latency of
// acknowledged actions, second by second. Pure: records in, chart spec out (drawn by bench/lib).
import type { Fault } from './schedule';

export interface Second {
  sec: number;
  reconnects: number;
  backs: number;
  ackP50: number | null;
  ackMax: number | null;
}

/** Per-second buckets of reconnects and ACK latency (ms from sending to its ACK). */
export function perSecond(durationSec: number, reconnects: readonly number[], backs: readonly number[], acks: readonly { at: number; ms: number }[], start: number): Second[] {
  const rows: Second[] = Array.from({ length: Math.max(1, Math.ceil(durationSec)) }, (_, sec) => ({ sec, reconnects: 0, backs: 0, ackP50: null, ackMax: null }));
  const lat: number[][] = rows.map(() => []);
  const at = (t: number) => Math.min(rows.length - 1, Math.max(0, Math.floor((t - start) / 1000)));
  for (const t of reconnects) rows[at(t)].reconnects++;
  for (const t of backs) rows[at(t)].backs++;
  for (const a of acks) lat[at(a.at)].push(a.ms);
  rows.forEach((r, i) => {
    const l = lat[i].sort((x, y) => x - y);
    if (l.length) {
      r.ackP50 = l[Math.floor((l.length - 1) / 2)];
      r.ackMax = l[l.length - 1];
    }
  });
  return rows;
}

export function timelineChart(title: string, faults: readonly Fault[], seconds: readonly Second[]): object {
  const width = 720;
  const x = { field: 'sec', type: 'quantitative', title: 'seconds into the run', scale: { domain: [0, seconds.length] } };
  return {
    title,
    // Each panel colours its own field (fault kinds; reconnecting/back; median/max): a colour scale
    // shared across panels would leave every value outside the explicit red/green domain unpainted.
    resolve: { scale: { color: 'independent' } },
    vconcat: [
      {
        width,
        height: 160,
        title: 'faults',
        data: { values: faults.map((f) => ({ sec: f.at / 1000, end: (f.at + f.ms) / 1000, kind: f.kind })) },
        layer: [
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, x2: { field: 'end' }, y: { field: 'kind', type: 'nominal', title: null }, color: { field: 'kind', type: 'nominal', legend: null } } },
          { mark: { type: 'tick', thickness: 1 }, encoding: { x, y: { field: 'kind', type: 'nominal', title: null }, color: { field: 'kind', type: 'nominal', legend: null } } },
        ],
      },
      {
        width,
        height: 120,
        title: 'players reconnecting (red) and back in their seat (green), per second',
        data: { values: seconds.flatMap((s) => [{ sec: s.sec, n: s.reconnects, what: 'reconnecting' }, { sec: s.sec, n: s.backs, what: 'back' }]) },
        mark: 'line',
        encoding: { x, y: { field: 'n', type: 'quantitative', title: 'players' }, color: { field: 'what', type: 'nominal', scale: { domain: ['reconnecting', 'back'], range: ['#d62728', '#2ca02c'] } } },
      },
      {
        width,
        height: 120,
        title: 'ACK latency of applied actions (median and max per second)',
        data: { values: seconds.flatMap((s) => (s.ackP50 === null ? [] : [{ sec: s.sec, ms: s.ackP50, what: 'median' }, { sec: s.sec, ms: s.ackMax, what: 'max' }])) },
        mark: 'line',
        encoding: { x, y: { field: 'ms', type: 'quantitative', title: 'ms', scale: { type: 'symlog' } }, color: { field: 'what', type: 'nominal' } },
      },
    ],
  };
}
