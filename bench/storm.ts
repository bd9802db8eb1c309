// Benchmark (not a test): a reconnect storm, as a load-balancer restart causes.
//
// PLAYERS players in matches of SEATS seats (10 ticks a second) play through the project's own
// client library, each adding 1 point every second. They are driven by WORKERS load-generator
// processes (bench/storm/worker.ts), each with its share of whole matches, so that no one event
// loop stands between the server and a thousand clients, as none does between a server and a
// thousand phones. Every match socket goes through one fault proxy in this process, which then
// cuts every connection at the same instant. Every client notices by itself (its socket closes)
// and comes back on a new socket with its own full-jitter backoff, resending what was not
// acknowledged.
//
// Reported: how many got their seat back, how long each took, whether any action was lost or
// applied twice (each player's score against what it sent); through the storm, the server's CPU,
// the load generators' (each process's own, from /proc), how late their event loops ran (what a
// saturated one adds to every time it measures), and what the database wrote. The time to a
// SNAPSHOT is wall-clock (Date.now(), one clock for every process here): from the cut as this
// process stamps it just before cutting, to the SNAPSHOT as its client's worker stamps it.
//
//   npm run bench:storm
//   PLAYERS=1000 SEATS=4 WORKERS=2 npm run bench:storm
//   PROFILE_DIR=bench/results npm run bench:storm   # also a Go CPU profile of the server, from the cut on
import { FaultProxy } from '../tools/fault-proxy';
import { benchServer, cpuSeconds, dbNumber, goProfile, machine, summary, table, walBytes, writeResults } from './lib/report.mjs';
import type { BotResult } from './storm/messages';
import { forkWorkers, heard, shares, tell } from './storm/workers';

const PLAYERS = Number(process.env.PLAYERS ?? 1000);
const SEATS = Number(process.env.SEATS ?? 4);
const PLAY_SEC = Number(process.env.PLAY_SEC ?? 5);
const AFTER_SEC = Number(process.env.AFTER_SEC ?? 5);
const MATCHES = Math.ceil(PLAYERS / SEATS);
const WORKERS = Math.min(MATCHES, Number(process.env.WORKERS ?? 2));

const commits = (url: string) => dbNumber(url, 'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const modes = { storm: { seats: SEATS, tickRate: 10, graceSec: 30, roundSec: 3600, emptySec: 600, checkpointSec: 5 } };
const createLimit = { perWindow: 1000, windowSec: 1, maxOpen: 1000 };
const s = await benchServer({ env: { REJOIN_MODES: JSON.stringify(modes), REJOIN_CREATE_LIMIT: JSON.stringify(createLimit) }, external: false, logPrefix: 'bench-storm' });
const url = new URL(s.url);
const proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port) });

console.log(`seating ${PLAYERS} players in ${MATCHES} matches of ${SEATS}, driven by ${WORKERS} worker processes…`);
const workers = await forkWorkers(WORKERS);
const share = shares(PLAYERS, SEATS, WORKERS);
const seated = workers.map((w) => heard(w, 'seated'));
workers.forEach((w, i) => tell(w, { type: 'seat', server: { host: url.hostname, port: url.port }, proxyPort: proxy.port, players: share[i], seats: SEATS }));
await Promise.all(seated);
for (const w of workers) tell(w, { type: 'play' });

await sleep(PLAY_SEC * 1000);
const pids = [s.server!.pid as number, process.pid, ...workers.map((w) => w.pid as number)];
const cpu0 = pids.map(cpuSeconds);
const wal0 = walBytes(s.server!.databaseUrl);
const commits0 = commits(s.server!.databaseUrl);
const settled = Promise.all(workers.map((w) => heard(w, 'settled')));
console.log(`cutting all ${proxy.connections} connections at once…`);
// Profiled from just before the cut, over about the time the storm lasts.
const PROFILE_SEC = Number(process.env.PROFILE_SEC ?? 4);
const profiled = process.env.PROFILE_DIR ? goProfile(s.server!.logFile, PROFILE_SEC, `${process.env.PROFILE_DIR}/storm-${PLAYERS}-${new Date().toISOString().replace(/[:.]/g, '-')}.pprof`) : Promise.resolve();
const cutAt = Date.now();
proxy.cutAll();
for (const w of workers) tell(w, { type: 'cut', cutAt, deadline: cutAt + 60_000 });
const loopDelays = (await settled).map((m) => m.loopDelayMs);
const stormSec = (Date.now() - cutAt) / 1000;
const [serverCores, parentCores, ...workerCores] = pids.map((p, i) => (cpuSeconds(p) - cpu0[i]) / stormSec);
const loadCores = workerCores.reduce((a, b) => a + b, 0);
const walStorm = walBytes(s.server!.databaseUrl) - wal0;
const commitsStorm = commits(s.server!.databaseUrl) - commits0;
await profiled;
// Play on a little; each worker then lets every pending action be acknowledged and reports.
await sleep(AFTER_SEC * 1000);
const reports = workers.map((w) => heard(w, 'results'));
for (const w of workers) tell(w, { type: 'finish' });
const bots: BotResult[] = (await Promise.all(reports)).flatMap((r) => r.bots);

// Each player's time back: from the cut to its first SNAPSHOT after it.
const backAt = (b: BotResult) => b.resumedAt.find((t) => t >= cutAt);
const back = bots.filter((b) => backAt(b) !== undefined);
const backMs = back.map((b) => (backAt(b) as number) - cutAt);
const times = summary(backMs);
const wrong = bots.filter((b) => b.lost === null && b.score !== b.sent);
const result = {
  players: PLAYERS,
  seats: SEATS,
  matches: MATCHES,
  workers: WORKERS,
  back: back.length,
  lost: bots.filter((b) => b.lost !== null).map((b) => b.lost),
  neverBack: bots.filter((b) => backAt(b) === undefined && b.lost === null).length,
  msToSnapshot: times,
  attempts: summary(bots.map((b) => b.attempts)),
  scoresWrong: wrong.length,
  scoresWrongExamples: wrong.slice(0, 5).map((b) => ({ sent: b.sent, score: b.score })),
  storm: {
    seconds: stormSec,
    serverCpuSec: serverCores * stormSec,
    serverCpuCores: serverCores,
    clientCpuCores: loadCores,
    workerCpuCores: workerCores,
    proxyCpuCores: parentCores,
    workerLoopDelayMs: loopDelays,
    walBytes: walStorm,
    commits: commitsStorm,
  },
};
console.log('');
console.log(
  table(
    [result],
    [
      ['players', (r) => r.players],
      ['back', (r) => r.back],
      ['lost', (r) => r.lost.length],
      ['p50 ms', (r) => r.msToSnapshot.p50?.toFixed(0) ?? '-'],
      ['p99 ms', (r) => r.msToSnapshot.p99?.toFixed(0) ?? '-'],
      ['last ms', (r) => r.msToSnapshot.max?.toFixed(0) ?? '-'],
      ['attempts p99', (r) => r.attempts.p99],
      ['scores wrong', (r) => r.scoresWrong],
      ['server CPU (cores)', (r) => r.storm.serverCpuCores.toFixed(2)],
      ['load generator CPU (cores)', (r) => r.storm.clientCpuCores.toFixed(2)],
      ['DB commits', (r) => r.storm.commits],
      ['WAL KiB', (r) => (r.storm.walBytes / 1024).toFixed(0)],
    ],
  ),
);
console.log(
  `WORKERS=${WORKERS}: load generators ${loadCores.toFixed(2)} cores in all (${workerCores.map((c) => c.toFixed(2)).join(' + ')}); ` +
    `event-loop delay at most ${Math.max(...loopDelays.map((d) => d.max)).toFixed(0)} ms; ` +
    `this process (fault proxy) ${parentCores.toFixed(2)} cores; storm ${stormSec.toFixed(1)} s`,
);
await proxy.close();
await s.stop();
await writeResults(
  'storm',
  { machine: machine(s.bin), ...result },
  {
    title: `Reconnect storm: ${PLAYERS} players cut at once (${WORKERS} load-generator processes)`,
    data: { values: backMs.map((ms) => ({ ms })) },
    mark: 'bar',
    encoding: { x: { field: 'ms', type: 'quantitative', bin: { maxbins: 40 }, title: 'ms from the cut to the SNAPSHOT' }, y: { aggregate: 'count', title: 'players' } },
    width: 480,
    height: 240,
  },
);
process.exit(0);
