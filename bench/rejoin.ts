// Benchmark (not a test): how fast a dropped player is back in the game. For tick rates 10, 30
// and 60, on one machine in one run: Nakama with this module (first join and rejoin of the arena
// match); Nakama with a minimal match handler that holds nothing (bench/nakama/floor), which is
// what Nakama itself costs; and Colyseus 0.17 with allowReconnection (first join and reconnect of
// a room with the same two seats and a comparable state; bench/colyseus/server.mjs says why 0.17).
// Prints a table, writes JSON and a PNG.
//
//   npm run bench:rejoin                  # starts its own nakama (NAKAMA_BIN or PATH)
//   REJOINS=1000 FIRST_JOINS=300 TICK_RATES=10,30,60 npm run bench:rejoin
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FaultProxy } from '../tools/fault-proxy';
import { benchServer, machine, summary, table, writeResults, type Summary } from './lib/report.mjs';
import { measureNakama } from './nakama/rejoin';
// @ts-expect-error plain JavaScript, run in its own process's client
import { measureColyseus } from './colyseus/measure.mjs';

const REJOINS = Number(process.env.REJOINS ?? 1000);
const FIRST_JOINS = Number(process.env.FIRST_JOINS ?? 300);
const TICK_RATES = (process.env.TICK_RATES ?? '10,30,60').split(',').map(Number);

/** Two seats, a long grace window and a rate limit that lets one player rejoin back to back. */
const benchModes = Object.fromEntries(TICK_RATES.map((t) => [`bench_t${t}`, { seats: 2, tickRate: t, graceSec: 600, roundSec: 3600, rejoinAttempts: 1000, rejoinWindowSec: 1, checkpointSec: 5 }]));

async function startColyseus(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bench/colyseus/server.mjs'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`colyseus server exited with ${c}`)));
    lines.on('line', (l) => {
      const m = /^COLYSEUS_READY (\d+)/.exec(l);
      if (m) resolve(Number(m[1]));
    });
  });
  return { port, child };
}

interface Row {
  system: string;
  tickRate: number;
  first: Summary;
  rejoin: Summary;
  connect?: Summary;
  rtt?: Summary;
}

// One player creates a fresh match for every measured first join, back to back: far above the
// per-user creation limit a production server sets, so the benchmark lifts it.
const createLimit = { perWindow: 1000, windowSec: 1, maxOpen: 1000 };
const nakama = await benchServer({ env: { REJOIN_MODES: JSON.stringify(benchModes), REJOIN_CREATE_LIMIT: JSON.stringify(createLimit) }, external: false, logPrefix: 'bench-rejoin' });
const floor = await benchServer({ external: false, logPrefix: 'bench-floor', moduleFile: 'bench/nakama/floor/index.js' });
const colyseus = await startColyseus();
const rows: Row[] = [];
let colyseusVersions: { server: string; client: string; transport: string; schema: string } | null = null;
try {
  for (const tickRate of TICK_RATES) {
    console.log(`tick rate ${tickRate}: nakama, ${REJOINS} rejoins and ${FIRST_JOINS} first joins…`);
    const n = await measureNakama(nakama.url, `bench_t${tickRate}`, { rejoins: REJOINS, firstJoins: FIRST_JOINS });
    rows.push({ system: 'nakama', tickRate, first: summary(n.firstJoinMs), rejoin: summary(n.rejoinMs), connect: summary(n.connectMs), rtt: summary(n.rttMs) });
    console.log(`tick rate ${tickRate}: nakama with a minimal handler…`);
    const f = await measureNakama(floor.url, `bench_t${tickRate}`, { rejoins: REJOINS, firstJoins: FIRST_JOINS });
    rows.push({ system: 'nakama floor', tickRate, first: summary(f.firstJoinMs), rejoin: summary(f.rejoinMs), connect: summary(f.connectMs), rtt: summary(f.rttMs) });
    console.log(`tick rate ${tickRate}: colyseus, ${REJOINS} rejoins and ${FIRST_JOINS} first joins…`);
    const c = await measureColyseus({
      port: colyseus.port,
      tickRate,
      rounds: REJOINS,
      firstJoins: FIRST_JOINS,
      proxyFactory: (port: number) => FaultProxy.start({ host: '127.0.0.1', port }),
    });
    colyseusVersions = c.versions;
    rows.push({ system: 'colyseus', tickRate, first: summary(c.firstJoinMs), rejoin: summary(c.rejoinMs) });
  }
} finally {
  colyseus.child.kill('SIGTERM');
  await nakama.stop();
  await floor.stop();
}

const ms = (v: number | undefined) => (v === undefined ? '' : v.toFixed(2));
console.log(`\nrejoin latency: new socket opened → full state held, ms (${REJOINS} rejoins, ${FIRST_JOINS} first joins per row)\n`);
console.log(
  table(rows, [
    ['system', (r) => r.system],
    ['tick/s', (r) => r.tickRate],
    ['first p50', (r) => ms(r.first.p50)],
    ['first p99', (r) => ms(r.first.p99)],
    ['rejoin p50', (r) => ms(r.rejoin.p50)],
    ['rejoin p95', (r) => ms(r.rejoin.p95)],
    ['rejoin p99', (r) => ms(r.rejoin.p99)],
    ['connect p50', (r) => ms(r.connect?.p50)],
    ['rtt p50', (r) => ms(r.rtt?.p50)],
  ]),
);

const verdicts = TICK_RATES.map((t) => {
  const n = rows.find((r) => r.system === 'nakama' && r.tickRate === t)!;
  const c = rows.find((r) => r.system === 'colyseus' && r.tickRate === t)!;
  const f = rows.find((r) => r.system === 'nakama floor' && r.tickRate === t)!;
  const budget = 1000 / t + 5;
  return {
    tickRate: t,
    rejoinP99MinusFirstP99: n.rejoin.p99 - n.first.p99,
    budgetMs: budget,
    withinBudget: n.rejoin.p99 - n.first.p99 <= budget,
    // The floor: a new connection plus one round trip; how far the median rejoin is above it.
    aboveFloorP50: n.rejoin.p50 - (n.connect!.p50 + n.rtt!.p50),
    // What the module adds to Nakama's own rejoin path.
    moduleCostP50: n.rejoin.p50 - f.rejoin.p50,
    floorOverColyseusP50: f.rejoin.p50 / c.rejoin.p50,
    nakamaOverColyseusP50: n.rejoin.p50 / c.rejoin.p50,
    nakamaOverColyseusP99: n.rejoin.p99 / c.rejoin.p99,
  };
});
console.log('\ntargets: rejoin p99 within one tick + 5 ms of first-join p99; rejoin at least as fast as Colyseus (ratio ≤ 1)\n');
console.log(
  table(verdicts, [
    ['tick/s', (v) => v.tickRate],
    ['rejoin p99 − first p99', (v) => ms(v.rejoinP99MinusFirstP99)],
    ['budget', (v) => ms(v.budgetMs)],
    ['met', (v) => (v.withinBudget ? 'yes' : 'NO')],
    ['p50 above floor', (v) => ms(v.aboveFloorP50)],
    ['module cost p50', (v) => ms(v.moduleCostP50)],
    ['floor/colyseus p50', (v) => v.floorOverColyseusP50.toFixed(2)],
    ['nakama/colyseus p50', (v) => v.nakamaOverColyseusP50.toFixed(2)],
    ['nakama/colyseus p99', (v) => v.nakamaOverColyseusP99.toFixed(2)],
  ]),
);

const m = machine(nakama.bin);
console.log(`\nmachine: ${m.cpu}, ${m.memGiB} GiB, node ${m.node}; nakama ${m.nakama}; colyseus ${JSON.stringify(colyseusVersions)}`);
const points = rows.flatMap((r) =>
  (['p50', 'p95', 'p99'] as const).flatMap((p) => [
    { system: r.system, tickRate: `${r.tickRate}/s`, kind: 'first join', percentile: p, ms: r.first[p] },
    { system: r.system, tickRate: `${r.tickRate}/s`, kind: 'rejoin', percentile: p, ms: r.rejoin[p] },
  ]),
);
await writeResults(
  'rejoin',
  { machine: m, colyseus: colyseusVersions, rejoins: REJOINS, firstJoins: FIRST_JOINS, rows, verdicts },
  {
    title: `Join and rejoin latency (ms): Nakama + this module, Nakama with a minimal handler, Colyseus ${colyseusVersions?.server ?? ''}`,
    data: { values: points },
    facet: { row: { field: 'kind', type: 'nominal', title: null }, column: { field: 'tickRate', type: 'nominal', title: 'tick rate' } },
    spec: {
      width: 180,
      height: 140,
      mark: 'bar',
      encoding: {
        x: { field: 'percentile', type: 'nominal', title: null },
        xOffset: { field: 'system' },
        y: { field: 'ms', type: 'quantitative', title: 'ms' },
        color: { field: 'system', type: 'nominal' },
      },
    },
  },
);
