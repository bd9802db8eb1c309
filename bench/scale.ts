// Benchmark (not a test): how many arena matches one Nakama node holds, and what each costs.
//
// Part 1, capacity: matches at 10 ticks a second with 4 seats each, two connected and two
// reserved (dropped, inside a long grace window). Matches are added in steps; at each step the
// Nakama process's CPU and memory are read from /proc and the tick rate the matches really run
// at is measured (RESYNC twice, ticks between the SNAPSHOTs over the time between them). The
// budget is missed once a match runs below 95% of its tick rate.
// Part 2, per-tick cost: a fixed number of matches with 2, 4, 8 and 16 seats (half reserved),
// without periodic checkpoints, idle and with every connected player acting once a second, and
// 4 seats with a checkpoint every 5 s, idle and acting: CPU per match per tick, and the database
// writes per match per second (bytes of PostgreSQL's write-ahead log, rows upserted in storage).
//
//   npm run bench:scale                 # starts its own nakama (NAKAMA_BIN or PATH)
//   STEPS=0,100,200,400,800,1600,2400,3200 SWEEP_MATCHES=200 WINDOW_SEC=10 ACTIONS_PER_SEC=1 npm run bench:scale
//   CAPACITY_ACTIONS_PER_SEC=10 SWEEP_MATCHES=0 npm run bench:scale   # capacity with every connected player acting every tick, no part 2
//   PROFILE_DIR=bench/results npm run bench:scale   # also a Go CPU profile of the server over each capacity window
//
// Each capacity step also reports how busy the whole machine was (from /proc/stat) and the CPU of
// this process, which holds every player's socket: on a machine shared with the benchmark, a
// tick rate missed with the machine full is the machine's limit, not the server's.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type Session } from '@heroiclabs/nakama-js';
import { benchServer, cpuSeconds, goProfile, machine, storageUpserts, table, walBytes, writeResults } from './lib/report.mjs';
import { Line, OP } from './nakama/line';

const STEPS = (process.env.STEPS ?? '0,100,200,400,800,1600,2400,3200').split(',').map(Number);
const SWEEP_MATCHES = Number(process.env.SWEEP_MATCHES ?? 200);
const SWEEP_SEATS = (process.env.SWEEP_SEATS ?? '2,4,8,16').split(',').map(Number);
const WINDOW_SEC = Number(process.env.WINDOW_SEC ?? 10);
const ACTIONS_PER_SEC = Number(process.env.ACTIONS_PER_SEC ?? 1);
/** Part 1: actions a second each connected player sends (0: idle; 10: one every tick). */
const CAPACITY_ACTIONS_PER_SEC = Number(process.env.CAPACITY_ACTIONS_PER_SEC ?? 0);
const MAX_RSS_MIB = Number(process.env.MAX_RSS_MIB ?? 12_000);
const TICK_RATE = 10;

function mode(seats: number, checkpointSec: number) {
  return { seats, tickRate: TICK_RATE, graceSec: 3600, roundSec: 86_400, emptySec: 86_400, checkpointSec };
}
// Capacity runs with the default periodic checkpoint (5 s), as a production mode would.
const MODES: Record<string, ReturnType<typeof mode>> = { scale_capacity: mode(4, 5), scale_cp: mode(4, 5) };
for (const s of SWEEP_SEATS) MODES[`scale_s${s}`] = mode(s, 0);


/** Jiffies the machine's CPUs have spent, in all and idle (idle + iowait), from /proc/stat. */
function machineJiffies(): { total: number; idle: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: f.reduce((a, b) => a + b, 0), idle: f[3] + f[4] };
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}


const kib = (bytes: number) => (Number.isNaN(bytes) ? 'n/a' : (bytes / 1024).toFixed(1));

async function inBatches<T>(items: T[], size: number, f: (x: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(f));
}

/**
 * Matches of `seats` players each, every player its own user and socket as in production: the
 * first half stay connected, the others join and drop (their sockets close), so their seats
 * are reserved for the rest of the run.
 */
class Fleet {
  readonly matches: string[] = [];
  /** A connected player's line in each match, to ask for a SNAPSHOT. */
  private readonly probes = new Map<string, Line>();
  private readonly lines: { line: Line; matchId: string; seq: number }[] = [];
  private traffic: NodeJS.Timeout | null = null;
  constructor(
    private readonly client: Client,
    private readonly mode: string,
    private readonly seats: number,
  ) {}

  /** One more match, full; a player whose socket failed under load is tried again. */
  private async fill(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.fillOnce();
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  private async fillOnce(): Promise<void> {
    const creator = await this.client.authenticateCustom(`scale-c-${randomUUID()}`, true);
    const matchId = ((await this.client.rpc(creator, 'match_create', { mode: this.mode })).payload as { matchId: string }).matchId;
    for (let i = 0; i < this.seats; i++) {
      const session: Session = await this.client.authenticateCustom(`scale-${randomUUID()}`, true);
      const line = await Line.open(this.client, session);
      await line.socket.joinMatch(matchId);
      await line.next(OP.SNAPSHOT);
      if (i < this.seats / 2) {
        this.lines.push({ line, matchId, seq: 0 });
        if (i === 0) this.probes.set(matchId, line);
      } else {
        line.socket.disconnect(false);
      }
    }
    this.matches.push(matchId);
  }

  async grow(to: number): Promise<void> {
    await inBatches(Array.from({ length: Math.max(0, to - this.matches.length) }, (_, i) => i), 16, () => this.fill());
    for (const l of this.lines) l.line.clear();
  }

  /** Every connected player sends `perSec` actions a second, spread over the second. */
  startTraffic(perSec: number): void {
    if (this.traffic !== null) clearInterval(this.traffic);
    let next = 0;
    const everyMs = 20;
    const perTick = Math.max(1, Math.round((this.lines.length * perSec * everyMs) / 1000));
    this.traffic = setInterval(() => {
      for (let i = 0; i < perTick && this.lines.length > 0; i++) {
        const p = this.lines[next++ % this.lines.length];
        void p.line.send(p.matchId, OP.ACTION, { actionSeq: ++p.seq, type: 'add', amount: 1 }).catch(() => undefined);
        if (p.seq % 50 === 0) p.line.clear();
      }
    }, everyMs);
  }

  /** Ticks a second that sampled matches really run at, over about `seconds`. */
  async tickRate(seconds: number, sample = 5): Promise<{ min: number; mean: number }> {
    const ids = Array.from({ length: Math.min(sample, this.matches.length) }, (_, i) => this.matches[Math.floor((i * this.matches.length) / sample)]);
    const read = async (id: string) => {
      const probe = this.probes.get(id) as Line;
      probe.clear();
      await probe.send(id, OP.RESYNC, {});
      const snap = await probe.next(OP.SNAPSHOT, () => true, 30_000);
      return { tick: snap.tick as number, at: performance.now() };
    };
    const first = [];
    for (const id of ids) first.push(await read(id));
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const rates = [];
    for (const [i, id] of ids.entries()) {
      const second = await read(id);
      rates.push((second.tick - first[i].tick) / ((second.at - first[i].at) / 1000));
    }
    return { min: Math.min(...rates), mean: rates.reduce((a, b) => a + b, 0) / rates.length };
  }

  async stop(): Promise<void> {
    if (this.traffic !== null) clearInterval(this.traffic);
    for (const l of this.lines) l.line.socket.disconnect(false);
  }
}

interface Sample {
  matches: number;
  cpuPercent: number;
  rssMiB: number;
  tickRateMin: number;
  tickRateMean: number;
  walBytesPerSec: number;
  /** Rows inserted or updated in the storage table per second (checkpoints, seat indexes). */
  upsertsPerSec: number;
  /** Share of the whole machine's CPU time that was busy (100 = every core), any process. */
  machineBusyPercent: number;
  /** This process's CPU (every player's socket), % of one core. */
  clientCpuPercent: number;
}

/** CPU, memory, achieved tick rate and storage writes over one window. */
async function measure(pid: number, databaseUrl: string, fleet: Fleet): Promise<Sample> {
  const cpu0 = cpuSeconds(pid);
  const mach0 = machineJiffies();
  const client0 = process.cpuUsage();
  const wal0 = walBytes(databaseUrl);
  const up0 = storageUpserts(databaseUrl);
  const t0 = performance.now();
  const rate = fleet.matches.length > 0 ? await fleet.tickRate(WINDOW_SEC) : await new Promise<{ min: number; mean: number }>((r) => setTimeout(() => r({ min: TICK_RATE, mean: TICK_RATE }), WINDOW_SEC * 1000));
  const secs = (performance.now() - t0) / 1000;
  const mach1 = machineJiffies();
  const client = process.cpuUsage(client0);
  return {
    machineBusyPercent: (1 - (mach1.idle - mach0.idle) / Math.max(1, mach1.total - mach0.total)) * 100,
    clientCpuPercent: ((client.user + client.system) / 1e6 / secs) * 100,
    matches: fleet.matches.length,
    cpuPercent: ((cpuSeconds(pid) - cpu0) / secs) * 100,
    rssMiB: rssMiB(pid),
    tickRateMin: rate.min,
    tickRateMean: rate.mean,
    walBytesPerSec: (walBytes(databaseUrl) - wal0) / secs,
    upsertsPerSec: (storageUpserts(databaseUrl) - up0) / secs,
  };
}

async function withServer<T>(f: (pid: number, databaseUrl: string, client: Client, logFile: string) => Promise<T>): Promise<{ result: T; bin: string | null }> {
  // Nakama's own ping timing, not the integration suite's short one: under full load a client
  // that answers a ping a second late must not be taken for dead.
  const args = ['--socket.ping_period_ms', '15000', '--socket.pong_wait_ms', '25000'];
  const s = await benchServer({ env: { REJOIN_MODES: JSON.stringify(MODES) }, args, external: false, logPrefix: 'bench-scale' });
  try {
    const u = new URL(s.url);
    const client = new Client('defaultkey', u.hostname, u.port, false, 60_000);
    return { result: await f(s.server!.pid as number, s.server!.databaseUrl, client, s.server!.logFile), bin: s.bin };
  } finally {
    await s.stop();
  }
}

// Part 1: capacity at 4 seats, two reserved.
console.log(`capacity: 4 seats per match (2 connected, 2 reserved), ${TICK_RATE} ticks/s, ${WINDOW_SEC} s windows, ${CAPACITY_ACTIONS_PER_SEC} actions/s per connected player`);
const { result: capacity, bin } = await withServer(async (pid, db, client, logFile) => {
  const fleet = new Fleet(client, 'scale_capacity', 4);
  const out: Sample[] = [];
  for (const m of STEPS) {
    await fleet.grow(m);
    if (CAPACITY_ACTIONS_PER_SEC > 0 && m > 0) fleet.startTraffic(CAPACITY_ACTIONS_PER_SEC);
    await new Promise((r) => setTimeout(r, 2000));
    const profiled = process.env.PROFILE_DIR && m > 0 ? goProfile(logFile, WINDOW_SEC, `${process.env.PROFILE_DIR}/scale-${m}-${CAPACITY_ACTIONS_PER_SEC}aps-${new Date().toISOString().replace(/[:.]/g, '-')}.pprof`) : Promise.resolve();
    const s = await measure(pid, db, fleet);
    await profiled;
    out.push(s);
    console.log(`  ${m} matches: cpu ${s.cpuPercent.toFixed(1)}%, rss ${s.rssMiB.toFixed(0)} MiB, ticks/s min ${s.tickRateMin.toFixed(2)} mean ${s.tickRateMean.toFixed(2)}, machine ${s.machineBusyPercent.toFixed(0)}% busy, client ${s.clientCpuPercent.toFixed(0)}%`);
    if (s.tickRateMin < 0.95 * TICK_RATE || s.rssMiB > MAX_RSS_MIB) break;
  }
  await fleet.stop();
  return out;
});

// Part 2: cost per match per tick by seats, and of periodic checkpoints.
// Idle: players connected but silent. Busy: every connected player acts once a second.
const sweep: (Sample & { seats: number; checkpointSec: number; actionsPerSec: number; baseCpuPercent: number; usPerMatchTick: number })[] = [];
const sweepModes = Object.entries(MODES).filter(([n]) => n !== 'scale_capacity').sort(([a], [b]) => (a === 'scale_cp' ? 1 : b === 'scale_cp' ? -1 : 0));
for (const actionsPerSec of SWEEP_MATCHES > 0 ? [0, ACTIONS_PER_SEC] : []) {
  for (const [name, m] of sweepModes) {
    console.log(`per-tick cost: ${SWEEP_MATCHES} matches of ${m.seats} seats, checkpoint ${m.checkpointSec ? `every ${m.checkpointSec} s` : 'off'}, ${actionsPerSec} actions/s per connected player`);
    const { result } = await withServer(async (pid, db, client) => {
      const fleet = new Fleet(client, name, m.seats);
      const base = await measure(pid, db, fleet);
      await fleet.grow(SWEEP_MATCHES);
      if (actionsPerSec > 0) fleet.startTraffic(actionsPerSec);
      await new Promise((r) => setTimeout(r, 3000));
      const s = await measure(pid, db, fleet);
      await fleet.stop();
      return { ...s, seats: m.seats, checkpointSec: m.checkpointSec, actionsPerSec, baseCpuPercent: base.cpuPercent, usPerMatchTick: (((s.cpuPercent - base.cpuPercent) / 100) * 1e6) / (SWEEP_MATCHES * s.tickRateMean) };
    });
    sweep.push(result);
  }
}

const base = capacity[0];
const perMatch = capacity.slice(1).map((s) => ({ ...s, cpuPerMatch: (s.cpuPercent - base.cpuPercent) / s.matches, rssPerMatch: (s.rssMiB - base.rssMiB) / s.matches }));
console.log(`\ncapacity (4 seats, 2 reserved, 10 ticks/s, ${CAPACITY_ACTIONS_PER_SEC} actions/s per connected player)\n`);
console.log(
  table(perMatch, [
    ['matches', (r) => r.matches],
    ['cpu %', (r) => r.cpuPercent.toFixed(1)],
    ['cpu % per match', (r) => r.cpuPerMatch.toFixed(3)],
    ['rss MiB', (r) => r.rssMiB.toFixed(0)],
    ['MiB per match', (r) => r.rssPerMatch.toFixed(2)],
    ['ticks/s min', (r) => r.tickRateMin.toFixed(2)],
    ['WAL KiB/s', (r) => kib(r.walBytesPerSec)],
    ['machine busy %', (r) => r.machineBusyPercent.toFixed(0)],
    ['client cpu %', (r) => r.clientCpuPercent.toFixed(0)],
  ]),
);
const missed = perMatch.find((r) => r.tickRateMin < 0.95 * TICK_RATE);
console.log(missed ? `tick budget first missed at ${missed.matches} matches` : `tick budget held up to ${perMatch.at(-1)?.matches ?? 0} matches (the largest step run)`);
console.log(`\nper-tick cost, ${SWEEP_MATCHES} matches\n`);
console.log(
  table(sweep, [
    ['seats', (r) => r.seats],
    ['checkpoint', (r) => (r.checkpointSec ? `${r.checkpointSec} s` : 'off')],
    ['actions/s/player', (r) => r.actionsPerSec],
    ['cpu %', (r) => r.cpuPercent.toFixed(1)],
    ['µs per match-tick', (r) => r.usPerMatchTick.toFixed(1)],
    ['WAL bytes/s per match', (r) => (Number.isNaN(r.walBytesPerSec) ? 'n/a' : (r.walBytesPerSec / SWEEP_MATCHES).toFixed(0))],
    ['upserts/s per match', (r) => (Number.isNaN(r.upsertsPerSec) ? 'n/a' : (r.upsertsPerSec / SWEEP_MATCHES).toFixed(3))],
  ]),
);
const m = machine(bin);
console.log(`\nmachine: ${m.cpu}, ${m.memGiB} GiB, node ${m.node}; nakama ${m.nakama}; ${m.postgres}`);
/** One line chart of the PNG. */
function panel(title: string, values: object[], x: string, y: string, yTitle: string, more: object = {}) {
  return { title, data: { values }, width: 260, height: 200, mark: { type: 'line', point: true }, encoding: { x: { field: x, type: 'quantitative' }, y: { field: y, type: 'quantitative', title: yTitle }, ...more } };
}
const busy = sweep.filter((r) => r.checkpointSec === 0).map((r) => ({ ...r, load: r.actionsPerSec > 0 ? `${r.actionsPerSec} action/s per player` : 'idle' }));
await writeResults(
  'scale',
  { machine: m, tickRate: TICK_RATE, windowSec: WINDOW_SEC, capacityActionsPerSec: CAPACITY_ACTIONS_PER_SEC, capacity: perMatch, baseline: base, sweepMatches: SWEEP_MATCHES, sweep },
  {
    hconcat: [
      panel('Nakama CPU % by live matches (4 seats, 2 reserved)', capacity, 'matches', 'cpuPercent', 'CPU % (200 = both cores)'),
      panel('Ticks a second the slowest sampled match ran at', capacity, 'matches', 'tickRateMin', 'ticks/s'),
      panel('Resident memory (MiB) by live matches', capacity, 'matches', 'rssMiB', 'MiB'),
      panel(`CPU µs per match-tick by seats (${SWEEP_MATCHES} matches)`, busy, 'seats', 'usPerMatchTick', 'µs', { color: { field: 'load', type: 'nominal' } }),
    ],
  },
);
