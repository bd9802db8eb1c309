// Benchmark (not a test): throughput and latency of shop_purchase with the idempotency layer,
// against the same purchase without it (bench_purchase_plain), and the cost of a replay, in one
// run against a real server. Prints a table and writes bench/results/purchase-<time>.json.
//
//   npm run bench:purchase                 # starts a nakama binary (NAKAMA_BIN or PATH) itself
//   NAKAMA_URL=http://127.0.0.1:7350 npm run bench:purchase   # a server running build/bench/index.js with REJOIN_BENCH=1
//
// Options (env): USERS (20), PER_USER (90), ROUNDS (3): each user buys PER_USER potions, one
// request in flight per user; modes alternate for ROUNDS rounds so drift hits both alike.
import { randomUUID } from 'node:crypto';
import { Client } from '@heroiclabs/nakama-js';
import { benchServer, machine, pct, writeResults } from './lib/report.mjs';

const USERS = Number(process.env.USERS ?? 20);
const PER_USER = Number(process.env.PER_USER ?? 90);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

async function run(client, rpcId, sameKey) {
  const users = await Promise.all(Array.from({ length: USERS }, () => client.authenticateCustom(`bench-${randomUUID()}`, true)));
  const latencies = [];
  const key = sameKey ? randomUUID() : null;
  if (key) for (const u of users) await client.rpc(u, rpcId, { idempotencyKey: key, itemId: 'potion', quantity: 1 });
  const t0 = performance.now();
  await Promise.all(
    users.map(async (u) => {
      for (let i = 0; i < PER_USER; i++) {
        const s = performance.now();
        const r = await client.rpc(u, rpcId, { idempotencyKey: key ?? randomUUID(), itemId: 'potion', quantity: 1 });
        latencies.push(performance.now() - s);
        if (key && r.payload.replayed !== true) throw new Error('expected a replay');
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { n: latencies.length, perSecond: latencies.length / seconds, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99) };
}

function merge(list) {
  const n = list.reduce((a, r) => a + r.n, 0);
  const med = (k) => list.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return { n, perSecond: med('perSecond'), p50: med('p50'), p95: med('p95'), p99: med('p99') };
}

const server = await benchServer({ env: { REJOIN_BENCH: '1' }, logPrefix: 'bench-purchase', moduleFile: 'build/bench/index.js' });
const url = new URL(server.url);
const client = new Client(process.env.NAKAMA_SERVER_KEY ?? 'defaultkey', url.hostname, url.port, url.protocol === 'https:', 30_000);
try {
  // Warm the server's VMs and database connections before measuring.
  await run(client, 'shop_purchase', false);
  const plain = [];
  const idem = [];
  const replay = [];
  for (let r = 0; r < ROUNDS; r++) {
    plain.push(await run(client, 'bench_purchase_plain', false));
    idem.push(await run(client, 'shop_purchase', false));
    replay.push(await run(client, 'shop_purchase', true));
  }
  const rows = { plain: merge(plain), idempotent: merge(idem), replay: merge(replay) };
  const ratio = rows.idempotent.perSecond / rows.plain.perSecond;
  console.log(`\nshop_purchase benchmark: ${USERS} users, one request in flight each, ${PER_USER} purchases per user, median of ${ROUNDS} rounds`);
  console.log('mode          purchases  per second   p50 ms   p95 ms   p99 ms');
  for (const [name, r] of Object.entries(rows)) {
    console.log(`${name.padEnd(13)} ${String(r.n).padStart(9)} ${r.perSecond.toFixed(0).padStart(11)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)}`);
  }
  console.log(`\nidempotent / plain throughput: ${(ratio * 100).toFixed(1)}% (cost of the layer: ${((1 - ratio) * 100).toFixed(1)}%)`);
  const m = machine(server.bin);
  console.log(`machine: ${m.cpu}, ${m.memGiB} GiB, node ${m.node}; nakama ${m.nakama ?? url.href}; ${m.postgres}`);
  const bars = Object.entries(rows).flatMap(([mode, r]) => [
    { mode, measure: 'purchases/s', value: r.perSecond },
    { mode, measure: 'p50 ms', value: r.p50 },
    { mode, measure: 'p99 ms', value: r.p99 },
  ]);
  await writeResults('purchase', { machine: m, users: USERS, perUser: PER_USER, rounds: ROUNDS, rows, ratio }, {
    title: `shop_purchase with and without the idempotency layer (${(ratio * 100).toFixed(0)}% of plain throughput)`,
    data: { values: bars },
    facet: { column: { field: 'measure', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: { width: 160, height: 160, mark: 'bar', encoding: { x: { field: 'mode', type: 'nominal', title: null }, y: { field: 'value', type: 'quantitative', title: null }, color: { field: 'mode', type: 'nominal', legend: null } } },
  });
} finally {
  await server.stop();
}
