// Benchmark (not a test): a reconnect storm, as a load-balancer restart causes.
//
// PLAYERS players in matches of SEATS seats (10 ticks a second) play through the project's own
// client library, every match socket through one fault proxy, each player adding 1 point every
// second. Then the proxy cuts every connection at once. Every client notices by itself (its
// socket closes) and comes back on a new socket with its own full-jitter backoff, resending what
// was not acknowledged. Reported: how many got their seat back, how long each took (from the cut
// to its SNAPSHOT), whether any action was lost or applied twice (each player's score against
// what it sent), and what the server's CPU and the database did during the storm.
//
//   npm run bench:storm
//   PLAYERS=1000 SEATS=4 npm run bench:storm
import { randomUUID } from 'node:crypto';
import { Client } from '@heroiclabs/nakama-js';
import WebSocket from 'ws';
import { RejoinClient } from '../client';
import { FaultProxy } from '../test/integration/harness/fault-proxy';
import { benchServer, cpuSeconds, dbNumber, machine, summary, table, walBytes, writeResults } from './lib/report.mjs';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
(globalThis as { window?: unknown }).window ??= globalThis;

const PLAYERS = Number(process.env.PLAYERS ?? 1000);
const SEATS = Number(process.env.SEATS ?? 4);
const PLAY_SEC = Number(process.env.PLAY_SEC ?? 5);
const AFTER_SEC = Number(process.env.AFTER_SEC ?? 5);
const MATCHES = Math.ceil(PLAYERS / SEATS);


const commits = (url: string) => dbNumber(url, 'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()');

const modes = { storm: { seats: SEATS, tickRate: 10, graceSec: 30, roundSec: 3600, emptySec: 600, checkpointSec: 5 } };
const createLimit = { perWindow: 1000, windowSec: 1, maxOpen: 1000 };
const s = await benchServer({ env: { REJOIN_MODES: JSON.stringify(modes), REJOIN_CREATE_LIMIT: JSON.stringify(createLimit) }, external: false, logPrefix: 'bench-storm' });
const url = new URL(s.url);
const http = new Client('defaultkey', url.hostname, url.port, false, 15_000);
const proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port) });
const via = new Client('defaultkey', '127.0.0.1', String(proxy.port), false, 15_000);

interface Bot {
  rc: RejoinClient;
  sent: number;
  score: number;
  backAtMs: number | null;
  lost: string | null;
  attempts: number;
}
const bots: Bot[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log(`seating ${PLAYERS} players in ${MATCHES} matches of ${SEATS}…`);
for (let m = 0; m < MATCHES; m++) {
  const group: Bot[] = [];
  for (let i = 0; i < SEATS && bots.length < PLAYERS; i++) {
    const session = await http.authenticateCustom(`storm-${randomUUID()}`, true);
    const rc = new RejoinClient({ client: http, session, socketClient: via, heartbeatMs: 5000, connectTimeoutMs: 10_000 });
    const bot: Bot = { rc, sent: 0, score: 0, backAtMs: null, lost: null, attempts: 0 };
    rc.on('snapshot', (snap) => (bot.score = (snap.game as { seats: { score: number }[] }).seats[snap.you.seat].score));
    rc.on('event', (e) => {
      if (e.type === 'scored' && e.seat === rc.seat) bot.score = e.score as number;
    });
    rc.on('reconnecting', (e) => (bot.attempts = Math.max(bot.attempts, e.attempt)));
    rc.on('seatLost', (e) => (bot.lost = e.reason));
    rc.on('ended', (e) => (bot.lost = `ended ${e.reason}`));
    group.push(bot);
    bots.push(bot);
  }
  const matchId = ((await http.rpc(group[0].rc.session, 'match_create', { mode: 'storm' })).payload as { matchId: string }).matchId;
  await Promise.all(group.map((b) => b.rc.joinMatch(matchId)));
}

let playing = true;
const play = (async () => {
  while (playing) {
    for (const b of bots) {
      if (b.lost === null) {
        b.rc.sendAction({ type: 'add', amount: 1 });
        b.sent++;
      }
    }
    await sleep(1000);
  }
})();

await sleep(PLAY_SEC * 1000);
const cpu0 = cpuSeconds(s.server!.pid as number);
const wal0 = walBytes(s.server!.databaseUrl);
const commits0 = commits(s.server!.databaseUrl);
const clientCpu0 = process.cpuUsage();
const cutAt = performance.now();
for (const b of bots) b.rc.on('resumed', () => (b.backAtMs ??= performance.now() - cutAt));
console.log(`cutting all ${proxy.connections} connections at once…`);
proxy.cutAll();
const deadline = performance.now() + 60_000;
while (performance.now() < deadline && bots.some((b) => b.backAtMs === null && b.lost === null)) await sleep(100);
const stormSec = (performance.now() - cutAt) / 1000;
const cpuStorm = cpuSeconds(s.server!.pid as number) - cpu0;
const clientCpu = process.cpuUsage(clientCpu0);
const clientCpuSec = (clientCpu.user + clientCpu.system) / 1e6;
const walStorm = walBytes(s.server!.databaseUrl) - wal0;
const commitsStorm = commits(s.server!.databaseUrl) - commits0;
// Play on a little, then let every pending action be acknowledged before reading the scores.
await sleep(AFTER_SEC * 1000);
playing = false;
await play;
await sleep(3000);
for (const b of bots) b.rc.resync();
await sleep(2000);

const back = bots.filter((b) => b.backAtMs !== null);
const times = summary(back.map((b) => b.backAtMs as number));
const wrong = bots.filter((b) => b.lost === null && b.score !== b.sent);
const result = {
  players: PLAYERS,
  seats: SEATS,
  matches: MATCHES,
  back: back.length,
  lost: bots.filter((b) => b.lost !== null).map((b) => b.lost),
  neverBack: bots.filter((b) => b.backAtMs === null && b.lost === null).length,
  msToSnapshot: times,
  attempts: summary(bots.map((b) => b.attempts)),
  scoresWrong: wrong.length,
  scoresWrongExamples: wrong.slice(0, 5).map((b) => ({ sent: b.sent, score: b.score })),
  storm: { seconds: stormSec, serverCpuSec: cpuStorm, serverCpuCores: cpuStorm / stormSec, clientCpuCores: clientCpuSec / stormSec, walBytes: walStorm, commits: commitsStorm },
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
for (const b of bots) b.rc.close();
await proxy.close();
await s.stop();
await writeResults(
  'storm',
  { machine: machine(s.bin), ...result },
  {
    title: `Reconnect storm: ${PLAYERS} players cut at once`,
    data: { values: back.map((b) => ({ ms: b.backAtMs })) },
    mark: 'bar',
    encoding: { x: { field: 'ms', type: 'quantitative', bin: { maxbins: 40 }, title: 'ms from the cut to the SNAPSHOT' }, y: { aggregate: 'count', title: 'players' } },
    width: 480,
    height: 240,
  },
);
process.exit(0);
