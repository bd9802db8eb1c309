// Benchmark (not a test): what a periodic checkpoint costs. A checkpoint is one storage upsert of
// the match state, made from inside the match loop every checkpointSec seconds. This measures
// that upsert through the same server storage path, from a client, for states of 2, 4 and 16
// seats (so it is an upper bound: it includes the HTTP round trip), and the state's size.
//
//   npm run bench:checkpoint      (or NAKAMA_URL=... to use a running server)
import { randomUUID } from 'node:crypto';
import { Client } from '@heroiclabs/nakama-js';
import { benchServer, machine, pct, writeResults } from './lib/report.mjs';

const N = Number(process.env.N ?? 400);

/** A match state shaped like the arena's, with `seats` seats held and a few revoked tokens. */
function stateOf(seats) {
  const hash = () => randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
  const seat = (i) => ({
    seat: i, userId: randomUUID(), username: `player${i}`, status: i % 2 ? 'reserved' : 'connected',
    presence: i % 2 ? null : { userId: randomUUID(), sessionId: randomUUID(), username: `player${i}`, node: 'nakama1' },
    tokenHash: hash(), prevTokenHash: null, confirmed: true, claim: null, dropTick: i % 2 ? 1200 : null, deadline: i % 2 ? 1800 : null, lastActionSeq: 4000 + i,
  });
  return {
    v: 1, matchId: `${randomUUID()}.nakama1`, savedTick: 1234, savedAtMs: Date.now(), final: false,
    state: {
      v: 1, mode: { name: 'ranked', seats, tickRate: 10, graceSec: 60, roundSec: 300, rejoinAttempts: 10, rejoinWindowSec: 10, emptySec: 60, claimSec: 15, checkpointSec: 5, resumeByAccount: true },
      graceTicks: 600, claimTicks: 150, checkpointTicks: 50, restoredFrom: null, seq: 5000, seats: Array.from({ length: seats }, (_, i) => seat(i)),
      invited: null, attempts: {}, gone: Array.from({ length: seats }, () => ({ userId: randomUUID(), tokenHash: hash(), reason: 'lost' })),
      roundEndTick: 3000, emptySinceTick: 0, everSeated: true, label: '{"mode":"ranked","open":0,"size":2,"promised":false}', ended: null,
      game: { seats: Array.from({ length: seats }, (_, i) => ({ score: 40 + i, x: i, y: i, forfeited: false })) },
    },
  };
}

const server = await benchServer({ logPrefix: 'bench-checkpoint' });
const url = new URL(server.url);
const client = new Client(process.env.NAKAMA_SERVER_KEY ?? 'defaultkey', url.hostname, url.port, url.protocol === 'https:', 30_000);
try {
  const session = await client.authenticateCustom(`bench-${randomUUID()}`, true);
  const rows = [];
  for (const seats of [2, 4, 16]) {
    const value = stateOf(seats);
    const bytes = Buffer.byteLength(JSON.stringify(value));
    const times = [];
    for (let i = 0; i < N + 20; i++) {
      const t = performance.now();
      await client.writeStorageObjects(session, [{ collection: 'bench_checkpoint', key: 'm', value, permission_read: 0, permission_write: 1 }]);
      if (i >= 20) times.push(performance.now() - t);
    }
    // The JSON copy the match makes of its state before writing it (V8 here; the server's
    // JavaScript engine is slower, so read it as an order of magnitude).
    const c0 = performance.now();
    for (let i = 0; i < 2000; i++) JSON.parse(JSON.stringify(value.state));
    const copyMs = (performance.now() - c0) / 2000;
    times.sort((a, b) => a - b);
    const p50 = pct(times, 50);
    rows.push({ seats, bytes, p50, p99: pct(times, 99), copyMs, perTickAt5s10Hz: p50 / 50 });
  }
  console.log(`\ncheckpoint cost: ${N} upserts per size, client round trip included (upper bound)`);
  console.log('seats   bytes   upsert p50 ms   p99 ms   JSON copy ms   per tick (5 s, 10 Hz) ms');
  for (const r of rows) console.log(`${String(r.seats).padStart(5)} ${String(r.bytes).padStart(7)} ${r.p50.toFixed(2).padStart(15)} ${r.p99.toFixed(2).padStart(8)} ${r.copyMs.toFixed(3).padStart(14)} ${r.perTickAt5s10Hz.toFixed(3).padStart(25)}`);
  const m = machine(server.bin);
  console.log(`machine: ${m.cpu}, ${m.memGiB} GiB, node ${m.node}; nakama ${m.nakama ?? url.href}; ${m.postgres}`);
  await writeResults('checkpoint', { machine: m, n: N, rows }, {
    title: 'Checkpoint upsert latency by seats (ms, client round trip included)',
    data: { values: rows.flatMap((r) => [{ seats: String(r.seats), percentile: 'p50', ms: r.p50 }, { seats: String(r.seats), percentile: 'p99', ms: r.p99 }]) },
    width: 300,
    height: 180,
    mark: 'bar',
    encoding: { x: { field: 'seats', type: 'ordinal' }, xOffset: { field: 'percentile' }, y: { field: 'ms', type: 'quantitative' }, color: { field: 'percentile', type: 'nominal' } },
  });
} finally {
  await server.stop();
}
