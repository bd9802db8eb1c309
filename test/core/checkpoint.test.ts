import { describe, expect, it } from 'vitest';
import { demoGame } from '../../src/core/demo-game';
import { makeCheckpoint, restoreCheckpoint, startClockAt } from '../../src/core/arena';
import { OpCode, RejectReason } from '../../src/protocol';
import { sentTo, testMode, World } from './world';

const HOUR = 3_600_000;

function midGame() {
  const w = new World(testMode({ graceSec: 3 }));
  const a = w.enter('alice');
  const b = w.enter('bob');
  w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 6 });
  w.send(b.p, OpCode.ACTION, { actionSeq: 4, type: 'move', dx: 1, dy: 1 });
  w.step(100);
  w.leave(b.p, 'drop'); // bob reserved at 100, deadline 130
  w.step(12); // 18 ticks of bob's grace left at tick 112
  return { w, a, b };
}

describe('checkpoint and restore', () => {
  it('continues the round clock from where it stopped, and gives every held seat a full grace window', () => {
    const { w } = midGame();
    const cp = makeCheckpoint(w.state, 'old.node', w.tick, 1_000, true);
    const r = restoreCheckpoint(JSON.parse(JSON.stringify(cp)), 1_000 + 60_000, HOUR, demoGame);
    if (!r.ok) throw new Error(r.reason);
    const [alice, bob] = r.state.seats;
    // alice was connected and bob reserved with 18 ticks left: both get a full window from the
    // restart (bob may have rejoined after the checkpoint, which a crash would have forgotten).
    expect(bob).toMatchObject({ status: 'reserved', deadline: 30, dropTick: 0 });
    expect(alice).toMatchObject({ status: 'reserved', deadline: 30, presence: null, dropTick: 0 });
    expect(r.state.roundEndTick).toBe(6000 - 112);
    expect(r.state.restoredFrom).toBe('old.node');
    expect(r.state.seq).toBe(w.state.seq);
    expect(r.state.seats.map((s) => s.lastActionSeq)).toEqual([1, 4]);
    expect((r.state.game as any).seats[0].score).toBe(6);
  });

  it('a copy that held before it could act starts every countdown when it does', () => {
    const { w } = midGame();
    const r = restoreCheckpoint(makeCheckpoint(w.state, 'old.node', w.tick, 0, true), 0, HOUR, demoGame);
    if (!r.ok) throw new Error(r.reason);
    startClockAt(r.state, 200);
    const [alice, bob] = r.state.seats;
    expect(bob).toMatchObject({ status: 'reserved', deadline: 230, dropTick: 200 });
    expect(alice).toMatchObject({ status: 'reserved', deadline: 230, dropTick: 200 });
    expect(r.state.roundEndTick).toBe(6000 - 112 + 200);
    // The clock has work at once: it settles from tick 200 on.
    expect(r.state.dueTick).toBe(200);
  });

  it('lets players back in with the tokens they held, in a match that resumes the game', () => {
    const { w, a, b } = midGame();
    const cp = makeCheckpoint(w.state, 'old.node', w.tick, 0, true);
    const r = restoreCheckpoint(cp, 0, HOUR, demoGame);
    if (!r.ok) throw new Error(r.reason);
    const w2 = new World(testMode({ graceSec: 3 }));
    Object.assign(w2.state, r.state);
    const back = w2.enter('alice', a.token as string);
    expect(back.decision.accept).toBe(true);
    const snap = sentTo(back.fx, back.p, OpCode.SNAPSHOT)[0];
    expect(snap).toMatchObject({ resumed: true, lastActionSeq: 1 });
    expect(snap.game.seats[1]).toMatchObject({ x: 2, y: 2 });
    // bob, reserved at the checkpoint, has the full window from the restart (30 ticks), not the 18 he had left.
    w2.step(30);
    expect(w2.enter('bob', b.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_EXPIRED });
  });

  it.each([
    [{ v: 2 }, 'unknown_version'],
    [null, 'corrupt'],
    ['text', 'corrupt'],
    [{ v: 1, matchId: 'm', savedTick: 1, savedAtMs: 0, state: { v: 1, seats: 'nope' } }, 'corrupt'],
  ])('refuses %j as %s', (raw, reason) => {
    expect(restoreCheckpoint(raw, 0, HOUR, demoGame)).toEqual({ ok: false, reason });
  });

  it('refuses a seat with a forged status or a wrong index', () => {
    const { w } = midGame();
    const cp = JSON.parse(JSON.stringify(makeCheckpoint(w.state, 'm', w.tick, 0, true)));
    cp.state.seats[1].status = 'vip';
    expect(restoreCheckpoint(cp, 0, HOUR, demoGame)).toEqual({ ok: false, reason: 'corrupt' });
  });

  it('refuses a checkpoint older than the limit', () => {
    const { w } = midGame();
    expect(restoreCheckpoint(makeCheckpoint(w.state, 'm', w.tick, 0, true), HOUR + 1, HOUR, demoGame)).toEqual({ ok: false, reason: 'too_old' });
  });
});

describe('token reissue (session_resume)', () => {
  it('gives the holder a fresh token and kills every older one', () => {
    const { w, b } = midGame();
    const answer = w.reissue('bob');
    expect(answer).toMatchObject({ ok: true, seat: 1, status: 'reserved', mode: 't' });
    const token = (answer as { token: string }).token;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(w.enter('bob', b.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_INVALID });
    expect(w.enter('bob', token).decision.accept).toBe(true);
  });

  it('answers no_seat for a user without a seat, and after expiry', () => {
    const { w } = midGame();
    expect(w.reissue('carol')).toEqual({ ok: false, reason: 'no_seat' });
    expect(w.reissue('bob', w.tick + 18)).toEqual({ ok: false, reason: 'no_seat' });
  });

  it('confirms the seat without a token where the mode forbids reissue by account', () => {
    const w = new World(testMode({ resumeByAccount: false }));
    const a = w.enter('alice');
    const answer = w.reissue('alice');
    expect(answer).toEqual({ ok: true, seat: 0, status: 'connected', mode: 't', token: null });
    w.leave(a.p, 'drop');
    expect(w.enter('alice', a.token as string).decision.accept).toBe(true);
  });

  it('supersede ends a match without telling anyone', () => {
    const { w } = midGame();
    const before = w.effects.length;
    expect(w.supersede()).toEqual([]);
    expect(w.state.ended).toMatchObject({ reason: 'superseded' });
    expect(w.effects.length).toBe(before);
  });
});
