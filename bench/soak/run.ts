// npm run soak: hours of random faults, nothing lost.
//
// SOAK_BOTS players (default 200), each through the project's client library and fault proxies of
// its own, play the demo game in matches of 2 and 4 seats on SOAK_NODES Nakama nodes (default 2)
// sharing one PostgreSQL database, for SOAK_SEC seconds, while a seeded schedule (SOAK_SEED,
// printed; schedule.ts) injects faults into their links, apps and the nodes. Checked throughout and
// at the end (checker.ts, ledger.ts): every action seen applied is in the match's state exactly
// once, never two live copies of a match, no player stranded, storage bounded after a sweep,
// memory bounded, and no panic, uncaught error or token in any server log.
//
//   npm run soak
//   SOAK_SEC=1800 SOAK_SEED=12345 npm run soak
//   SOAK_GRACE_SEC=20 ...               (the modes' grace window, default 10 s)
//
// Prints one `soak:` line, writes bench/results/soak-<time>.json and .png, exits 1 on any violation.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { machine, writeResults } from '../lib/report.mjs';
import { discover } from '../../tools/nakama-server.mjs';
import { Bot, CLIENT } from './bot';
import { checkEnd, checkLogs, checkMemory, checkOneCopy, checkStorage, clusterOutageWithin, scanLog, stranded } from './checker';
import { unseenLosses } from './ledger';
import { adminRpc, directDatabaseUrl, moduleStorage, nodeOf, rssMiB, startCluster, stopCluster, sweep, type SoakNode } from './cluster';
import { fork, int, mulberry32 } from './prng';
import type { ActionRecord, CopyEvent, Stint, Violation } from './records';
import { countByKind, faultSchedule, NODE_FAULTS, type Fault } from './schedule';
import { perSecond, timelineChart } from './timeline';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
(globalThis as { window?: unknown }).window ??= globalThis;

const SEC = Number(process.env.SOAK_SEC ?? 120);
const BOTS = Number(process.env.SOAK_BOTS ?? 200);
const NODES = Number(process.env.SOAK_NODES ?? 2);
const SEED = Number(process.env.SOAK_SEED ?? randomInt(1, 2 ** 31));
/** The modes' grace window (SOAK_GRACE_SEC): longer than the slowest reconnect the machine allows. */
const GRACE_SEC = Number(process.env.SOAK_GRACE_SEC ?? 10);
const CHECKPOINT_SEC = 1;
const LEASE_MS = 3 * CHECKPOINT_SEC * 1000;
const MODES = {
  soak2: { seats: 2, tickRate: 10, graceSec: GRACE_SEC, roundSec: 90, emptySec: 10, checkpointSec: CHECKPOINT_SEC },
  soak4: { seats: 4, tickRate: 10, graceSec: GRACE_SEC, roundSec: 120, emptySec: 10, checkpointSec: CHECKPOINT_SEC },
} as const;
type Mode = keyof typeof MODES;
/** Long enough that a player whose app restarted as its match ended still hears the result. */
const RESULT_RETENTION_SEC = 30;
/** As short as the server allows (a mode's lease and grace), plus the slowest reconnect: the sweep at the end waits it out. */
const CHECKPOINT_MAX_AGE_SEC = GRACE_SEC + LEASE_MS / 1000 + 10;
/**
 * How long after the last fault that could explain it a player may still be without its seat: the
 * lease (a crashed owner's match moves after it), a full backoff delay, an RPC that times out, a
 * socket connect and a join, and 3 s for a machine busy with a reconnect storm.
 */
const BOUND_MS = LEASE_MS + CLIENT.backoff.maxMs + CLIENT.rpcTimeoutMs + CLIENT.connectTimeoutMs + CLIENT.joinTimeoutMs + 3000;
/** Messages already on their way through a slowed link may arrive this late (max latency + jitter + 1 s). */
const ONE_COPY_SLACK_MS = 1000 + 600 + 1000;
const MEMORY = { factor: 1.5, slackMiB: 150 };
/** Clock slack for placing a lost action against its crash: an ACK's way back, a busy event loop. */
const LOST_SLACK_MS = 500;
/** No fault before this: players sit down first. */
const WARMUP_MS = Math.min(20_000, SEC * 100);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const violations: Violation[] = [];
const copyEvents: CopyEvent[] = [];
const stints: Stint[] = [];
const notes: Record<string, number> = {};
const reconnectTimes: number[] = [];
const backTimes: number[] = [];
const lostToCrash: { bot: number; lineage: string; seq: number; amount: number; copy: string }[] = [];
/** Actions of players who never saw whether a crash took them (unseenLosses): the result may hold them or not. */
const inDoubtAfterCrash: { bot: number; lineage: string; seq: number; amount: number; copy: string }[] = [];
const nodeEvents: { node: string; kind: string; from: number; to: number }[] = [];
/** Matches whose copy crashed before its first checkpoint (session_resume answers match_lost). */
const matchesLostToCrash = new Set<string>();
/** Node faults under way (a restart not finished yet). */
const runningNodeFaults: { node: string; kind: string; from: number }[] = [];
const applied: Fault[] = [];
let stintId = 0;

function violation(v: Violation): void {
  violations.push(v);
  if (violations.length <= 30) console.log(`VIOLATION ${v.kind}: ${v.detail}${v.bot !== undefined ? ` (bot ${v.bot})` : ''}`);
}

// The soak starts, kills and restarts nodes of its own: a running server (NAKAMA_URL) is no use to it.
delete process.env.NAKAMA_URL;
const found = discover();
if (found.kind !== 'binary') {
  console.log(`SOAK NOT RUN: ${found.kind === 'none' ? found.reason : 'no nakama binary'}.`);
  process.exit(0);
}

console.log(`soak: SOAK_SEED=${SEED} SOAK_SEC=${SEC} SOAK_BOTS=${BOTS} SOAK_NODES=${NODES} SOAK_GRACE_SEC=${GRACE_SEC} (replay with the same values)`);
const env = {
  REJOIN_MODES: JSON.stringify(MODES),
  REJOIN_CREATE_LIMIT: JSON.stringify({ perWindow: 1000, windowSec: 1, maxOpen: 1000 }),
  REJOIN_RESULT_RETENTION_SEC: String(RESULT_RETENTION_SEC),
  REJOIN_CHECKPOINT_MAX_AGE_SEC: String(CHECKPOINT_MAX_AGE_SEC),
};
// Logins expire every 2 minutes, so refreshing them is part of the run; shutdowns wait 5 s at most.
// Each node's database pool is bounded (SOAK_DB_CONNS), so that nodes, their restarts and the
// connections a killed node leaves behind stay within PostgreSQL's max_connections.
const DB_CONNS = String(Number(process.env.SOAK_DB_CONNS ?? 30));
const nodes = await startCluster(found.bin, NODES, env, ['--session.token_expiry_sec', '120', '--shutdown_grace_sec', '5', '--database.max_open_conns', DB_CONNS]);
const dbUrl = directDatabaseUrl(nodes);
// Whatever stops this process, its nodes and their database go with it.
let stopping: Promise<void> | null = null;
const bail = (why: string) => {
  console.error(`soak: stopped: ${why}`);
  stopping ??= stopCluster(nodes).finally(() => process.exit(2));
};
process.on('SIGINT', () => bail('SIGINT'));
process.on('SIGTERM', () => bail('SIGTERM'));
process.on('uncaughtException', (err) => bail(`uncaught ${err instanceof Error ? err.stack : String(err)}`));
console.log(`soak: ${NODES} nodes (${nodes.map((n) => n.name).join(', ')}) on database ${nodes[0].server.database}`);

const root = mulberry32(SEED);
const schedule = faultSchedule({ seed: SEED, durationMs: SEC * 1000, bots: BOTS, nodes: NODES, graceMs: GRACE_SEC * 1000, leaseMs: LEASE_MS, warmupMs: WARMUP_MS });
const lobbyRandom = fork(root);
const lobby: { bot: Bot; since: number }[] = [];
const lineageStints = new Map<string, Stint[]>();
const lineageEnded = new Set<string>();
let nodeAffectedUntil = 0;
let sending = true;
let forming = true;

/**
 * Whether a crash of `copy`'s node explains losing an action it processed at `doneAt`
 * (docs/deployment.md): a SIGKILL loses what was acknowledged since the last checkpoint, at most
 * checkpointSec before it; a node cut off from the database acknowledges nothing after leaseSec / 2.
 */
function crashExplains(copy: string, doneAt: number): boolean {
  const node = nodeOf(copy);
  return [...nodeEvents, ...runningNodeFaults].some((e) => e.node === node && (e.kind === 'node_kill' || e.kind === 'db_partition') && doneAt >= e.from - CHECKPOINT_SEC * 1000 - LOST_SLACK_MS && doneAt <= e.from + (e.kind === 'db_partition' ? LEASE_MS / 2 : 0) + LOST_SLACK_MS);
}

const bots: Bot[] = [];
const hooks = {
  violation,
  copyEvent: (e: CopyEvent) => copyEvents.push(e),
  lost(stint: Stint, actions: ActionRecord[], from: string) {
    // A copy that processed actions its successor lacks must have died: SIGKILLed, or cut off from
    // the database. A graceful shutdown checkpoints first and loses nothing.
    const node = nodeOf(from);
    const t = Date.now();
    for (const a of actions) {
      const done = a.ackAt ?? a.sentAt;
      if (crashExplains(from, done)) lostToCrash.push({ bot: stint.bot, lineage: stint.lineage, seq: a.seq, amount: a.amount, copy: from });
      else violation({ kind: 'acked_action_lost', at: t, bot: stint.bot, lineage: stint.lineage, detail: `actionSeq ${a.seq} (add ${a.amount}) processed on ${from} ${done - start} ms into the run is missing from its successor, and no crash of ${node} just after it explains it` });
    }
  },
  stintEnded(stint: Stint) {
    const end = stint.end!;
    if (end.kind === 'ended' && end.reason !== 'round_over' && end.reason !== 'operator') {
      // A copy that crashed before its first checkpoint leaves nothing to restore: documented, and
      // counted apart when its node crashed within checkpointSec of the copy's first SNAPSHOT.
      const last = stint.snapshots[stint.snapshots.length - 1];
      const born = stint.snapshots.find((x) => x.copy === last?.copy)?.at ?? stint.startedAt;
      const node = nodeOf(last?.copy);
      const crash = end.reason === 'match_lost' && [...nodeEvents, ...runningNodeFaults].some((e) => e.node === node && (e.kind === 'node_kill' || e.kind === 'db_partition') && e.from >= born - LOST_SLACK_MS && e.from <= born + CHECKPOINT_SEC * 1000 + LOST_SLACK_MS);
      if (crash) matchesLostToCrash.add(stint.lineage);
      else violation({ kind: 'match_ended_early', at: end.at, bot: stint.bot, lineage: stint.lineage, detail: `END ${end.reason}` });
      return;
    }
    if (end.kind === 'ended') {
      // END's result checks this stint, and once per match every stint of it that ended before.
      const others = lineageEnded.has(stint.lineage) ? [] : (lineageStints.get(stint.lineage) ?? []).filter((s) => s !== stint && s.end !== null && s.end.kind !== 'ended');
      lineageEnded.add(stint.lineage);
      // Whoever did not see the final copy's SNAPSHOT (told of the end by session_resume, or gone
      // before a crash) could not see whether actions went with a crashed copy: those a crash
      // explains may be in the result or not.
      const finalCopy = end.copy ?? stint.snapshots[stint.snapshots.length - 1]?.copy ?? stint.lineage;
      for (const s of [stint, ...others]) {
        for (const a of unseenLosses(s, finalCopy, end.at, crashExplains)) inDoubtAfterCrash.push({ bot: s.bot, lineage: s.lineage, seq: a.seq, amount: a.amount, copy: a.processedOn as string });
      }
      for (const v of checkEnd([stint, ...others], end.result, end.at)) violation(v);
    }
  },
  reconnecting: (_bot: number, at: number) => reconnectTimes.push(at),
  back: (_bot: number, at: number) => backTimes.push(at),
  toLobby: (bot: Bot) => lobby.push({ bot, since: Date.now() }),
  note: (kind: string) => (notes[kind] = (notes[kind] ?? 0) + 1),
  clusterDown: (from: number, to: number) =>
    clusterOutageWithin(
      [...nodeEvents, ...runningNodeFaults.map((r) => ({ ...r, to: Date.now() }))],
      nodes.map((n) => n.name),
      from,
      to,
    ),
};
const runTag = `${SEED}-${Date.now().toString(36)}`;
for (let i = 0; i < BOTS; i++) bots.push(new Bot(i, nodes, fork(root), hooks, runTag, () => ++stintId));
for (let i = 0; i < bots.length; i += 20) await Promise.all(bots.slice(i, i + 20).map((b) => b.start()));
// Stints are registered by lineage as they appear (a stint is born on its first SNAPSHOT).
const registered = new Set<Stint>();
function registerStints(): void {
  for (const b of bots) {
    const s = b.stint;
    if (s && !registered.has(s)) {
      registered.add(s);
      stints.push(s);
      const list = lineageStints.get(s.lineage) ?? [];
      list.push(s);
      lineageStints.set(s.lineage, list);
    }
  }
}

/** Seats waiting players in new matches of 2 or 4 on the nodes that are up, a few matches a second. */
let nextNode = 0;
async function formMatches(): Promise<void> {
  let made = 0;
  while (forming && lobby.length > 0 && made < 10) {
    const mode: Mode = lobbyRandom() < 0.5 ? 'soak2' : 'soak4';
    const seats = MODES[mode].seats;
    if (lobby.length < seats && Date.now() - lobby[0].since < 3000) return;
    const group = lobby.splice(0, seats).map((e) => e.bot);
    const up = nodes.filter((n) => n.up);
    if (!up.length) {
      lobby.unshift(...group.map((bot) => ({ bot, since: Date.now() })));
      return;
    }
    const node = up[nextNode++ % up.length];
    made++;
    void (async () => {
      let matchId: string;
      try {
        matchId = await group[0].createMatch(mode, node.name);
      } catch {
        for (const bot of group) lobby.push({ bot, since: Date.now() });
        return;
      }
      const joined = await Promise.all(group.map((b) => b.join(matchId, mode)));
      registerStints();
      group.forEach((b, i) => !joined[i] && lobby.push({ bot: b, since: Date.now() }));
    })();
  }
}
for (const b of bots) lobby.push({ bot: b, since: Date.now() });

// ---- node faults ------------------------------------------------------------------------------

async function nodeFault(f: Fault): Promise<void> {
  const node = nodes[f.target];
  const from = Date.now();
  const running = { node: node.name, kind: f.kind, from };
  runningNodeFaults.push(running);
  nodeAffectedUntil = Infinity;
  try {
    if (f.kind === 'node_kill') {
      node.up = false;
      await node.server.kill('SIGKILL');
      await sleep(f.ms);
      await node.server.restart();
      node.up = true;
    } else if (f.kind === 'graceful_restart') {
      node.up = false;
      await node.server.restart('SIGTERM');
      node.up = true;
    } else if (f.kind === 'db_partition') {
      node.db.partition();
      await sleep(f.ms);
      node.db.heal();
    }
  } catch (err) {
    violation({ kind: 'node_fault_failed', at: Date.now(), detail: `${f.kind} of ${node.name}: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}` });
    node.up = true;
  } finally {
    runningNodeFaults.splice(runningNodeFaults.indexOf(running), 1);
    nodeEvents.push({ node: node.name, kind: f.kind, from, to: Date.now() });
    nodeAffectedUntil = Date.now();
  }
}

// ---- the run ----------------------------------------------------------------------------------

const start = Date.now();
const startRss = new Map<string, number>();
const ticker = setInterval(() => {
  const now = Date.now();
  for (const b of bots) b.play(now, sending);
  registerStints();
}, 100);
const former = setInterval(() => void formMatches(), 500);
const watcher = setInterval(() => {
  const now = Date.now();
  const views = bots.filter((b) => b.phase === 'playing').map((b) => ({ bot: b.id, downSince: b.downSince, affectedUntil: Math.max(b.affectedUntil, nodeAffectedUntil) }));
  for (const v of stranded(views, now, BOUND_MS)) {
    const b = bots[v.bot];
    if (b.strandedReported) continue;
    b.strandedReported = true;
    violation({ kind: 'stranded', at: now, bot: v.bot, lineage: b.stint?.lineage, detail: `without its seat for ${now - (v.downSince as number)} ms, ${now - Math.max(v.downSince as number, v.affectedUntil)} ms after its last fault ended (bound ${BOUND_MS} ms); client state ${b.rc?.state}` });
  }
}, 1000);
// Memory at the start: once players sit, before the first fault.
setTimeout(() => nodes.forEach((n) => startRss.set(n.name, rssMiB(n))), Math.max(1000, WARMUP_MS - 1000));

const timers = schedule.map((f) =>
  setTimeout(() => {
    const run = NODE_FAULTS.includes(f.kind as (typeof NODE_FAULTS)[number]) ? nodeFault(f).then(() => true) : bots[f.target].apply(f);
    void run.then(
      (did) => did && applied.push(f),
      (err) => violation({ kind: 'fault_failed', at: Date.now(), bot: f.target, detail: `${f.kind}: ${String(err).slice(0, 200)}` }),
    );
  }, f.at),
);

const progress = setInterval(() => {
  const playing = bots.filter((b) => b.phase === 'playing').length;
  const live = bots.filter((b) => b.phase === 'playing' && b.rc?.state === 'live').length;
  console.log(`soak: ${((Date.now() - start) / 1000).toFixed(0)} s, ${playing} playing (${live} live), ${lobby.length} in the lobby, ${applied.length} faults, ${bots.reduce((s, b) => s + b.acked, 0)} acked, ${violations.length} violations`);
}, 15_000);

await sleep(SEC * 1000);
timers.forEach(clearTimeout);
console.log('soak: faults over; letting every player settle…');
forming = false;
sending = false;
// Wait for node faults still running (a restart), then every player back and acknowledged.
const settleUntil = Date.now() + 60_000;
while (Date.now() < settleUntil && (nodes.some((n) => !n.up) || bots.some((b) => b.phase === 'away' || b.phase === 'joining' || (b.phase === 'playing' && (b.rc?.state !== 'live' || (b.rc?.unacknowledged.length ?? 0) > 0))))) await sleep(250);
const settled = await Promise.all(bots.map((b) => (b.phase === 'playing' ? b.settle(10_000) : Promise.resolve(true))));
settled.forEach((ok, i) => !ok && bots[i].phase === 'playing' && violation({ kind: 'not_settled', at: Date.now(), bot: i, detail: `still ${bots[i].rc?.state} with ${bots[i].rc?.unacknowledged.length} unacknowledged actions at the end` }));
clearInterval(ticker);
clearInterval(former);
clearInterval(watcher);
clearInterval(progress);
registerStints();

// The operator ends every match still played: END with each seat's score, checked per stint.
const live = new Set(bots.map((b) => b.matchId).filter((m): m is string => m !== null));
for (const matchId of live) {
  const node = nodes.find((n) => n.name === nodeOf(matchId));
  const r = node ? await adminRpc(node, 'rejoin_admin_end', { matchId, reason: 'soak over' }).catch((e) => ({ status: 0, body: String(e) })) : { status: 0, body: 'no node' };
  if (r.status !== 200) violation({ kind: 'admin_end_failed', at: Date.now(), lineage: matchId, detail: `rejoin_admin_end answered ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}` });
}
const endUntil = Date.now() + 10_000;
while (Date.now() < endUntil && bots.some((b) => b.matchId !== null)) await sleep(200);
for (const b of bots) if (b.matchId !== null) violation({ kind: 'no_end', at: Date.now(), bot: b.id, detail: `no END for ${b.matchId} after the operator ended it` });
const actionsAcked = bots.reduce((s, b) => s + b.acked, 0);

// Storage: every match ended (those whose players all left end by themselves within their grace
// and emptySec); checkpoints a crash left behind age past REJOIN_CHECKPOINT_MAX_AGE_SEC; then one sweep.
await sleep(Math.max(GRACE_SEC, CHECKPOINT_MAX_AGE_SEC, RESULT_RETENTION_SEC) * 1000 + 3000);
let swept = null;
try {
  swept = await sweep(nodes.find((n) => n.up) ?? nodes[0]);
} catch (err) {
  violation({ kind: 'sweep_failed', at: Date.now(), detail: String(err).slice(0, 300) });
}
const rows = await moduleStorage(dbUrl);
for (const v of checkStorage(rows, Date.now())) violation(v);
const endRss = nodes.map((n) => ({ node: n.name, startMiB: startRss.get(n.name) ?? Number.NaN, endMiB: rssMiB(n) }));
for (const v of checkMemory(endRss.filter((n) => Number.isFinite(n.startMiB) && Number.isFinite(n.endMiB)), MEMORY.factor, MEMORY.slackMiB, Date.now())) violation(v);
for (const v of checkOneCopy(copyEvents, ONE_COPY_SLACK_MS)) violation(v);
const scans = nodes.map((n) => ({ node: n.name, scan: scanLog(readFileSync(n.server.logFile, 'utf8')) }));
for (const v of checkLogs(scans, Date.now())) violation(v);

await Promise.all(bots.map((b) => b.stop()));
await stopCluster(nodes);

// ---- report -----------------------------------------------------------------------------------

const byKind = countByKind(applied);
const kinds = Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
const violationKinds: Record<string, number> = {};
for (const v of violations) violationKinds[v.kind] = (violationKinds[v.kind] ?? 0) + 1;
const ackSamples = stints.flatMap((s) => [...s.actions.values()].filter((a) => a.ack === 'applied' && a.ackAt !== null).map((a) => ({ at: a.ackAt as number, ms: (a.ackAt as number) - a.sentAt })));
const seconds = perSecond((Date.now() - start) / 1000, reconnectTimes, backTimes, ackSamples, start);
const ends: Record<string, number> = {};
for (const s of stints) ends[s.end ? `${s.end.kind}:${s.end.reason}` : 'open'] = (ends[s.end ? `${s.end.kind}:${s.end.reason}` : 'open'] ?? 0) + 1;
const report = {
  command: `SOAK_SEC=${SEC} SOAK_BOTS=${BOTS} SOAK_NODES=${NODES} SOAK_SEED=${SEED} npm run soak`,
  seed: SEED,
  seconds: SEC,
  bots: BOTS,
  nodes: NODES,
  modes: MODES,
  machine: machine(found.bin),
  bounds: { reseatMs: BOUND_MS, oneCopySlackMs: ONE_COPY_SLACK_MS, memory: MEMORY, leaseMs: LEASE_MS, graceSec: GRACE_SEC },
  faultsScheduled: schedule.length,
  faultsApplied: applied.length,
  faultsByKind: byKind,
  nodeEvents: nodeEvents.map((e) => ({ ...e, from: e.from - start, to: e.to - start })),
  actionsAcknowledged: actionsAcked,
  stints: stints.length,
  matches: lineageStints.size,
  stintEnds: ends,
  abandonedByAppRestart: stints.reduce((s, x) => s + x.abandoned.length, 0),
  // Lost with a crashed copy (counted in lostToCrash too), then renumbered by an app restart.
  actionSeqsReusedAfterCrash: stints.reduce((s, x) => s + x.forgotten.length, 0),
  matchesLostBeforeFirstCheckpoint: matchesLostToCrash.size,
  lostToCrash: { count: lostToCrash.length, points: lostToCrash.reduce((s, a) => s + a.amount, 0), actions: lostToCrash.slice(0, 50) },
  inDoubtAfterCrash: { count: inDoubtAfterCrash.length, points: inDoubtAfterCrash.reduce((s, a) => s + a.amount, 0), actions: inDoubtAfterCrash.slice(0, 50) },
  reconnects: reconnectTimes.length,
  backInSeat: backTimes.length,
  notes,
  storageAfterSweep: { swept, rows: rows.length, byCollection: rows.reduce<Record<string, number>>((m, r) => ((m[r.collection] = (m[r.collection] ?? 0) + 1), m), {}) },
  memoryMiB: endRss,
  logs: scans.map(({ node, scan }) => ({ node, lines: scan.lines, panics: scan.panics, uncaught: scan.uncaught, tokenLines: scan.tokenLines, errors: scan.errors })),
  violations: { count: violations.length, byKind: violationKinds, list: violations.slice(0, 200) },
  schedule,
};
await writeResults('soak', report, timelineChart(`soak: ${SEC} s, ${BOTS} players, ${NODES} nodes, seed ${SEED}`, applied, seconds));
console.log(`soak: ${SEC} s, ${BOTS} bots, ${applied.length} faults (${kinds}), ${actionsAcked} actions acknowledged, violations ${violations.length}`);
if (violations.length) console.log(`soak: violations by kind ${JSON.stringify(violationKinds)}; replay with SOAK_SEED=${SEED} SOAK_SEC=${SEC} SOAK_BOTS=${BOTS} SOAK_NODES=${NODES}`);
process.exit(violations.length ? 1 : 0);
