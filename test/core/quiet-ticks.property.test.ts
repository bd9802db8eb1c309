// Skipping quiet ticks is invisible: a match whose loop sleeps until its dueTick, and settles a
// tick with input only when something is due (as the adapter does), sends, stores and decides
// exactly what a match that settles and runs its clock on every tick does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PresenceRef } from '../../src/core/arena/effects';
import { OpCode } from '../../src/protocol';
import { testMode, World } from './world';

const USERS = ['u0', 'u1', 'u2'];
const user = fc.constantFrom(...USERS);
const op = fc.oneof(
  fc.record({ k: fc.constant('first' as const), u: user }),
  fc.record({ k: fc.constant('rejoin' as const), u: user }),
  fc.record({ k: fc.constant('attemptOnly' as const), u: user }),
  fc.record({ k: fc.constant('drop' as const), u: user }),
  fc.record({ k: fc.constant('leave' as const), u: user }),
  fc.record({ k: fc.constant('quit' as const), u: user }),
  fc.record({ k: fc.constant('act' as const), u: user }),
  fc.record({ k: fc.constant('step' as const), n: fc.integer({ min: 1, max: 40 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Applies the ops to a world; `quiet` chooses the sleeping loop. */
function play(ops: Op[], quiet: boolean, mode: ReturnType<typeof testMode>): World {
  const w = new World(mode, null, 'f'.repeat(32));
  const token: Record<string, string | undefined> = {};
  const presence: Record<string, PresenceRef | undefined> = {};
  const seq: Record<string, number> = {};
  for (const o of ops) {
    if (o.k === 'step') {
      if (quiet) w.stepQuietly(o.n);
      else w.step(o.n, true);
      continue;
    }
    if (o.k === 'first' || o.k === 'rejoin') {
      const r = w.enter(o.u, o.k === 'rejoin' ? token[o.u] : undefined);
      if (r.token !== null) {
        token[o.u] = r.token;
        presence[o.u] = r.p;
      }
      continue;
    }
    if (o.k === 'attemptOnly') {
      w.attempt(w.presence(o.u), {});
      continue;
    }
    const p = presence[o.u];
    if (p === undefined) continue;
    if (o.k === 'drop') w.leave(p, 'drop');
    else if (o.k === 'leave') w.leave(p, 'leave');
    else {
      const m = o.k === 'quit' ? { p, opCode: OpCode.QUIT, body: {} } : { p, opCode: OpCode.ACTION, body: { actionSeq: (seq[o.u] = (seq[o.u] ?? 0) + 1), type: 'add', amount: 1 } };
      // Input arrives in a loop tick. The sleeping world runs that tick as the adapter does
      // (settling only when something is due); the other settles around the input, then ticks.
      if (quiet) w.loop([m]);
      else {
        w.send(m.p, m.opCode, m.body);
        w.step(1, true);
      }
    }
  }
  return w;
}

/** The state without the two fields that only say when the loop last ran. */
function observable(w: World): unknown {
  const { dueTick: _due, emptySinceTick: _empty, ...rest } = w.state;
  return rest;
}

function same(ops: Op[], mode: ReturnType<typeof testMode>): void {
  const every = play(ops, false, mode);
  const quiet = play(ops, true, mode);
  expect(quiet.effects).toEqual(every.effects);
  expect(observable(quiet)).toEqual(observable(every));
}

describe('quiet ticks', () => {
  it('sleeping until dueTick changes nothing, with grace windows, claims, rate limits and periodic checkpoints', () => {
    const mode = testMode({ seats: 2, graceSec: 2, claimSec: 1, checkpointSec: 1, rejoinAttempts: 2, rejoinWindowSec: 2, emptySec: 3, roundSec: 30 });
    fc.assert(fc.property(fc.array(op, { maxLength: 50 }), (ops) => same(ops, mode)), { numRuns: 400 });
  });

  it('and with manual grace', () => {
    const mode = testMode({ seats: 3, graceSec: 'manual', claimSec: 2, checkpointSec: 0, emptySec: 2, roundSec: 20 });
    fc.assert(fc.property(fc.array(op, { maxLength: 50 }), (ops) => same(ops, mode)), { numRuns: 200 });
  });

  it('an idle match sleeps: a loop a checkpoint interval, not a loop a tick', () => {
    const w = new World(testMode({ seats: 2, graceSec: 60, checkpointSec: 5, roundSec: 600 }));
    w.enter('alice');
    w.enter('bob');
    let ran = 0;
    for (let i = 0; i < 500; i++) {
      if (w.tick >= w.state.dueTick) ran++;
      w.stepQuietly(1);
    }
    // 500 ticks at 10 a second, a checkpoint every 5 s: the loop ran at ticks 50, 100, … 450.
    expect(ran).toBe(9);
  });
});
