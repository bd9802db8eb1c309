// The arena handler as the server runs it: the built bundle in fresh frozen VMs, state copied
// between callbacks, boxed presence reasons.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { SYSTEM_USER as SYSTEM } from '../../src/runtime/storage';
import { newMatch, seat, server } from './world';

function game() {
  const s = server();
  const m = newMatch(s);
  const a = seat(m, 'alice');
  const b = seat(m, 'bob');
  return { s, m, a, b };
}

describe('arena through the fake server', () => {
  it('first join sends a private snapshot with the seat and a 64-hex token', () => {
    const { a, b } = game();
    expect(a.snap).toMatchObject({ you: { seat: 0, userId: 'alice' }, resumed: false, lastActionSeq: 0 });
    expect(a.snap.token).toMatch(/^[0-9a-f]{64}$/);
    expect(b.snap.you.seat).toBe(1);
    expect(a.c.of(OpCode.SEAT)).toEqual([expect.objectContaining({ seat: 1, reason: 'joined' })]);
  });

  it('keeps state across callbacks although the server copies it each time', () => {
    const { m, a } = game();
    a.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 4 });
    a.c.send(OpCode.ACTION, { actionSeq: 2, type: 'move', dx: 1, dy: 1 });
    m.step();
    expect(a.c.of(OpCode.ACK).map((x) => x.result)).toEqual(['applied', 'applied']);
    a.c.send(OpCode.RESYNC, {});
    m.step();
    expect(a.c.last(OpCode.SNAPSHOT).game.seats[0]).toMatchObject({ score: 4, x: 1, y: 1 });
    expect(m.crashed).toBeNull();
  });

  it('reads the boxed disconnect reason: a drop reserves, a leave frees', () => {
    const { m, a, b } = game();
    a.c.drop();
    m.step();
    expect(b.c.last(OpCode.SEAT)).toMatchObject({ seat: 0, status: 'reserved', reason: 'dropped', deadlineTick: 30 });
    b.c.leave();
    m.step();
    expect(m.stopped).toBe(false);
    const carol = seat(m, 'carol');
    expect(carol.snap.you.seat).toBe(1);
  });

  it.each([0, 4])('takes presence reason %i (unknown, disconnect) for a drop, never for consent', (reason) => {
    const { m, a, b } = game();
    m.queueLeave(a.c, reason);
    m.step();
    expect(b.c.last(OpCode.SEAT)).toMatchObject({ seat: 0, status: 'reserved', reason: 'dropped' });
  });

  it('rejoins before the deadline with the same seat, score and a new token; refuses at the deadline', () => {
    const { m, a, b } = game();
    a.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 9 });
    m.step();
    a.c.drop();
    m.step(); // the drop is processed at tick 1: deadline 31
    m.step(28); // now tick 30, the last tick in grace
    const back = seat(m, 'alice', a.snap.token);
    expect(back.snap).toMatchObject({ resumed: true, lastActionSeq: 1, tick: 30 });
    expect(back.snap.game.seats[0].score).toBe(9);
    expect(back.snap.token).not.toBe(a.snap.token);
    back.c.drop();
    m.step(); // drop at 30, deadline 60
    m.step(29); // tick 60
    const late = m.connect('alice').join({ token: back.snap.token });
    expect(late).toEqual({ accepted: false, rejectMessage: 'token_expired' });
    expect(b.c.of(OpCode.SEAT).filter((x) => x.reason === 'expired')).toEqual([expect.objectContaining({ tick: 60 })]);
    m.step(10);
    expect(b.c.of(OpCode.SEAT).filter((x) => x.reason === 'expired')).toHaveLength(1);
  });

  it('takes over from a black-holed presence; its later leave changes nothing', () => {
    const { m, a, b } = game();
    a.c.blackhole();
    const back = seat(m, 'alice', a.snap.token);
    m.step(); // the kick's leave is processed
    a.c.serverNotices();
    m.step();
    expect(b.c.of(OpCode.SEAT).map((x) => x.reason)).toEqual(['resumed']);
    back.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 1 });
    m.step();
    expect(back.c.last(OpCode.ACK).result).toBe('applied');
  });

  it('lets one of two sockets with the same token in', () => {
    const { m, a } = game();
    a.c.drop();
    m.step();
    const r1 = m.connect('alice').join({ token: a.snap.token });
    const r2 = m.connect('alice').join({ token: a.snap.token });
    expect([r1.accepted, r2.accepted]).toEqual([true, false]);
    expect(r2.rejectMessage).toBe('token_invalid');
  });

  it('refuses strangers while a seat is reserved and keeps the label honest', () => {
    const { m, a } = game();
    a.c.drop();
    m.step();
    expect(JSON.parse(m.label)).toMatchObject({ open: 0, size: 2, mode: 'e2e' });
    expect(m.connect('carol').join()).toEqual({ accepted: false, rejectMessage: 'match_full' });
    m.step(31);
    expect(JSON.parse(m.label).open).toBe(1);
    expect(m.connect('carol').join().accepted).toBe(true);
  });

  it('answers bad input with ERROR and keeps running for everyone', () => {
    const { m, a, b } = game();
    a.c.send(OpCode.ACTION, 'nope');
    a.c.send(77, {});
    a.c.send(OpCode.ACTION, { actionSeq: 1e300, type: 'add' });
    b.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 1 });
    m.step();
    expect(a.c.of(OpCode.ERROR).map((e) => e.code)).toEqual(['bad_json', 'unknown_op', 'bad_message']);
    expect(b.c.last(OpCode.ACK).result).toBe('applied');
    expect(m.connect('x').join({ foo: 'bar' })).toEqual({ accepted: false, rejectMessage: 'metadata_invalid' });
    expect(m.crashed).toBeNull();
  });

  it('ends with END after everyone dropped and the last grace ran out', () => {
    const { m, a, b } = game();
    a.c.drop();
    b.c.drop();
    m.step(30);
    expect(m.stopped).toBe(false);
    m.step(2);
    expect(m.stopped).toBe(true);
    expect(m.crashed).toBeNull();
  });

  it('never writes a token into a log line, and counts what happened', () => {
    const { s, m, a } = game();
    a.c.drop();
    m.step();
    const back = seat(m, 'alice', a.snap.token);
    m.connect('alice').join({ token: a.snap.token });
    const text = s.logs.map((l) => l.text).join('\n');
    for (const t of [a.snap.token, back.snap.token]) expect(text).not.toContain(t);
    const names = new Set(s.metrics.map((x) => x.name));
    for (const n of ['rejoin_joins_total', 'rejoin_drops_total', 'rejoin_rejoins_total', 'rejoin_join_attempts_total', 'rejoin_reservations_started_total']) expect(names).toContain(n);
  });

  it('keeps the seat index in storage: written on join, cleared on expiry', () => {
    const { s, m, a } = game();
    const idx = () => s.nk().storageRead([{ collection: 'rejoin_seat', key: 'alice', userId: SYSTEM }])[0];
    expect(idx()).toMatchObject({ value: { matchId: m.id, seat: 0, mode: 'e2e' }, permissionRead: 0, permissionWrite: 0 });
    a.c.drop();
    m.step(32);
    expect(idx()).toBeUndefined();
  });
});
