// Property tests of the seat table's promises, over random interleavings of joins, rejoins with
// fresh, stale and forged tokens, drops, leaves, quits, actions and clock ticks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PresenceRef } from '../../src/core/arena/effects';
import { labelOf } from '../../src/core/arena';
import { OpCode, SeatStatus } from '../../src/protocol';
import { sentTo, testMode, World } from './world';

const USERS = ['u0', 'u1', 'u2', 'u3'];
const user = fc.constantFrom(...USERS);
const op = fc.oneof(
  fc.record({ k: fc.constant('first' as const), u: user }),
  fc.record({ k: fc.constant('rejoin' as const), u: user, which: fc.constantFrom('latest', 'consumed', 'older', 'other', 'forged') }),
  fc.record({ k: fc.constant('attemptOnly' as const), u: user }),
  fc.record({ k: fc.constant('drop' as const), u: user }),
  fc.record({ k: fc.constant('leave' as const), u: user }),
  fc.record({ k: fc.constant('quit' as const), u: user }),
  fc.record({ k: fc.constant('act' as const), u: user }),
  fc.record({ k: fc.constant('step' as const), n: fc.integer({ min: 1, max: 25 }) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

interface Holder {
  /** Every token issued to the user in this match, oldest first. */
  issued: string[];
  /** Token the latest session consumed to get in (null for a first join). */
  consumed: string | null;
  /** The latest session has sent a message. */
  confirmed: boolean;
  presence: PresenceRef | null;
  actionSeq: number;
}

function run(ops: Op[], graceSec: number | 'manual'): void {
  const w = new World(testMode({ seats: 2, graceSec, rejoinAttempts: 1000 }));
  const holders: Record<string, Holder> = {};
  const h = (u: string): Holder => (holders[u] ??= { issued: [], consumed: null, confirmed: false, presence: null, actionSeq: 0 });

  for (const o of ops) {
    const before = w.state.seats.map((s) => ({ userId: s.userId, status: s.status as string, deadline: s.deadline }));
    if (o.k === 'step') w.step(o.n);
    else if (o.k === 'first' || o.k === 'rejoin') {
      const m = h(o.u);
      let token: string | undefined;
      if (o.k === 'rejoin') {
        const pick = { latest: m.issued.at(-1), consumed: m.consumed ?? undefined, older: m.issued.at(-3), other: h(USERS[(USERS.indexOf(o.u) + 1) % USERS.length]).issued.at(-1), forged: 'c'.repeat(64) }[o.which];
        if (pick === undefined) continue;
        token = pick;
      }
      const r = w.enter(o.u, token);
      if (r.decision.accept) {
        if (token !== undefined) {
          // Only the latest token, or the one a silent session consumed, ever opens the seat.
          const latest = m.issued.at(-1);
          const silentConsumed = !m.confirmed && m.consumed === token && m.presence === null;
          expect(token === latest || silentConsumed).toBe(true);
          m.consumed = token;
        } else {
          m.consumed = null;
          m.issued = [];
          m.actionSeq = 0;
        }
        m.issued.push(r.token as string);
        m.confirmed = false;
        m.presence = r.p;
      }
    } else if (o.k === 'attemptOnly') {
      w.attempt(w.presence(o.u), {});
    } else {
      const m = h(o.u);
      if (m.presence === null) continue;
      if (o.k === 'drop') {
        w.leave(m.presence, 'drop');
        m.presence = null;
      } else if (o.k === 'leave') {
        w.leave(m.presence, 'leave');
        m.presence = null;
      } else if (o.k === 'quit') {
        w.send(m.presence, OpCode.QUIT, {});
        m.presence = null;
      } else {
        const seat = w.state.seats.find((s) => s.presence?.sessionId === m.presence?.sessionId);
        const fx = w.send(m.presence, OpCode.ACTION, { actionSeq: ++m.actionSeq, type: 'add', amount: 1 });
        if (seat !== undefined) {
          m.confirmed = true;
          const ack = sentTo(fx, m.presence, OpCode.ACK)[0];
          expect(ack.result).toBe('applied');
        }
      }
    }
    // A presence the match removed (taken over, seat expired) no longer holds anything.
    for (const m of Object.values(holders)) {
      if (m.presence !== null && !w.state.seats.some((s) => s.presence?.sessionId === m.presence?.sessionId)) m.presence = null;
    }
    checkInvariants(w, before);
  }
}

function checkInvariants(w: World, before: { userId: string | null; status: string; deadline: number | null }[]): void {
  const held = w.state.seats.filter((s) => s.status !== SeatStatus.FREE);
  // Never more occupants than seats, and one seat per user.
  expect(held.length).toBeLessThanOrEqual(w.state.seats.length);
  expect(new Set(held.map((s) => s.userId)).size).toBe(held.length);
  // A connected seat has exactly its own live presence; sessions are never shared.
  const sessions = held.filter((s) => s.status === SeatStatus.CONNECTED).map((s) => s.presence?.sessionId);
  expect(sessions.every((x) => typeof x === 'string')).toBe(true);
  expect(new Set(sessions).size).toBe(sessions.length);
  w.state.seats.forEach((s, i) => {
    // A held seat passes to another user only by becoming free first. Within one callback that
    // happens when a reserved seat's deadline has come: it expires, then a newcomer takes it.
    const expiredNow = before[i].status === SeatStatus.RESERVED && before[i].deadline !== null && w.lastCallbackTick >= (before[i].deadline as number);
    if (before[i].status !== SeatStatus.FREE && s.status !== SeatStatus.FREE && !expiredNow) expect(s.userId).toBe(before[i].userId);
    if (s.status === SeatStatus.RESERVED) {
      expect(s.presence).toBeNull();
      // Every callback settles expiry first, so no callback ever ends with a seat past its deadline.
      if (s.deadline !== null && s.claim === null) expect(w.lastCallbackTick).toBeLessThan(s.deadline);
    }
    if (s.status === SeatStatus.FREE) expect([s.userId, s.tokenHash, s.prevTokenHash]).toEqual([null, null, null]);
  });
  // The label is always current: settling before dueTick may skip republishing it.
  expect(w.state.label).toBe(labelOf(w.state));
  expect(JSON.parse(w.state.label).open).toBe(w.state.seats.filter((s) => s.status === SeatStatus.FREE && s.claim === null).length * (w.state.ended ? 0 : 1));
}

describe('seat invariants', () => {
  // PROP_RUNS raises the number of runs for a longer search (default 400).
  it('hold for timed grace', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops, 1)), { numRuns: Number(process.env.PROP_RUNS ?? 400) });
  });

  it('hold for manual grace', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops, 'manual')), { numRuns: 200 });
  });
});
