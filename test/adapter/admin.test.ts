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
    expect(failure(() => s.rpc('rejoin_admin_release', null, { matchId: m.id, seat: 0 }))).toMatchObject({ code: 9, message: expect.stringMatching(/^not_reserved: /) });
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

describe('operator sweep', () => {
  const old = Date.now() - 3 * 3600_000;
  const checkpoint = (savedAtMs: number) => ({ v: 1, matchId: 'x', savedTick: 10, savedAtMs, final: false, leaseMs: 15_000, state: {} });
  const write = (s: ReturnType<typeof server>, collection: string, key: string, value: object) =>
    s.nk().storageWrite([{ collection, key, userId: SYSTEM_USER, value, permissionRead: 0, permissionWrite: 0 }]);
  const keys = (s: ReturnType<typeof server>, collection: string) =>
    s.nk().storageList(SYSTEM_USER, collection, 100, '').objects?.map((o: { key: string }) => o.key).sort() ?? [];

  it('removes checkpoints no restore would take and stale restore records, page by page; keeps the rest', () => {
    const s = server();
    write(s, 'rejoin_checkpoint', 'orphan-1', checkpoint(old));
    write(s, 'rejoin_checkpoint', 'orphan-2', checkpoint(old - 1000));
    write(s, 'rejoin_checkpoint', 'garbage', { hello: 'world' });
    write(s, 'rejoin_checkpoint', 'live', checkpoint(Date.now()));
    write(s, 'rejoin_restore', 'old-restore', { newMatchId: 'a', at: Date.now() - 3 * 86_400_000 });
    write(s, 'rejoin_restore', 'recent-restore', { newMatchId: 'b', at: Date.now() });
    let cursor: string | null = null;
    let calls = 0;
    const removed = { checkpoints: 0, restores: 0 };
    do {
      const r = s.rpc('rejoin_admin_sweep', null, cursor === null ? { limit: 2 } : { limit: 2, cursor });
      expect(r.scanned).toBeLessThanOrEqual(2);
      removed.checkpoints += r.checkpointsRemoved;
      removed.restores += r.restoresRemoved;
      cursor = r.cursor;
      calls++;
    } while (cursor !== null && calls < 10);
    expect(cursor).toBeNull();
    expect(removed).toEqual({ checkpoints: 3, restores: 1 });
    expect(keys(s, 'rejoin_checkpoint')).toEqual(['live']);
    expect(keys(s, 'rejoin_restore')).toEqual(['recent-restore']);
  });

  it('is server to server only and checks its input', () => {
    const s = server();
    expect(failure(() => s.rpc('rejoin_admin_sweep', 'alice', {}))).toMatchObject({ code: 7 });
    expect(failure(() => s.rpc('rejoin_admin_sweep', null, { limit: 0 }))).toMatchObject({ code: 3 });
    expect(failure(() => s.rpc('rejoin_admin_sweep', null, { cursor: 'elsewhere' }))).toMatchObject({ code: 3 });
    expect(s.rpc('rejoin_admin_sweep', null, {})).toEqual({ ok: true, scanned: 0, checkpointsRemoved: 0, restoresRemoved: 0, cursor: null });
  });
});
