// The parent's side of the storm's load generators: each a child process of its own (a separate
// event loop, and CPU the kernel counts per process), running bench/storm/worker.ts.
import { fork, type ChildProcess } from 'node:child_process';
import { bundleTs } from '../../scripts/bundle-ts.mjs';
import type { FromWorker, ToWorker } from './messages';

export type Worker = ChildProcess;

/** Starts `count` workers from one bundle of worker.ts. */
export async function forkWorkers(count: number): Promise<Worker[]> {
  const file = await bundleTs('bench/storm/worker.ts');
  return Array.from({ length: count }, () => fork(file, [], { stdio: 'inherit' }));
}

/** How many of `players` each of `workers` drives: whole matches of `seats`, as even as they go. */
export function shares(players: number, seats: number, workers: number): number[] {
  const matches = Math.ceil(players / seats);
  let left = players;
  return Array.from({ length: workers }, (_, w) => {
    const n = Math.min(left, (Math.floor((matches * (w + 1)) / workers) - Math.floor((matches * w) / workers)) * seats);
    left -= n;
    return n;
  });
}

export function tell(w: Worker, m: ToWorker): void {
  w.send(m);
}

/** What the worker says next of `type`; fails if it exits first. */
export function heard<T extends FromWorker['type']>(w: Worker, type: T): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromWorker) => {
      if (m.type !== type) return;
      off();
      resolve(m as Extract<FromWorker, { type: T }>);
    };
    const onExit = (code: number | null) => {
      off();
      reject(new Error(`storm worker ${w.pid} exited (${code}) before it said '${type}'`));
    };
    const off = () => {
      w.off('message', onMessage);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.on('exit', onExit);
  });
}
