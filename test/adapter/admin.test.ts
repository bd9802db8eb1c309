// Operator RPCs through the fake server: server to server only, and each does what it says to a
// running match, as a signal between two of its callbacks.
import { describe, expect, it } from 'vitest';
import { failure } from '../fakes/fake-nakama';
import { OpCode } from '../../src/protocol';
import { SYSTEM_USER } from '../../src/runtime/storage';
import { newMatch, seat, server } from './world';

function playing() {
  const s = server();
  const m = newMatch(s, 'e2e');
  const a = seat(m, 'alice');
  const b = seat(m, 'bob');
  return { s, m, a, b };
}

describe('operator RPCs', () => {
  it('are refused for any client session, and check their input', () => {
    const { s, m } = playing();
    for (const id of ['rejoin_admin_seats', 'rejoin_admin_release', 'rejoin_admin_end']) {
      expect(failure(() => s.rpc(id, 'alice', { matchId: m.id, seat: 0, reason: 'x' }))).toMatchObject({ code: 7, message: expect.stringMatching(/server to server only/) });
    }
    expect(failure(() => s.rpc('rejoin_admin_seats', null, { matchId: 'nope' }))).toMatchObject({ code: 3 });
    expect(failure(() => s.rpc('rejoin_admin_release', null, { matchId: m.id, seat: -1 }))).toMatchObject({ code: 3 });
    expect(failure(() => s.rpc('rejoin_admin_end', null, { matchId: m.id }))).toMatchObject({ code: 3 });
    expect(failure(() => s.rpc('rejoin_admin_seats', null, { matchId: '11111111-1111-4111-8111-111111111111.fakenode' }))).toMatchObject({ code: 5 });
  });

  it('list the seats with status and deadline', () => {
    const { s, m, b } = playing();
    b.c.drop();
    m.step(2);
    const r = s.rpc('rejoin_admin_seats', null, { matchId: m.id });
    expect(r).toMatchObject({ ok: true, mode: 'e2e', seats: [{ seat: 0, userId: 'alice', status: 'connected' }, { seat: 1, userId: 'bob', status: 'reserved' }] });
    expect(r.seats[1].deadlineTick).toBe(r.seats[1].graceTicksLeft + r.tick);
    expect(r.seats[0].deadlineTick).toBeUndefined();
  });

  it('free a reserved seat at once, and refuse to free a connected one', () => {
    const { s, m, a, b } = playing();
    b.c.drop();
    m.step(2);
    expect(failure(() => s.rpc('rejoin_admin_release', null, { matchId: m.id, seat: 0 }))).toMatchObject({ code: 9, message: 'not_reserved' });
    const r = s.rpc('rejoin_admin_release', null, { matchId: m.id, seat: 1 });
    expect(r.seats[1]).toEqual({ seat: 1, userId: null, status: 'free' });
    expect(a.c.last(OpCode.SEAT)).toMatchObject({ seat: 1, userId: 'bob', status: 'free', reason: 'left' });
    expect(m.connect('bob').join({ token: b.snap.token }).accepted).toBe(false);
    expect(s.nk().storageRead([{ collection: 'rejoin_seat', key: 'bob', userId: SYSTEM_USER }])).toEqual([]);
  });

  it('end a match: END operator to everyone, the result kept, the match stopped', () => {
    const { s, m, a } = playing();
    s.rpc('rejoin_admin_end', null, { matchId: m.id, reason: 'cheating report #42' });
    expect(a.c.last(OpCode.END)).toMatchObject({ reason: 'operator' });
    m.step();
    expect(m.stopped).toBe(true);
    expect(s.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'ended', matchId: m.id, reason: 'operator' });
    expect(s.logs.some((l) => l.level === 'warn' && /ended by an operator/.test(l.text) && /cheating report #42/.test(l.text))).toBe(true);
  });
});
