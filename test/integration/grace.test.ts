// The grace window on a real server: its boundary tick, backfill while a seat is held, and a
// match in which everyone dropped.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, connect, eventually, newUser, refusal, rpc, serverLog } from './harness/client';
import { seat, table, type Seated } from './harness/table';
import { checkTokensNeverLogged } from './harness/tokens';

checkTokensNeverLogged();
const open = closesAfterEach();

/** Waits, through Bob's RESYNCs, until the match has run the loop of tick `t`. */
async function untilTickDone(bob: Seated, matchId: string, t: number): Promise<void> {
  await eventually(async () => {
    const snap = bob.conn.inbox.next(OpCode.SNAPSHOT, { timeoutMs: 3000 });
    bob.conn.send(matchId, OpCode.RESYNC, {});
    return (await snap).tick >= t;
  }, 20_000, 0);
}

describe('grace window', () => {
  // Mode e2e_slow runs one tick a second with 5 ticks of grace, so a join can be aimed at a tick.
  it('a rejoin one tick before the deadline succeeds', async () => {
    const { matchId, alice, bob } = await table('e2e_slow');
    open.push(alice.conn, bob.conn);
    alice.conn.proxy!.cutAll();
    const dropped = await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    const deadline = dropped.deadlineTick;
    expect(deadline - dropped.tick).toBe(5);
    // After the loop of tick deadline-2 the match's clock reads deadline-1 for a whole second.
    await untilTickDone(bob, matchId, deadline - 2);
    const back = await seat(alice.player, matchId, { token: alice.token });
    open.push(back.conn);
    expect(back.snapshot.resumed).toBe(true);
    expect(back.snapshot.tick).toBe(deadline - 1);
  });

  it('a rejoin at the deadline is refused token_expired, the seat having expired once', async () => {
    const { matchId, alice, bob } = await table('e2e_slow');
    open.push(alice.conn, bob.conn);
    alice.conn.proxy!.cutAll();
    const dropped = await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    const deadline = dropped.deadlineTick;
    await untilTickDone(bob, matchId, deadline - 1);
    const late = await connect(alice.player);
    open.push(late);
    expect(await refusal(late.join(matchId, { token: alice.token }))).toBe('token_expired');
    const expired = await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'expired' });
    expect(expired).toMatchObject({ tick: deadline, seat: alice.snapshot.you.seat, status: 'free' });
    await untilTickDone(bob, matchId, deadline + 2);
    expect(bob.conn.inbox.of(OpCode.SEAT).filter((m) => m.reason === 'expired')).toHaveLength(1);
  });

  it('while a seat is reserved neither match_find nor a stranger gets it; after expiry they can', async () => {
    const { matchId, alice, bob } = await table('e2e');
    open.push(alice.conn, bob.conn);
    const carol = await newUser('carol');
    alice.conn.proxy!.cutAll();
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    // Give the label index its second to catch up, then ask.
    await new Promise((r) => setTimeout(r, 1200));
    const found = await rpc<{ matchId: string }>(carol, 'match_find', { mode: 'e2e' });
    expect(found.matchId).not.toBe(matchId);
    const c1 = await connect(carol);
    open.push(c1);
    expect(await refusal(c1.join(matchId))).toBe('match_full');

    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'expired', timeoutMs: 6000 });
    const listed = await eventually(async () => {
      const list = await carol.client.listMatches(carol.session, 100, true, undefined, undefined, undefined, '+label.mode:e2e +label.open:>=1');
      return (list.matches ?? []).some((m) => m.match_id === matchId);
    }, 5000, 200);
    expect(listed).toBe(true);
    const c2 = await connect(carol);
    open.push(c2);
    await c2.join(matchId);
    expect((await c2.inbox.next(OpCode.SNAPSHOT)).you.seat).toBe(alice.snapshot.you.seat);
  });

  it('when everyone drops the match lives until the last grace ends, then ends', async () => {
    const { matchId, alice, bob } = await table('e2e');
    open.push(alice.conn, bob.conn);
    alice.conn.proxy!.cutAll();
    await new Promise((r) => setTimeout(r, 1000));
    await bob.conn.close();
    // Inside Bob's grace window the match still runs and still holds Bob's seat.
    await new Promise((r) => setTimeout(r, 2500));
    const during = await rpc(bob.player, 'session_resume', {});
    expect(during).toMatchObject({ status: 'active', matchId, seat: bob.snapshot.you.seat });
    // After it, the match is over: a join finds no match.
    await eventually(async () => {
      const c = await connect(alice.player);
      open.push(c);
      const why = await refusal(c.join(matchId, { token: alice.token }));
      return /not found|match_lost|seat_lost|token_expired/i.test(why) && /not found/i.test(why);
    }, 8000, 250);
    const log = serverLog();
    if (log !== null) {
      // One JSON entry per line; the ids are fields of the entry.
      const ended = log.split('\n').filter((l) => l.includes('"msg":"match ended"')).map((l) => JSON.parse(l) as { matchId?: string; reason?: string });
      expect(ended.filter((e) => e.matchId === matchId)).toEqual([expect.objectContaining({ reason: 'abandoned' })]);
    }
  });
});
