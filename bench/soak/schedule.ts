// The soak's fault schedule: pure and seeded. The same options give the same faults at the same
// offsets, so a failing run is replayed with its SOAK_SEED. The runner only carries it out.
import { fork, int, mulberry32, pick, type Random } from './prng';

/** Faults to one player's network link or app. */
export const BOT_FAULTS = ['cut', 'blackhole', 'long_blackhole', 'latency', 'jitter', 'half_open', 'app_restart', 'expired_login', 'resume_burst', 'duplicate_action', 'replay_action', 'leave', 'quit'] as const;
/** Faults to a whole server node. */
export const NODE_FAULTS = ['graceful_restart', 'node_kill', 'db_partition'] as const;
export type BotFaultKind = (typeof BOT_FAULTS)[number];
export type NodeFaultKind = (typeof NODE_FAULTS)[number];
export type FaultKind = BotFaultKind | NodeFaultKind;

export interface Fault {
  /** ms from the start of the run. */
  at: number;
  kind: FaultKind;
  /** The player (bot faults) or the node (node faults) it hits. */
  target: number;
  /** How long it lasts, ms (0: an instant). For node_kill: how long the node stays down. */
  ms: number;
  /** Kind-specific: latency/jitter ms, half_open direction (0 up, 1 down), burst or copy count. */
  value: number;
}

export interface ScheduleOptions {
  seed: number;
  durationMs: number;
  bots: number;
  nodes: number;
  graceMs: number;
  leaseMs: number;
  /** No fault starts before this (players sit down first). */
  warmupMs?: number;
  /** Every fault is over this long before the end (players settle before the final checks). */
  quietMs?: number;
  /** Each player meets a fault every this many seconds on average. */
  botEverySec?: number;
  /** A node fault every this many seconds on average (one at a time). */
  nodeEverySec?: number;
}

const BOT_WEIGHTS: readonly (readonly [BotFaultKind, number])[] = [
  ['cut', 14],
  ['blackhole', 10],
  ['long_blackhole', 2],
  ['latency', 8],
  ['jitter', 8],
  ['half_open', 6],
  ['app_restart', 8],
  ['expired_login', 4],
  ['resume_burst', 6],
  ['duplicate_action', 8],
  ['replay_action', 8],
  ['leave', 3],
  ['quit', 3],
];
const NODE_WEIGHTS: readonly (readonly [NodeFaultKind, number])[] = [
  ['graceful_restart', 1],
  ['node_kill', 1],
  ['db_partition', 1],
];

/** Exponentially distributed gap with the given mean: a Poisson process of faults. */
function gap(random: Random, meanMs: number): number {
  return -Math.log(1 - random()) * meanMs;
}

function botFault(random: Random, kind: BotFaultKind, o: Required<ScheduleOptions>): Pick<Fault, 'ms' | 'value'> {
  switch (kind) {
    case 'blackhole':
      // Inside the grace window, with room for the client to notice and come back.
      return { ms: int(random, 500, Math.max(600, Math.floor(o.graceMs / 2))), value: 0 };
    case 'long_blackhole':
      return { ms: o.graceMs + int(random, 2000, 5000), value: 0 };
    case 'latency':
      return { ms: int(random, 2000, 8000), value: int(random, 100, 1000) };
    case 'jitter':
      return { ms: int(random, 2000, 8000), value: int(random, 50, 600) };
    case 'half_open':
      return { ms: int(random, 500, Math.max(600, Math.floor(o.graceMs / 2))), value: int(random, 0, 1) };
    case 'app_restart':
    case 'expired_login':
      return { ms: int(random, 100, 3000), value: 0 };
    case 'resume_burst':
      return { ms: 0, value: int(random, 3, 12) };
    case 'duplicate_action':
    case 'replay_action':
      return { ms: 0, value: int(random, 1, 3) };
    case 'leave':
    case 'quit':
      return { ms: int(random, 500, 3000), value: 0 };
    default:
      return { ms: 0, value: 0 };
  }
}

function nodeFault(random: Random, kind: NodeFaultKind, o: Required<ScheduleOptions>): Pick<Fault, 'ms' | 'value'> {
  if (kind === 'node_kill') return { ms: int(random, 1000, 6000), value: 0 };
  // Past the lease, so that the owner fences itself and another copy may take over.
  if (kind === 'db_partition') return { ms: Math.round(o.leaseMs * (1.5 + random())), value: 0 };
  return { ms: 0, value: 0 };
}

/** How long a node fault keeps its node unusable at most (a restart takes a while), for spacing. */
export function nodeFaultSpan(f: Fault, leaseMs: number): number {
  return f.ms + leaseMs + 15_000;
}

/** The whole schedule, sorted by time. Player faults never overlap on one player. */
export function faultSchedule(opts: ScheduleOptions): Fault[] {
  const o: Required<ScheduleOptions> = { warmupMs: 5000, quietMs: 10_000, botEverySec: 30, nodeEverySec: 25, ...opts };
  const root = mulberry32(o.seed);
  const botRandom = fork(root);
  const nodeRandom = fork(root);
  const end = o.durationMs - o.quietMs;
  const faults: Fault[] = [];

  if (o.bots > 0) {
    const busyUntil = new Array<number>(o.bots).fill(0);
    const meanGap = (o.botEverySec * 1000) / o.bots;
    for (let t = o.warmupMs + gap(botRandom, meanGap); t < end; t += gap(botRandom, meanGap)) {
      const kind = pick(botRandom, BOT_WEIGHTS);
      const target = int(botRandom, 0, o.bots - 1);
      const shape = botFault(botRandom, kind, o);
      const at = Math.round(t);
      if (busyUntil[target] > at || at + shape.ms > end) continue;
      // A player that leaves sits out a while before it plays again: keep it free of faults.
      busyUntil[target] = at + shape.ms + (kind === 'leave' || kind === 'quit' ? 10_000 : 1000);
      faults.push({ at, kind, target, ...shape });
    }
  }

  if (o.nodes > 0) {
    let t = o.warmupMs + gap(nodeRandom, o.nodeEverySec * 1000);
    while (t < end) {
      const kind = pick(nodeRandom, NODE_WEIGHTS);
      const shape = nodeFault(nodeRandom, kind, o);
      const f: Fault = { at: Math.round(t), kind, target: int(nodeRandom, 0, o.nodes - 1), ...shape };
      if (f.at + nodeFaultSpan(f, o.leaseMs) > end) break;
      faults.push(f);
      // One node fault at a time, and the cluster settles before the next: another node is always up.
      t = f.at + nodeFaultSpan(f, o.leaseMs) + gap(nodeRandom, o.nodeEverySec * 1000);
    }
  }
  return faults.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind) || a.target - b.target);
}

/** How many faults of each kind. */
export function countByKind(faults: readonly Fault[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of faults) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}
