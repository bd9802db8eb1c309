// Benchmark (not a test): server CPU per action, this module next to the floor.
//
// A real-time game sends an input every tick, so what an action costs decides how many matches a
// node holds. For each configuration (seats × tick rate) the same load runs against two servers
// started here: this module, and a minimal JavaScript match that applies the same message and
// ACKs it (bench/nakama/floor), once as it is and once also broadcasting the EVENT the demo game
// sends for every `add` ("floor+event": the same messages out as the module). Every player is its own user on its own socket and sends one
// ACTION per tick; the server process's CPU time over the window (utime + stime from /proc),
// divided by the actions the server acknowledged in it, is the cost per action. The match count
// is chosen so that every configuration offers about the same number of actions a second. Each
// measurement is repeated REPEATS times, the systems taking turns, and the median is reported:
// one run on a 2-core machine that also runs the clients varies by a quarter either way.
//
//   npm run bench:actions
//   ACTIONS_PER_SEC=1200 WINDOW_SEC=10 CONFIGS=2x10,8x10,2x30,8x30 npm run bench:actions
//   REPEATS=5 SYSTEMS=module,floor+event npm run bench:actions
//   CHECKPOINT_SEC=0 SYSTEMS=module npm run bench:actions   # the module without periodic checkpoints
//   PROFILE_DIR=bench/results npm run bench:actions   # also a Go CPU profile of each server over the window
import { randomUUID } from 'node:crypto';
import { Client, type Session, type Socket } from '@heroiclabs/nakama-js';
import { benchServer, cpuSeconds, goProfile, machine, summary, table, writeResults } from './lib/report.mjs';
import { enc, OP } from './nakama/line';

const ACTIONS_PER_SEC = Number(process.env.ACTIONS_PER_SEC ?? 1200);
const WINDOW_SEC = Number(process.env.WINDOW_SEC ?? 10);
const WARMUP_SEC = Number(process.env.WARMUP_SEC ?? 3);
const REPEATS = Number(process.env.REPEATS ?? 3);
const SYSTEMS = (process.env.SYSTEMS ?? 'module,floor,floor+event').split(',') as ('module' | 'floor' | 'floor+event')[];
const CONFIGS = (process.env.CONFIGS ?? '2x10,8x10,2x30,8x30').split(',').map((c) => {
  const [seats, tickRate] = c.split('x').map(Number);
  return { seats, tickRate };
});


const modeName = (seats: number, tickRate: number, events = false) => `act_s${seats}_t${tickRate}${events ? '_e' : ''}`;
const modes: Record<string, object> = {};
for (const c of CONFIGS) modes[modeName(c.seats, c.tickRate)] = { seats: c.seats, tickRate: c.tickRate, graceSec: 600, roundSec: 86_400, emptySec: 3600, checkpointSec: Number(process.env.CHECKPOINT_SEC ?? 5) };
const createLimit = { perWindow: 1000, windowSec: 1, maxOpen: 1000 };

interface Player {
  socket: Socket;
  matchId: string;
  seq: number;
}

/** Counts ACKs; keeps nothing else. */
let acks = 0;

async function seatPlayers(client: Client, mode: string, matches: number, seats: number): Promise<Player[]> {
  const players: Player[] = [];
  for (let m = 0; m < matches; m++) {
    const creator = await client.authenticateCustom(`act-c-${randomUUID()}`, true);
    const matchId = ((await client.rpc(creator, 'match_create', { mode })).payload as { matchId: string }).matchId;
    await Promise.all(
      Array.from({ length: seats }, async () => {
        const session: Session = await client.authenticateCustom(`act-${randomUUID()}`, true);
        const socket = client.createSocket(false, false);
        let snapshot: () => void = () => undefined;
        const got = new Promise<void>((r) => (snapshot = r));
        socket.onmatchdata = (msg) => {
          const op = Number(msg.op_code);
          if (op === OP.ACK) acks++;
          else if (op === OP.SNAPSHOT) snapshot();
        };
        socket.ondisconnect = () => undefined;
        await socket.connect(session, false);
        await socket.joinMatch(matchId);
        await got;
        players.push({ socket, matchId, seq: 0 });
      }),
    );
  }
  return players;
}

async function measure(url: string, pid: number, mode: string, seats: number, tickRate: number, profileTo: { logFile: string; file: string } | null): Promise<{ matches: number; players: number; actions: number; cpuSec: number; usPerAction: number; sentPerSec: number }> {
  const u = new URL(url);
  const client = new Client('defaultkey', u.hostname, u.port, false, 10_000);
  const matches = Math.max(1, Math.round(ACTIONS_PER_SEC / (seats * tickRate)));
  const players = await seatPlayers(client, mode, matches, seats);
  let sent = 0;
  const timer = setInterval(() => {
    for (const p of players) {
      p.seq++;
      sent++;
      void p.socket.sendMatchState(p.matchId, OP.ACTION, enc.encode(JSON.stringify({ actionSeq: p.seq, type: 'add', amount: 1 }))).catch(() => undefined);
    }
  }, 1000 / tickRate);
  await new Promise((r) => setTimeout(r, WARMUP_SEC * 1000));
  const cpu0 = cpuSeconds(pid);
  const acks0 = acks;
  const sent0 = sent;
  const t0 = performance.now();
  const profiled = profileTo ? goProfile(profileTo.logFile, WINDOW_SEC, profileTo.file) : Promise.resolve();
  await new Promise((r) => setTimeout(r, WINDOW_SEC * 1000));
  await profiled;
  const cpuSec = cpuSeconds(pid) - cpu0;
  const actions = acks - acks0;
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(timer);
  for (const p of players) p.socket.disconnect(false);
  await new Promise((r) => setTimeout(r, 1000));
  return { matches, players: players.length, actions, cpuSec, usPerAction: (cpuSec * 1e6) / Math.max(1, actions), sentPerSec: (sent - sent0) / elapsed };
}

let bin: string | null = null;
type Row = { system: string; seats: number; tickRate: number; run: number; matches: number; players: number; actions: number; actionsPerSec: number; cpuSec: number; usPerAction: number };
const runs: Row[] = [];
// Each run measures every system on every configuration in turn, so that a slow spell of the
// machine lands on all of them alike; the tables give the median over the runs.
for (let run = 1; run <= REPEATS; run++) {
  for (const c of CONFIGS) {
    for (const system of SYSTEMS) {
      // A fresh server per measurement: no matches of the last one left running.
      const s =
        system === 'module'
          ? await benchServer({ env: { REJOIN_MODES: JSON.stringify(modes), REJOIN_CREATE_LIMIT: JSON.stringify(createLimit) }, external: false, logPrefix: 'bench-actions' })
          : await benchServer({ external: false, logPrefix: 'bench-actions-floor', moduleFile: 'bench/nakama/floor/index.js' });
      bin = s.bin;
      try {
        console.log(`run ${run}/${REPEATS}, ${system}: ${c.seats} seats at ${c.tickRate} ticks/s…`);
        const profileTo = process.env.PROFILE_DIR ? { logFile: s.server!.logFile, file: `${process.env.PROFILE_DIR}/actions-${system.replace('+', '-')}-s${c.seats}-t${c.tickRate}-run${run}.pprof` } : null;
        const r = await measure(s.url, s.server!.pid as number, modeName(c.seats, c.tickRate, system === 'floor+event'), c.seats, c.tickRate, profileTo);
        runs.push({ system, seats: c.seats, tickRate: c.tickRate, run, matches: r.matches, players: r.players, actions: r.actions, actionsPerSec: r.actions / WINDOW_SEC, cpuSec: r.cpuSec, usPerAction: r.usPerAction });
      } finally {
        await s.stop();
      }
    }
  }
}

/** One row per system and configuration: the median run (nearest rank), with the spread of all runs. */
const rows = SYSTEMS.flatMap((system) =>
  CONFIGS.map((c) => {
    const mine = runs.filter((r) => r.system === system && r.seats === c.seats && r.tickRate === c.tickRate);
    const us = summary(mine.map((r) => r.usPerAction));
    return { system, seats: c.seats, tickRate: c.tickRate, matches: mine[0].matches, actionsPerSec: summary(mine.map((r) => r.actionsPerSec)).p50, cpuSec: summary(mine.map((r) => r.cpuSec)).p50, usPerAction: us.p50, usMin: us.min, usMax: us.max };
  }),
);

const us = (v: number) => v.toFixed(0);
console.log(`\nServer CPU per action (median of ${REPEATS} runs; ${WINDOW_SEC} s window after ${WARMUP_SEC} s warm-up, about ${ACTIONS_PER_SEC} actions/s offered):\n`);
console.log(
  table(rows, [
    ['system', (r) => r.system],
    ['seats', (r) => r.seats],
    ['ticks/s', (r) => r.tickRate],
    ['matches', (r) => r.matches],
    ['actions/s', (r) => r.actionsPerSec.toFixed(0)],
    ['server CPU s', (r) => r.cpuSec.toFixed(2)],
    ['µs/action', (r) => us(r.usPerAction)],
    ['runs min–max', (r) => `${us(r.usMin)}–${us(r.usMax)}`],
  ]),
);
const ratios = CONFIGS.map((c) => {
  const of = (system: string) => rows.find((r) => r.system === system && r.seats === c.seats && r.tickRate === c.tickRate)?.usPerAction ?? Number.NaN;
  return { seats: c.seats, tickRate: c.tickRate, module: of('module'), floor: of('floor'), floorEvent: of('floor+event'), ratio: of('module') / of('floor'), ratioEvent: of('module') / of('floor+event') };
});
console.log('\nModule over the floors (target: at most 1.3 × floor+event, the floor that sends the same messages):\n');
console.log(
  table(ratios, [
    ['seats', (r) => r.seats],
    ['ticks/s', (r) => r.tickRate],
    ['module µs', (r) => us(r.module)],
    ['floor µs', (r) => us(r.floor)],
    ['floor+event µs', (r) => us(r.floorEvent)],
    ['module/floor', (r) => r.ratio.toFixed(2)],
    ['module/floor+event', (r) => r.ratioEvent.toFixed(2)],
  ]),
);
await writeResults(
  'actions',
  { machine: machine(bin), windowSec: WINDOW_SEC, warmupSec: WARMUP_SEC, actionsPerSecOffered: ACTIONS_PER_SEC, repeats: REPEATS, rows, ratios, runs },
  {
    title: 'Server CPU per action',
    data: { values: rows.map((r) => ({ ...r, config: `${r.seats} seats, ${r.tickRate} t/s` })) },
    mark: 'bar',
    encoding: {
      x: { field: 'config', type: 'nominal', title: null },
      xOffset: { field: 'system' },
      y: { field: 'usPerAction', type: 'quantitative', title: 'µs of server CPU per action' },
      color: { field: 'system', type: 'nominal' },
    },
    width: 480,
    height: 280,
  },
);
process.exit(0);
