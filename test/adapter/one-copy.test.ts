// One live copy of every match, through fake nodes that share one database: session_resume never
// forks a live match (busy, or on another node), a dead node's match is restored once after its
// lease, and an original that was taken over, or lost touch with the database past its lease,
// stops acting and sends its players to session_resume.
import { describe, expect, it } from 'vitest';
import { FakeServer, failure, type FakeMatch } from '../fakes/fake-nakama';
import { OpCode } from '../../src/protocol';
import { SYSTEM_USER } from '../../src/runtime/storage';
import { localEnv, newMatch, seat } from './world';

/** e2e mode: a checkpoint every second, so a 3 s lease; the owner stops acting after 1.5 s. */
const LEASE_MS = 3000;

function nodes(): { a: FakeServer; b: FakeServer } {
  const a = new FakeServer(localEnv(), { node: 'node-a' });
  const b = new FakeServer(localEnv(), { node: 'node-b', shareDatabaseWith: a });
  return { a, b };
}

function checkpointOf(s: FakeServer, matchId: string): any {
  return s.nk().storageRead([{ collection: 'rejoin_checkpoint', key: matchId, userId: SYSTEM_USER }])[0];
}

function indexOf(s: FakeServer, userId: string): any {
  return s.nk().storageRead([{ collection: 'rejoin_seat', key: userId, userId: SYSTEM_USER }])[0]?.value;
}

/** Two players seated, alice with 6 points, and a checkpoint written (e2e: at tick 10). */
function playing(s: FakeServer) {
  const m = newMatch(s, 'e2e');
  const a = seat(m, 'alice');
  const b = seat(m, 'bob');
  a.c.send(OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 6 });
  m.step(11);
  expect(checkpointOf(s, m.id)).toBeDefined();
  return { m, a, b };
}

function crash(s: FakeServer): void {
  for (const m of s.matches.values()) m.stopped = true;
}

/** alice and bob playing on node-a, which crashes; node-b and node-c are past its lease. */
function crashedWithTwoSurvivors() {
  const { a, b } = nodes();
  const c = new FakeServer(localEnv(), { node: 'node-c', shareDatabaseWith: a });
  const { m } = playing(a);
  crash(a);
  b.clockShiftMs = c.clockShiftMs = LEASE_MS + 100;
  return { a, b, c, m };
}

function liveCopies(...servers: FakeServer[]): FakeMatch[] {
  return servers.flatMap((s) => [...s.matches.values()].filter((m) => !m.stopped));
}

describe('one live copy on one node', () => {
  it('a busy match is alive: session_resume answers 503 and restores nothing', () => {
    const { a } = nodes();
    const { m } = playing(a);
    a.busy.add(m.id);
    for (let i = 0; i < 20; i++) expect(failure(() => a.rpc('session_resume', 'bob', {}))).toMatchObject({ code: 14, message: expect.stringMatching(/^busy: /) });
    expect(liveCopies(a)).toEqual([m]);
    expect(indexOf(a, 'alice').matchId).toBe(m.id);
    expect(indexOf(a, 'bob').matchId).toBe(m.id);
    expect(checkpointOf(a, m.id)).toBeDefined();
    a.busy.delete(m.id);
    expect(a.rpc('session_resume', 'bob', {})).toMatchObject({ status: 'active', matchId: m.id });
  });

  it('an abandoned match leaves no checkpoint, and one nobody joined never writes one', () => {
    const { a } = nodes();
    const { m, a: alice, b: bob } = playing(a);
    alice.c.send(OpCode.QUIT, {});
    bob.c.send(OpCode.QUIT, {});
    // Ends on a checkpoint tick (20): the checkpoint must still go.
    m.step(9);
    expect(m.stopped).toBe(true);
    expect(checkpointOf(a, m.id)).toBeUndefined();
    const empty = newMatch(a, 'e2e');
    empty.step(100);
    expect(checkpointOf(a, empty.id)).toBeUndefined();
  });
});

describe('one live copy across nodes sharing a database', () => {
  it('owner alive on another node: the player is told where, nothing is restored or moved', () => {
    const { a, b } = nodes();
    const { m } = playing(a);
    const r = b.rpc('session_resume', 'bob', {});
    expect(r).toEqual({ status: 'elsewhere', matchId: m.id, seat: 1, mode: 'e2e', node: 'node-a' });
    expect(liveCopies(a, b)).toEqual([m]);
    expect(indexOf(a, 'bob').matchId).toBe(m.id);
    expect(checkpointOf(a, m.id)).toBeDefined();
  });

  it('a crashed node: the match is restored once, only after its lease, with its state', () => {
    const { a, b } = nodes();
    const { m } = playing(a);
    crash(a);
    expect(b.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'elsewhere', node: 'node-a' });
    b.clockShiftMs = LEASE_MS + 100;
    const ra = b.rpc('session_resume', 'alice', {});
    const rb = b.rpc('session_resume', 'bob', {});
    expect(ra).toMatchObject({ status: 'active', seat: 0 });
    expect(rb).toMatchObject({ status: 'active', seat: 1, matchId: ra.matchId });
    expect(ra.matchId.endsWith('.node-b')).toBe(true);
    expect(liveCopies(a, b)).toHaveLength(1);
    const back = seat(b.matches.get(ra.matchId)!, 'alice', ra.token);
    expect(back.snap).toMatchObject({ resumed: true, lastActionSeq: 1 });
    expect(back.snap.game.seats[0].score).toBe(6);
    // The restored copy confirmed itself and holds its own lease; the old checkpoint is gone.
    expect(checkpointOf(b, ra.matchId)).toBeDefined();
    expect(checkpointOf(b, m.id)).toBeUndefined();
  });

  it('a seat first taken after the last periodic checkpoint comes back after a crash', () => {
    // Seen in the soak: a player who sat down between two checkpoints was told `none` once the
    // node died; the restored copy had never heard of the seat.
    const { a, b } = nodes();
    const { m, a: alice } = playing(a);
    alice.c.send(OpCode.QUIT, {});
    m.step(2);
    const carol = seat(m, 'carol');
    expect(carol.snap.you.seat).toBe(0);
    crash(a);
    b.clockShiftMs = LEASE_MS + 100;
    const r = b.rpc('session_resume', 'carol', {});
    expect(r).toMatchObject({ status: 'active', seat: 0 });
    const back = seat(b.matches.get(r.matchId)!, 'carol', r.token);
    expect(back.snap).toMatchObject({ resumed: true, you: { seat: 0, userId: 'carol' } });
  });

  it('an owner cut off from the database refuses a first join rather than seat a player a takeover would not know', () => {
    const { a } = nodes();
    const { m, a: alice } = playing(a);
    alice.c.send(OpCode.QUIT, {});
    m.step(2);
    // Cut off a moment ago: no write has failed yet, the lease is young.
    a.databaseDown = true;
    expect(m.connect('carol').join({})).toEqual({ accepted: false, rejectMessage: 'server_stopping' });
    a.databaseDown = false;
    a.clockShiftMs = 1100;
    const carol = seat(m, 'carol');
    expect(carol.snap.you.seat).toBe(0);
    expect(checkpointOf(a, m.id).value.state.seats[0].userId).toBe('carol');
  });

  it('a session_resume led by a stale seat index to a match that holds no seat forgets the index', () => {
    const { a, b } = nodes();
    const { m } = playing(a);
    // dave's index names the match, but the match never seated him (a crash between the writes).
    a.nk().storageWrite([{ collection: 'rejoin_seat', key: 'dave', userId: SYSTEM_USER, value: { matchId: m.id, seat: 1, mode: 'e2e', updatedAt: Date.now() }, permissionRead: 0, permissionWrite: 0 }]);
    crash(a);
    b.clockShiftMs = LEASE_MS + 100;
    expect(b.rpc('session_resume', 'dave', {})).toEqual({ status: 'none' });
    expect(indexOf(b, 'dave')).toBeUndefined();
    expect(b.rpc('session_resume', 'bob', {})).toMatchObject({ status: 'active', seat: 1 });
  });

  it('an owner whose checkpoint write failed acknowledges nothing until a write succeeds', () => {
    const { a } = nodes();
    const { m, a: alice } = playing(a);
    alice.c.send(OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 1 });
    m.step();
    // The periodic checkpoint at tick 20, holding action 2, fails; the lease is still young.
    a.databaseDown = true;
    m.step(9);
    alice.c.send(OpCode.ACTION, { actionSeq: 3, type: 'add', amount: 1 });
    m.step();
    expect(alice.c.of(OpCode.ACK).map((x: any) => x.actionSeq)).toEqual([1, 2]);
    expect(alice.c.of(OpCode.ERROR)).toEqual([]);
    // Back a second later: it writes first, then applies what it held.
    a.databaseDown = false;
    a.clockShiftMs = 1100;
    m.step();
    expect(alice.c.last(OpCode.ACK)).toMatchObject({ actionSeq: 3, result: 'applied' });
    expect(checkpointOf(a, m.id).value.state.seats[0].lastActionSeq).toBeGreaterThanOrEqual(2);
  });

  it('a restored copy that cannot read its restore record holds and retries instead of stopping', () => {
    // Seen in the soak: the database went away between the restore's commit and the copy's first
    // loop; the read threw out of the loop, which stopped the match and lost every seat.
    const { a, b } = nodes();
    playing(a);
    crash(a);
    b.clockShiftMs = LEASE_MS + 100;
    // The database goes away just as the new copy first reads its restore record.
    b.beforeRead = (keys) => {
      if (keys[0]?.collection === 'rejoin_restore' && b.matches.size > 0) {
        b.beforeRead = null;
        b.databaseDown = true;
      }
    };
    expect(() => b.rpc('session_resume', 'alice', {})).toThrow();
    expect(b.databaseDown).toBe(true);
    const copy = [...b.matches.values()][0];
    // Well past the claim time: a copy that could not read cannot know whether it won, so it waits.
    copy.step(200);
    expect(copy.crashed).toBeNull();
    expect(copy.stopped).toBe(false);
    b.databaseDown = false;
    const ra = b.rpc('session_resume', 'alice', {});
    expect(ra).toMatchObject({ status: 'active', seat: 0, matchId: copy.id });
    const back = seat(copy, 'alice', ra.token);
    expect(back.snap).toMatchObject({ resumed: true, lastActionSeq: 1 });
    expect(back.snap.game.seats[0].score).toBe(6);
    expect(checkpointOf(b, copy.id)).toBeDefined();
  });

  it('a restore that commits between the restore-record read and the checkpoint read is followed, not called lost', () => {
    const { a, b, c, m } = crashedWithTwoSurvivors();
    // alice on node-b finds no restore record; bob's restore on node-c commits before her
    // checkpoint read, which then finds nothing.
    let rb: any = null;
    b.beforeRead = (keys) => {
      if (keys[0]?.collection === 'rejoin_checkpoint' && keys[0]?.key === m.id) {
        b.beforeRead = null;
        rb = c.rpc('session_resume', 'bob', {});
      }
    };
    const ra = b.rpc('session_resume', 'alice', {});
    expect(rb).toMatchObject({ status: 'active', seat: 1 });
    expect(ra).toEqual({ status: 'elsewhere', matchId: rb.matchId, seat: 0, mode: 'e2e', node: 'node-c' });
    expect(liveCopies(a, b, c).map((x) => x.id)).toEqual([rb.matchId]);
  });

  it('players racing session_resume on two nodes get one copy', () => {
    const { a, b, c, m } = crashedWithTwoSurvivors();
    // Both read the checkpoint before either commits: bob's restore on node-c commits first.
    let rb: any = null;
    b.beforeCommit = () => {
      b.beforeCommit = null;
      rb = c.rpc('session_resume', 'bob', {});
    };
    const ra = b.rpc('session_resume', 'alice', {});
    expect(rb).toMatchObject({ status: 'active', seat: 1 });
    expect(rb.matchId.endsWith('.node-c')).toBe(true);
    // alice lost the race on node-b: she is told where the winner runs.
    expect(ra).toEqual({ status: 'elsewhere', matchId: rb.matchId, seat: 0, mode: 'e2e', node: 'node-c' });
    for (const s of [b, c]) for (const x of s.matches.values()) x.step(2);
    expect(liveCopies(a, b, c).map((x) => x.id)).toEqual([rb.matchId]);
    expect(indexOf(a, 'alice').matchId).toBe(rb.matchId);
    expect(m.stopped).toBe(true);
  });

  it('an original cut off from the database stops acting at half its lease, and is taken over after it', () => {
    const { a, b } = nodes();
    const { m, a: alice, b: bob } = playing(a);
    a.databaseDown = true;
    // Within half the lease it still acts.
    a.clockShiftMs = 1000;
    alice.c.send(OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 1 });
    m.step();
    expect(alice.c.last(OpCode.ACK)).toMatchObject({ actionSeq: 2, result: 'applied' });
    // Past half the lease it holds: nothing applied, the action kept unanswered.
    a.clockShiftMs = LEASE_MS / 2 + 100;
    alice.c.send(OpCode.ACTION, { actionSeq: 3, type: 'add', amount: 1 });
    m.step();
    expect(alice.c.last(OpCode.ACK).actionSeq).toBe(2);
    expect(alice.c.of(OpCode.ERROR)).toEqual([]);
    expect(m.connect('bob').join({ token: bob.snap.token })).toEqual({ accepted: false, rejectMessage: 'server_stopping' });
    // Node B takes over once the lease has run out.
    b.clockShiftMs = LEASE_MS + 100;
    const r = b.rpc('session_resume', 'bob', {});
    expect(r).toMatchObject({ status: 'active', seat: 1 });
    expect(r.matchId.endsWith('.node-b')).toBe(true);
    // The database is back for node A a second later: its renewal fails the version check, and it
    // hands over. The held action is dropped: never acknowledged, it is resent to node B's copy.
    a.databaseDown = false;
    a.clockShiftMs += 1000;
    alice.c.send(OpCode.ACTION, { actionSeq: 4, type: 'add', amount: 1 });
    m.step();
    expect(alice.c.last(OpCode.END)).toMatchObject({ reason: 'moved', result: null });
    expect(m.stopped).toBe(true);
    expect(alice.c.of(OpCode.ACK).map((x: any) => x.actionSeq)).toEqual([1, 2]);
    // Nothing of the old copy overwrote the new one's storage.
    expect(indexOf(a, 'alice').matchId).toBe(r.matchId);
    expect(a.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'elsewhere', matchId: r.matchId, node: 'node-b' });
  });

  it('an owner that holds keeps the actions that come meanwhile and applies them in order once it can write again', () => {
    // Seen in the soak: refused during a short database outage, an action left a gap that the
    // player's next action filled once the owner could write again; its resend then came back
    // `duplicate`, and the client, seeing lastActionSeq past it, dropped it: lost.
    const { a } = nodes();
    const { m, a: alice } = playing(a);
    a.databaseDown = true;
    a.clockShiftMs = LEASE_MS / 2 + 100;
    alice.c.send(OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 3 });
    alice.c.send(OpCode.ACTION, { actionSeq: 3, type: 'add', amount: 4 });
    m.step();
    alice.c.send(OpCode.ACTION, { actionSeq: 4, type: 'add', amount: 5 });
    m.step(3);
    expect(alice.c.of(OpCode.ACK).map((x: any) => x.actionSeq)).toEqual([1]);
    expect(alice.c.of(OpCode.ERROR)).toEqual([]);
    // The database is back before the lease ran out: the renewal succeeds and the held actions
    // go first, in order, then what comes next.
    a.databaseDown = false;
    a.clockShiftMs += 1000;
    m.step();
    alice.c.send(OpCode.ACTION, { actionSeq: 5, type: 'add', amount: 6 });
    m.step();
    expect(alice.c.of(OpCode.ACK).map((x: any) => [x.actionSeq, x.result])).toEqual([[1, 'applied'], [2, 'applied'], [3, 'applied'], [4, 'applied'], [5, 'applied']]);
    alice.c.send(OpCode.RESYNC, {});
    m.step();
    expect(alice.c.last(OpCode.SNAPSHOT)).toMatchObject({ lastActionSeq: 5 });
    expect(alice.c.last(OpCode.SNAPSHOT).game.seats[0].score).toBe(6 + 3 + 4 + 5 + 6);
  });

  it('an original out of touch past its whole lease hands over by itself', () => {
    const { a } = nodes();
    const { m, a: alice } = playing(a);
    a.databaseDown = true;
    a.clockShiftMs = LEASE_MS + 100;
    m.step(10);
    expect(alice.c.last(OpCode.END)).toMatchObject({ reason: 'moved' });
    expect(m.stopped).toBe(true);
    a.databaseDown = false;
    // Its last checkpoint is restored on this node at once: the match no longer runs here.
    expect(a.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'active', seat: 0 });
  });

  it('a graceful shutdown checkpoint is restorable at once on another node', () => {
    const { a, b } = nodes();
    const { m } = playing(a);
    m.terminate(10);
    const r = b.rpc('session_resume', 'alice', {});
    expect(r).toMatchObject({ status: 'active', seat: 0 });
    expect(r.matchId.endsWith('.node-b')).toBe(true);
  });

  it('an ending match removes its checkpoint and keeps every result in one commit', () => {
    // Done one write at a time, a session_resume in between found no checkpoint and no result:
    // it answered match_lost (or sent the player to a dead copy) for a match that ended well.
    const { a } = nodes();
    const { m } = playing(a);
    let commits = 0;
    a.beforeCommit = () => commits++;
    a.rpc('rejoin_admin_end', null, { matchId: m.id, reason: 'done' });
    m.step();
    a.beforeCommit = null;
    expect(m.stopped).toBe(true);
    expect(commits).toBe(1);
    expect(checkpointOf(a, m.id)).toBeUndefined();
    for (const user of ['alice', 'bob']) expect(indexOf(a, user)).toMatchObject({ matchId: m.id, ended: { reason: 'operator' } });
    expect(a.rpc('session_resume', 'alice', {})).toMatchObject({ status: 'ended', reason: 'operator', matchId: m.id });
  });

  it('a restored copy that never sees its restore committed discards itself without a trace', () => {
    const { a } = nodes();
    const { m } = playing(a);
    m.terminate(10);
    m.graceOver();
    // A candidate created but whose restore never commits (its restorer died in between).
    const id = a.nk().matchCreate('arena', { restoreFrom: m.id });
    const cand = a.matches.get(id)!;
    expect(cand.connect('alice').join({ token: 'x'.repeat(40) })).toEqual({ accepted: false, rejectMessage: 'server_stopping' });
    cand.step(200);
    expect(cand.stopped).toBe(true);
    expect(checkpointOf(a, id)).toBeUndefined();
    expect(checkpointOf(a, m.id)).toBeDefined();
  });
});
