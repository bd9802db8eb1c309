// RPCs, the matchmaker hook, session_resume, checkpoints and restore, through the fake server.
import { describe, expect, it } from 'vitest';
import { failure } from '../fakes/fake-nakama';
import { OpCode } from '../../src/protocol';
import { newMatch, seat, server } from './world';

const SYSTEM = '00000000-0000-0000-0000-000000000000';

describe('match_create and match_find', () => {
  it('refuse bad payloads with {message, code}', () => {
    const s = server();
    expect(failure(() => s.rpc('match_create', 'u', { mode: 'nope' }))).toMatchObject({ code: 3, message: expect.stringMatching(/^mode_unknown: mode must be one of: .*ranked/) });
    expect(failure(() => s.rpc('match_create', 'u', 'not json'))).toMatchObject({ code: 3, message: 'payload_invalid: payload is not JSON' });
    expect(failure(() => s.rpc('match_find', 'u', '[1]'))).toMatchObject({ code: 3 });
    expect(failure(() => s.rpc('match_create', null, { mode: 'e2e' }))).toMatchObject({ code: 16 });
  });

  it('match_find never offers a match whose free seat is reserved', () => {
    const s = server();
    const m = newMatch(s);
    const a = seat(m, 'alice');
    seat(m, 'bob');
    a.c.drop();
    m.step();
    const found = s.rpc('match_find', 'carol', { mode: 'e2e' });
    expect(found.matchId).not.toBe(m.id);
    expect(found.created).toBe(true);
    m.step(31);
    // The stranger-created match is open too: either may be offered, never a held seat.
    const again = s.rpc('match_find', 'dave', { mode: 'e2e' });
    expect([m.id, found.matchId]).toContain(again.matchId);
  });
});

describe('matchmaker', () => {
  it('creates a match promised to the matched players only', () => {
    const s = server();
    const id = s.matchmakerMatched(['alice', 'bob'], { mode: 'e2e' }) as string;
    const m = s.matches.get(id)!;
    expect(JSON.parse(m.label)).toMatchObject({ open: 0, promised: true });
    expect(m.connect('mallory').join()).toEqual({ accepted: false, rejectMessage: 'not_invited' });
    expect(m.connect('alice').join().accepted).toBe(true);
    expect(m.connect('bob').join().accepted).toBe(true);
  });

  it('falls back to the first mode for a ticket without a known mode', () => {
    const s = server();
    const id = s.matchmakerMatched(['a', 'b'], { mode: 'bogus' }) as string;
    expect(JSON.parse(s.matches.get(id)!.label).mode).toBe('ranked');
  });
});

describe('session_resume', () => {
  it('answers none for a user with no seat', () => {
    expect(server().rpc('session_resume', 'nobody', {})).toEqual({ status: 'none' });
  });

  it('answers active with a fresh token, and the old token dies', () => {
    const s = server();
    const m = newMatch(s);
    const a = seat(m, 'alice');
    a.c.drop();
    m.step();
    const r = s.rpc('session_resume', 'alice', {});
    expect(r).toMatchObject({ status: 'active', matchId: m.id, seat: 0, mode: 'e2e' });
    expect(m.connect('alice').join({ token: a.snap.token })).toEqual({ accepted: false, rejectMessage: 'token_invalid' });
    expect(m.connect('alice').join({ token: r.token }).accepted).toBe(true);
    expect(s.logs.map((l) => l.text).join('\n')).not.toContain(r.token);
  });

  it('answers ended with the result when the round ended while the player was away', () => {
    const s = server();
    const m = newMatch(s, 'e2e_round');
    const a = seat(m, 'alice');
    seat(m, 'bob');
    a.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 2 });
    m.step();
    a.c.drop();
    m.step(45);
    expect(m.stopped).toBe(true);
    const r = s.rpc('session_resume', 'alice', {});
    expect(r).toMatchObject({ status: 'ended', matchId: m.id, reason: 'round_over', result: { winner: 0 } });
    expect(s.rpc('session_resume', 'bob', {})).toMatchObject({ status: 'ended', reason: 'round_over' });
  });

  it('restores a checkpointed match once, moves every seat index, and continues the game', () => {
    const s = server();
    const m = newMatch(s, 'ranked');
    const a = seat(m, 'alice');
    const b = seat(m, 'bob');
    a.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 6 });
    m.step(5);
    b.c.drop();
    m.step(10);
    m.terminate();
    m.graceOver();
    expect(m.crashed).toBeNull();
    expect(s.nk().storageRead([{ collection: 'rejoin_checkpoint', key: m.id, userId: SYSTEM }])).toHaveLength(1);
    const ra = s.rpc('session_resume', 'alice', {});
    const rb = s.rpc('session_resume', 'bob', {});
    expect(ra).toMatchObject({ status: 'active', seat: 0 });
    expect(rb.matchId).toBe(ra.matchId);
    expect(ra.matchId).not.toBe(m.id);
    const restored = s.matches.get(ra.matchId)!;
    const back = seat(restored, 'alice', ra.token);
    // bob, reserved for 10 ticks before the restart, has a full window again from it.
    expect(back.snap).toMatchObject({ resumed: true, lastActionSeq: 1, seats: [{ status: 'connected' }, { status: 'reserved', graceTicksLeft: 600 }] });
    expect(back.snap.game.seats[0].score).toBe(6);
    // The checkpoint is consumed; the index points at the new match for both.
    expect(s.nk().storageRead([{ collection: 'rejoin_checkpoint', key: m.id, userId: SYSTEM }])).toHaveLength(0);
    for (const u of ['alice', 'bob']) expect(s.nk().storageRead([{ collection: 'rejoin_seat', key: u, userId: SYSTEM }])[0].value.matchId).toBe(ra.matchId);
  });

  it('during the shutdown grace period the match stays frozen at its checkpoint', () => {
    const s = server();
    const m = newMatch(s, 'e2e');
    const a = seat(m, 'alice');
    const b = seat(m, 'bob');
    a.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 6 });
    m.step();
    m.terminate(10);
    expect(m.stopped).toBe(false);
    const key = { collection: 'rejoin_checkpoint', key: m.id, userId: SYSTEM };
    const saved = s.nk().storageRead([key])[0];
    // The server keeps looping the match for its grace period: e2e checkpoints every 10 ticks
    // and bob's 3 s grace would run out, but nothing moves.
    a.c.send(OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 1 });
    b.c.drop();
    m.step(50);
    expect(a.c.last(6)).toMatchObject({ code: 'server_stopping' });
    expect(a.c.inbox.filter((r) => r.op === OpCode.ACK).map((r) => r.body.actionSeq)).toEqual([1]);
    expect(s.nk().storageRead([key])[0].version).toBe(saved.version);
    expect(failure(() => s.rpc('session_resume', 'alice', {}))).toMatchObject({ code: 14 });
    expect(m.connect('carol').join({}).rejectMessage).toBe('server_stopping');
    m.graceOver();
    const r = s.rpc('session_resume', 'bob', {});
    expect(r).toMatchObject({ status: 'active', seat: 1 });
    const back = seat(s.matches.get(r.matchId)!, 'bob', r.token);
    expect(back.snap).toMatchObject({ resumed: true, seats: [{ status: 'reserved' }, { status: 'connected' }] });
    expect(back.snap.game.seats[0].score).toBe(6);
  });

  it('when two restores race, the loser stops its copy and answers with the winner', () => {
    const s = server();
    const m = newMatch(s, 'ranked');
    seat(m, 'alice');
    seat(m, 'bob');
    m.terminate();
    m.graceOver();
    let rival: string | null = null;
    s.beforeCommit = () => {
      s.beforeCommit = null;
      // Another node's restore commits first.
      rival = s.createMatch('arena', { restoreFrom: m.id }).id;
      s.nk().storageWrite([{ collection: 'rejoin_restore', key: m.id, userId: SYSTEM, value: { newMatchId: rival }, version: '*', permissionRead: 0, permissionWrite: 0 }]);
    };
    const r = s.rpc('session_resume', 'alice', {});
    expect(r.matchId).toBe(rival);
    const losers = [...s.matches.values()].filter((x) => x.id !== rival && x.id !== m.id);
    expect(losers).toHaveLength(1);
    losers[0].step();
    expect(losers[0].stopped).toBe(true);
  });

  it.each([
    ['corrupt', (cp: any) => ({ ...cp, state: { ...cp.state, seats: 'x' } }), 'checkpoint_corrupt'],
    ['unknown version', (cp: any) => ({ ...cp, v: 99 }), 'checkpoint_unknown_version'],
    ['too old', (cp: any) => ({ ...cp, savedAtMs: cp.savedAtMs - 3_600_000 }), 'checkpoint_too_old'],
  ])('reports a %s checkpoint as ended and cleans it up', (_name, spoil, reason) => {
    const s = server();
    const m = newMatch(s, 'ranked');
    seat(m, 'alice');
    m.terminate();
    m.graceOver();
    const key = { collection: 'rejoin_checkpoint', key: m.id, userId: SYSTEM };
    const cp = s.nk().storageRead([key])[0].value;
    s.nk().storageWrite([{ ...key, value: spoil(cp), permissionRead: 0, permissionWrite: 0 }]);
    expect(s.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'ended', matchId: m.id, reason, result: null });
    expect(s.nk().storageRead([key])).toHaveLength(0);
  });

  it('answers ended match_lost for a match that vanished without a checkpoint', () => {
    const s = server();
    const m = newMatch(s);
    seat(m, 'alice');
    s.matches.delete(m.id);
    s.nk().storageDelete([{ collection: 'rejoin_checkpoint', key: m.id, userId: SYSTEM }]);
    expect(s.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'ended', reason: 'match_lost' });
  });

  it('writes periodic checkpoints at each mode\'s interval', () => {
    const s = server();
    const fast = newMatch(s, 'e2e'); // checkpointSec 1: every 10 ticks
    const usual = newMatch(s, 'ranked'); // the default 5 s: every 50 ticks
    const alice = seat(fast, 'alice');
    const bob = seat(usual, 'bob');
    // Each wrote one as its first player sat down (at tick 0); the next ones hold the actions.
    const savedTick = (id: string) => s.nk().storageRead([{ collection: 'rejoin_checkpoint', key: id, userId: SYSTEM }])[0]?.value.savedTick;
    expect([savedTick(fast.id), savedTick(usual.id)]).toEqual([0, 0]);
    alice.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 1 });
    bob.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 1 });
    fast.step(11);
    usual.step(11);
    expect([savedTick(fast.id), savedTick(usual.id)]).toEqual([10, 0]);
    usual.step(40);
    expect(savedTick(usual.id)).toBe(50);
  });
});
