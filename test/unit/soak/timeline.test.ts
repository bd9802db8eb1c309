import { describe, expect, it } from 'vitest';
import { perSecond, timelineChart } from '../../../bench/soak/timeline';

type Panel = { data: { values: Record<string, unknown>[] }; encoding?: { color?: { field: string; scale?: { domain?: string[] } } }; layer?: { encoding: { color?: { field: string } } }[] };

describe('soak timeline', () => {
  const start = 1_000_000;
  const seconds = perSecond(3, [start + 100, start + 1200], [start + 2100], [{ at: start + 50, ms: 12 }, { at: start + 60, ms: 40 }, { at: start + 1500, ms: 20 }], start);

  it('buckets reconnects, returns to the seat and ACK latency by second', () => {
    expect(seconds.map((s) => [s.reconnects, s.backs])).toEqual([[1, 0], [1, 0], [0, 1]]);
    expect(seconds.map((s) => [s.ackP50, s.ackMax])).toEqual([[12, 40], [20, 20], [null, null]]);
  });

  it('paints every panel in colours of its own: a value outside another panel’s colour domain is never left unpainted', () => {
    const chart = timelineChart('t', [{ at: 500, kind: 'cut', target: 0, ms: 0, value: 0 }], seconds) as { resolve?: { scale?: { color?: string } }; vconcat: Panel[] };
    // Vega-Lite shares one colour scale across concatenated views unless told otherwise; the
    // reconnect panel fixes its domain to reconnecting/back, which would hide fault kinds and
    // the latency lines.
    const fixed = chart.vconcat.flatMap((p) => (p.encoding?.color?.scale?.domain ? [p.encoding.color.scale.domain] : []));
    const colourFields = chart.vconcat.map((p) => p.encoding?.color?.field ?? p.layer?.[0]?.encoding.color?.field);
    const valuesOutsideFixed = chart.vconcat.some((p, i) => p.data.values.some((v) => !fixed.flat().includes(String(v[colourFields[i] as string]))));
    expect(valuesOutsideFixed).toBe(true);
    expect(chart.resolve?.scale?.color).toBe('independent');
  });
});
