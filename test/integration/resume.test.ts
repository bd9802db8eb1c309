// session_resume and restarts: a signed-in player is never stranded, whatever the server forgot.
import { describe, expect, it } from 'vitest';
import { Session } from '@heroiclabs/nakama-js';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, connect, newClient, newUser, type Player, refusal, restartServer, rpc } from './harness/client';
import { act, seat, table } from './harness/table';
import { checkTokensNeverLogged, remember } from './harness/tokens';

checkTokensNeverLogged();
const open = closesAfterEach();

/** The same login on a brand-new client: what an app has after a restart. */
function relaunch(p: Player): Player {
  return { client: newClient(), session: Session.restore(p.session.token, p.session.refresh_token), userId: p.userId };
}

const restartable = process.env.NAKAMA_CONTROL_URL !== undefined;
const restartNote = 'needs a server the suite started itself (NAKAMA_BIN or PATH), not NAKAMA_URL';

describe('session_resume', () => {
  it('answers none for a player who holds no seat', async () => {
    const carol = await newUser('carol');
    expect(await rpc(carol, 'session_resume', {})).toEqual({ status: 'none' });
  });

  it('after a drop the server forgot, the still-valid login gets the seat back', async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 9 })).result).toBe('applied');
    alice.conn.proxy!.cutAll();
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    const answer = await rpc(alice.player, 'session_resume', {});
    remember(answer.token);
    expect(answer).toMatchObject({ status: 'active', matchId, seat: alice.snapshot.you.seat, mode: 'e2e' });
    expect(answer.token).toMatch(/^[0-9a-f]{64}$/);
    // The token the match issued before is dead; the one session_resume handed out works.
    const stale = await connect(alice.player);
    open.push(stale);
    expect(await refusal(stale.join(matchId, { token: alice.token }))).toBe('token_invalid');
    const back = await seat(alice.player, matchId, { token: answer.token });
    open.push(back.conn);
    expect(back.snapshot).toMatchObject({ resumed: true, lastActionSeq: 1 });
  });

  it('an app restart with only the saved login finds the seat again', async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    alice.conn.proxy!.blackhole();
    const fresh = relaunch(alice.player);
    const answer = await rpc(fresh, 'session_resume', {});
    remember(answer.token);
    expect(answer).toMatchObject({ status: 'active', matchId });
    const back = await seat(fresh, matchId, { token: answer.token });
    open.push(back.conn);
    expect(back.snapshot.resumed).toBe(true);
  });

  it('a match that ended while the player was away answers ended with the final scores', async () => {
    // Mode e2e_round: a 4 s round, a 30 s grace window. The round ends while Alice is away.
    const { matchId, alice, bob } = await table('e2e_round');
    open.push(alice.conn, bob.conn);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 3 })).result).toBe('applied');
    expect((await act(bob, matchId, { actionSeq: 1, type: 'add', amount: 4 })).result).toBe('applied');
    alice.conn.proxy!.cutAll();
    const end = await bob.conn.inbox.next(OpCode.END, { timeoutMs: 8000 });
    expect(end).toMatchObject({ reason: 'round_over', result: { winner: bob.snapshot.you.seat } });
    const answer = await rpc(alice.player, 'session_resume', {});
    expect(answer).toEqual({ status: 'ended', matchId, reason: 'round_over', result: end.result });
    expect(answer.result.scores.map((s: any) => s.score).sort()).toEqual([3, 4]);
  });
});

describe.skipIf(!restartable)(`server restarts (${restartable ? 'server started by the suite' : `SKIPPED: ${restartNote}`})`, () => {
  it('graceful restart mid-grace: both players resume the same game in the restored match', async () => {
    const { matchId, alice, bob } = await table('ranked');
    open.push(alice.conn, bob.conn);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 8 })).result).toBe('applied');
    expect((await act(bob, matchId, { actionSeq: 3, type: 'move', dx: 1, dy: 0 })).result).toBe('applied');
    alice.conn.proxy!.cutAll();
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    const restarting = restartServer('TERM');
    // During the shutdown grace period the match is frozen at its checkpoint: Bob's action is
    // refused, not acknowledged, so he keeps it and resends it in the restored match.
    let refused: any = null;
    for (let i = 0; i < 40 && refused === null; i++) {
      bob.conn.send(matchId, OpCode.ACTION, { actionSeq: 4, type: 'add', amount: 2 });
      refused = await bob.conn.inbox.next(OpCode.ERROR, { timeoutMs: 250 }).catch(() => null);
    }
    expect(refused).toMatchObject({ code: 'server_stopping' });
    expect(bob.conn.inbox.of(OpCode.ACK).map((a: any) => a.actionSeq)).toEqual([3]);
    await restarting;
    const answers = await Promise.all([rpc(alice.player, 'session_resume', {}), rpc(bob.player, 'session_resume', {})]);
    answers.forEach((a) => remember(a.token));
    expect(answers.map((a) => a.status)).toEqual(['active', 'active']);
    // One restore for both, even asked at the same moment.
    expect(answers[0].matchId).toBe(answers[1].matchId);
    expect(answers[0].matchId).not.toBe(matchId);
    const [a2, b2] = await Promise.all([seat(alice.player, answers[0].matchId, { token: answers[0].token }), seat(bob.player, answers[1].matchId, { token: answers[1].token })]);
    open.push(a2.conn, b2.conn);
    for (const s of [a2, b2]) {
      expect(s.snapshot.resumed).toBe(true);
      expect(s.snapshot.game.seats[alice.snapshot.you.seat]).toMatchObject({ score: 8 });
      expect(s.snapshot.game.seats[bob.snapshot.you.seat]).toMatchObject({ x: bob.snapshot.game.seats[bob.snapshot.you.seat].x + 1 });
    }
    expect(a2.snapshot.lastActionSeq).toBe(1);
    expect(b2.snapshot.lastActionSeq).toBe(3);
    expect((await act(b2, answers[1].matchId, { actionSeq: 4, type: 'add', amount: 2 })).result).toBe('applied');
    expect((await act(b2, answers[1].matchId, { actionSeq: 4, type: 'add', amount: 2 })).result).toBe('duplicate');
    expect(a2.snapshot.round.ticksLeft).toBeLessThan(alice.snapshot.round.ticksLeft);
    expect(a2.snapshot.round.ticksLeft).toBeGreaterThan(alice.snapshot.round.ticksLeft - 100);
  }, 90_000);

  it('hard kill with periodic checkpoints: players resume from the last checkpoint', async () => {
    const { matchId, alice, bob } = await table('e2e');
    open.push(alice.conn, bob.conn);
    expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 5 })).result).toBe('applied');
    // Mode e2e checkpoints every second: wait for one to include the action.
    await new Promise((r) => setTimeout(r, 1500));
    await restartServer('KILL');
    const a = await rpc(alice.player, 'session_resume', {});
    remember(a.token);
    expect(a).toMatchObject({ status: 'active', seat: alice.snapshot.you.seat });
    const back = await seat(alice.player, a.matchId, { token: a.token });
    open.push(back.conn);
    expect(back.snapshot.game.seats[alice.snapshot.you.seat].score).toBe(5);
    expect(back.snapshot.lastActionSeq).toBe(1);
    const b = await rpc(bob.player, 'session_resume', {});
    remember(b.token);
    expect(b.matchId).toBe(a.matchId);
  }, 90_000);
});
