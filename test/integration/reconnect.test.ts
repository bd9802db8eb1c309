// Drops and rejoins through real sockets: cuts, black holes, takeovers, racing tokens, stale
// tokens, consented leaves and actions caught in flight.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, type Conn, connect, eventually, newUser, refusal, sleep } from './harness/client';
import { act, seat, table } from './harness/table';
import { checkTokensNeverLogged, remember } from './harness/tokens';

checkTokensNeverLogged();
const open = closesAfterEach();
function track<T extends { conn: Conn }>(x: T): T {
  open.push(x.conn);
  return x;
}

describe('reconnection through real sockets', () => {
  it('cut mid-match: a new socket with the token gets the same seat, score and position back', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 6 })).result).toBe('applied');
    expect((await act(alice, matchId, { actionSeq: 2, type: 'move', dx: 1, dy: 1 })).result).toBe('applied');
    alice.conn.proxy!.cutAll();
    const dropped = await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    expect(dropped).toMatchObject({ seat: alice.snapshot.you.seat, status: 'reserved' });
    expect(dropped.deadlineTick - dropped.tick).toBe(30);

    const back = track(await seat(alice.player, matchId, { token: alice.token }));
    expect(back.snapshot).toMatchObject({ resumed: true, lastActionSeq: 2, you: alice.snapshot.you });
    expect(back.snapshot.game.seats[alice.snapshot.you.seat]).toMatchObject({ score: 6, x: 1, y: 1 });
    expect(back.token).not.toBe(alice.token);
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'resumed' });
  });

  it('black hole, then a rejoin before the server notices: takeover, and the stale leave changes nothing', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    alice.conn.proxy!.blackhole();
    const back = track(await seat(alice.player, matchId, { token: alice.token }));
    expect(back.snapshot.resumed).toBe(true);
    expect(back.snapshot.seats.find((s: any) => s.seat === alice.snapshot.you.seat).status).toBe('connected');
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'resumed' });
    // The server notices the black-holed socket after its ping timeout (about 3 s here).
    await sleep(4500);
    expect(bob.conn.inbox.of(OpCode.SEAT).filter((m) => m.reason === 'dropped' || m.reason === 'left')).toEqual([]);
    expect((await act(back, matchId, { actionSeq: 1, type: 'add', amount: 2 })).result).toBe('applied');
  });

  it('two sockets with one token at the same moment: exactly one gets the seat', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    alice.conn.proxy!.cutAll();
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    const [c1, c2] = await Promise.all([connect(alice.player), connect(alice.player)]);
    open.push(c1, c2);
    const results = await Promise.allSettled([c1.join(matchId, { token: alice.token }), c2.join(matchId, { token: alice.token })]);
    // The later attempt is refused (the first already holds the seat), or, when both arrive before
    // either join lands, the newer takes the claim and the older join is removed from the match.
    for (const r of results) if (r.status === 'rejected') expect(r.reason.message).toBe('token_invalid');
    await eventually(() => c1.inbox.of(OpCode.SNAPSHOT).length + c2.inbox.of(OpCode.SNAPSHOT).length > 0, 5000, 20);
    // Three ticks more: a second SNAPSHOT would have come by now.
    await new Promise((r) => setTimeout(r, 300));
    const snaps = [...c1.inbox.of(OpCode.SNAPSHOT), ...c2.inbox.of(OpCode.SNAPSHOT)];
    expect(snaps).toHaveLength(1);
    remember(snaps[0].token);
    expect(snaps[0].resumed).toBe(true);
    expect(bob.conn.inbox.of(OpCode.SEAT).filter((m) => m.reason === 'resumed')).toHaveLength(1);
  });

  it('an old token after rotation is refused and the live player is not disturbed', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    alice.conn.proxy!.cutAll();
    const back = track(await seat(alice.player, matchId, { token: alice.token }));
    expect((await act(back, matchId, { actionSeq: 1, type: 'add', amount: 1 })).result).toBe('applied');
    const thief = await connect(alice.player);
    open.push(thief);
    expect(await refusal(thief.join(matchId, { token: alice.token }))).toBe('token_invalid');
    expect((await act(back, matchId, { actionSeq: 2, type: 'add', amount: 1 })).result).toBe('applied');
    expect(back.conn.closed).toBe(false);
    expect(bob.conn.inbox.of(OpCode.SEAT).filter((m) => m.reason === 'dropped' && m.tick > back.snapshot.tick)).toEqual([]);
  });

  it('a consented leave frees the seat at once; a drop does not', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    const carol = await newUser('carol');
    alice.conn.proxy!.cutAll();
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    const c1 = await connect(carol);
    open.push(c1);
    expect(await refusal(c1.join(matchId))).toBe('match_full');

    await bob.conn.socket.leaveMatch(matchId);
    // Bob's seat frees as soon as the server has processed his leave, while Alice's stays held.
    const c2 = await eventually(async () => {
      const c = await connect(carol);
      open.push(c);
      await c.join(matchId);
      return c;
    }, 2000);
    const snap = await c2.inbox.next(OpCode.SNAPSHOT);
    remember(snap.token);
    expect(snap.you.seat).toBe(bob.snapshot.you.seat);
    expect(snap.seats.find((s: any) => s.seat === alice.snapshot.you.seat).status).toBe('reserved');
    expect(await refusal(connect(bob.player).then((c) => (open.push(c), c.join(matchId, { token: bob.token }))))).toBe('seat_lost');
  });

  it('QUIT frees the seat at once and kills the token', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    alice.conn.send(matchId, OpCode.QUIT, {});
    const left = await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'left' });
    expect(left).toMatchObject({ seat: alice.snapshot.you.seat, status: 'free' });
    const again = await connect(alice.player);
    open.push(again);
    expect(await refusal(again.join(matchId, { token: alice.token }))).toBe('seat_lost');
  });

  it('an action lost in flight is resent per lastActionSeq and applied once', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 3 })).result).toBe('applied');
    // The action sits in the slowed link when the link is cut: the server never sees it.
    alice.conn.proxy!.setLatency(500);
    alice.conn.send(matchId, OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 4 });
    await sleep(100);
    alice.conn.proxy!.cutAll();
    const back = track(await seat(alice.player, matchId, { token: alice.token }));
    expect(back.snapshot.lastActionSeq).toBe(1);
    expect((await act(back, matchId, { actionSeq: 2, type: 'add', amount: 4 })).result).toBe('applied');
    const resync = back.conn.inbox.next(OpCode.SNAPSHOT);
    back.conn.send(matchId, OpCode.RESYNC, {});
    expect((await resync).game.seats[alice.snapshot.you.seat].score).toBe(7);
  });

  it('an action applied whose ACK was lost is not resent, and a resend is a duplicate', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    alice.conn.proxy!.setLatency(300);
    alice.conn.send(matchId, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 5 });
    // Bob sees the effect: the server applied it; Alice's ACK is still in the slow link.
    await bob.conn.inbox.next(OpCode.EVENT, { where: (e) => e.type === 'scored' && e.amount === 5 });
    alice.conn.proxy!.cutAll();
    expect(alice.conn.inbox.of(OpCode.ACK)).toEqual([]);
    const back = track(await seat(alice.player, matchId, { token: alice.token }));
    expect(back.snapshot.lastActionSeq).toBe(1);
    expect(back.snapshot.game.seats[alice.snapshot.you.seat].score).toBe(5);
    expect((await act(back, matchId, { actionSeq: 1, type: 'add', amount: 5 })).result).toBe('duplicate');
  });
});
