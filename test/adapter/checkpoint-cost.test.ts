// A checkpoint costs what changed: a match where nothing a restore reads has changed writes only
// what its lease needs (every other interval), one in play writes every interval, and what is
// stored still restores the match as it stands.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { SYSTEM_USER } from '../../src/runtime/storage';
import type { FakeMatch, FakeServer } from '../fakes/fake-nakama';
import { newMatch, seat, server } from './world';

/** e2e mode: 10 ticks a second, a checkpoint every second (10 ticks), a 3 s lease. */
const INTERVAL_TICKS = 10;

function stored(s: FakeServer, matchId: string): any {
  return s.nk().storageRead([{ collection: 'rejoin_checkpoint', key: matchId, userId: SYSTEM_USER }])[0];
}

/** Runs `intervals` checkpoint intervals, a second of the server's clock each; returns how many changed the stored checkpoint. */
function writesOver(s: FakeServer, m: FakeMatch, intervals: number, each?: (i: number) => void): number {
  let writes = 0;
  for (let i = 0; i < intervals; i++) {
    const before = stored(s, m.id)?.version;
    each?.(i);
    s.clockShiftMs += 1000;
    m.step(INTERVAL_TICKS);
    if (stored(s, m.id)?.version !== before) writes++;
  }
  return writes;
}

/** alice and bob seated in an e2e match that has written its first checkpoint. */
function twoSeated() {
  const s = server();
  const m = newMatch(s, 'e2e');
  const a = seat(m, 'alice');
  seat(m, 'bob');
  m.step(INTERVAL_TICKS + 1);
  expect(stored(s, m.id)).toBeDefined();
  return { s, m, a };
}

describe('checkpoint cost', () => {
  it('a quiet match writes every other interval, enough to keep its lease', () => {
    const { s, m } = twoSeated();
    expect(writesOver(s, m, 8)).toBe(4);
  });

  it('a match in play writes every interval, and what it stores restores the latest score', () => {
    const { s, m, a } = twoSeated();
    expect(writesOver(s, m, 6, (i) => a.c.send(OpCode.ACTION, { actionSeq: i + 1, type: 'add', amount: 2 }))).toBe(6);
    expect(stored(s, m.id).value.state.game.seats[0].score).toBe(12);
  });

  it('what a restore resets (sockets, the schedule) is not stored, and a reconnect alone writes nothing new', () => {
    const { s, m, a } = twoSeated();
    const cp = stored(s, m.id).value;
    expect(cp.state.seats.map((x: any) => x.presence)).toEqual([null, null]);
    expect(cp.state.dueTick).toBe(0);
    // A reconnect rotates alice's token: that changes what a restore needs, so it is written.
    a.c.drop();
    m.step();
    seat(m, 'alice', a.snap.token);
    expect(writesOver(s, m, 1)).toBe(1);
    expect(stored(s, m.id).value.state.seats[0].tokenHash).not.toBe(cp.state.seats[0].tokenHash);
  });
});
