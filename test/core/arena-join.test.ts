import { describe, expect, it } from 'vitest';
import { EndReason, MessageError, OpCode, RejectReason, SeatReason, SeatStatus } from '../../src/protocol';
import { ofType, sends, sentTo, testMode, World } from './world';


describe('first join', () => {
  it('takes the lowest free seat and gets a private snapshot with a token', () => {
    const w = new World();
    const a = w.enter('alice');
    expect(a.decision).toEqual({ accept: true, seat: 0, rejoin: false });
    const snap = sentTo(a.fx, a.p, OpCode.SNAPSHOT)[0];
    expect(snap).toMatchObject({ you: { seat: 0, userId: 'alice' }, resumed: false, lastActionSeq: 0, mode: 't', tickRate: 10 });
    expect(snap.token).toMatch(/^[0-9a-f]{64}$/);
    expect(snap.seats).toEqual([
      { seat: 0, userId: 'alice', status: 'connected' },
      { seat: 1, userId: null, status: 'free' },
    ]);
    expect(w.state.seats[0].tokenHash).not.toContain(snap.token);
    const b = w.enter('bob');
    expect(b.decision).toMatchObject({ accept: true, seat: 1 });
    expect(sentTo(b.fx, a.p, OpCode.SEAT)).toEqual([expect.objectContaining({ seat: 1, userId: 'bob', reason: SeatReason.JOINED, status: 'connected' })]);
    expect(sentTo(b.fx, b.p, OpCode.SEAT)).toEqual([]);
  });

  it('asks for a checkpoint before anyone hears of a new seat, and not for a rejoin', () => {
    // A crash right after the SNAPSHOT would otherwise restore the match without the seat.
    const w = new World();
    const a = w.enter('alice');
    const order = a.fx.map((e) => e.type).filter((t) => t === 'seatIndex' || t === 'checkpoint' || t === 'send');
    expect(order.slice(0, 2)).toEqual(['seatIndex', 'checkpoint']);
    expect(order.slice(2).every((t) => t === 'send')).toBe(true);
    w.leave(a.p, 'drop');
    const back = w.enter('alice', a.token as string);
    expect(back.decision).toMatchObject({ accept: true, rejoin: true });
    expect(ofType(back.fx, 'checkpoint')).toEqual([]);
    // A mode without periodic checkpoints survives no crash: it writes none for a join either.
    const none = new World(testMode({ checkpointSec: 0 }));
    expect(ofType(none.enter('bob').fx, 'checkpoint')).toEqual([]);
  });

  it('refuses strangers with match_full once every seat is held, reserved included', () => {
    const w = new World();
    const a = w.enter('alice');
    w.enter('bob');
    w.leave(a.p, 'drop');
    expect(w.state.seats[0].status).toBe(SeatStatus.RESERVED);
    expect(w.enter('carol').decision).toMatchObject({ accept: false, reason: RejectReason.MATCH_FULL });
  });

  it('counts a seat being joined as taken, so two strangers cannot both get the last seat', () => {
    const w = new World(testMode({ seats: 1 }));
    const p1 = w.presence('x');
    const p2 = w.presence('y');
    expect(w.attempt(p1).accept).toBe(true);
    expect(w.attempt(p2)).toMatchObject({ accept: false, reason: RejectReason.MATCH_FULL });
  });

  it('releases a claim whose join never arrives', () => {
    const w = new World(testMode({ seats: 1, claimSec: 1 }));
    const x = w.presence('x');
    expect(w.attempt(x).accept).toBe(true);
    w.step(10);
    expect(w.attempt(w.presence('y')).accept).toBe(true);
    // Should x's join land after all, it is told to join again (nobody took its seat over) and removed.
    const late = w.joined(x);
    expect(sentTo(late, x, OpCode.ERROR)).toEqual([{ code: MessageError.NOT_SEATED, message: expect.stringMatching(/join again/) }]);
    expect(sentTo(late, x, OpCode.END)).toEqual([]);
    expect(ofType(late, 'kick')).toHaveLength(1);
  });

  it('a first join whose socket died before its join landed passes its seat to the next attempt', () => {
    const w = new World(testMode({ seats: 2, claimSec: 15 }));
    const lost = w.presence('alice');
    expect(w.attempt(lost).accept).toBe(true);
    const again = w.enter('alice');
    expect(again.decision).toMatchObject({ accept: true, seat: 0 });
    expect(w.state.seats.filter((s) => s.claim !== null || s.status !== SeatStatus.FREE)).toHaveLength(1);
    // Should the lost socket's join land after all, it holds nothing, is told so and is removed.
    const late = w.joined(lost);
    expect(sentTo(late, lost, OpCode.END)).toEqual([expect.objectContaining({ reason: EndReason.TAKEN_OVER, result: null })]);
    expect(ofType(late, 'kick')).toHaveLength(1);
    expect(w.state.seats[0].presence?.sessionId).toBe(again.p.sessionId);
  });

  it('refuses metadata other than a string token', () => {
    const w = new World();
    for (const md of [{ token: 5 }, { tok: 'x' }, { token: 'a'.repeat(64), extra: '1' }, 'str', [1]]) {
      expect(w.attempt(w.presence('a'), md)).toMatchObject({ accept: false, reason: RejectReason.METADATA_INVALID });
    }
    expect(w.state.seats.every((s) => s.claim === null && s.status === 'free')).toBe(true);
  });

  it('refuses a user who already holds a seat and comes without its token', () => {
    const w = new World();
    w.enter('alice');
    expect(w.enter('alice').decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_INVALID });
  });

  it('keeps promised seats for invited players only', () => {
    const w = new World(testMode(), ['alice', 'bob']);
    expect(w.enter('mallory').decision).toMatchObject({ accept: false, reason: RejectReason.NOT_INVITED });
    expect(w.enter('alice').decision.accept).toBe(true);
    expect(w.enter('bob').decision.accept).toBe(true);
    expect(JSON.parse(w.state.label)).toMatchObject({ open: 0, promised: true });
  });
});

describe('drop and rejoin', () => {
  function seated() {
    const w = new World();
    const a = w.enter('alice');
    const b = w.enter('bob');
    w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 7 });
    w.send(a.p, OpCode.ACTION, { actionSeq: 2, type: 'move', dx: 1, dy: 0 });
    w.step(5);
    return { w, a, b };
  }

  it('reserves the seat on a drop and tells everyone the deadline', () => {
    const { w, a, b } = seated();
    const fx = w.leave(a.p, 'drop');
    expect(w.state.seats[0]).toMatchObject({ status: 'reserved', userId: 'alice', dropTick: 5, deadline: 35, presence: null });
    expect(sentTo(fx, b.p, OpCode.SEAT)).toEqual([expect.objectContaining({ seat: 0, status: 'reserved', reason: 'dropped', deadlineTick: 35, graceTicksLeft: 30 })]);
    expect(JSON.parse(w.state.label).open).toBe(0);
  });

  it('rejoins with the token one tick before the deadline: same seat and state, new token, old one dead', () => {
    const { w, a, b } = seated();
    w.leave(a.p, 'drop');
    w.step(29);
    expect(w.tick).toBe(34);
    const r = w.enter('alice', a.token as string);
    expect(r.decision).toEqual({ accept: true, seat: 0, rejoin: true });
    const snap = sentTo(r.fx, r.p, OpCode.SNAPSHOT)[0];
    expect(snap).toMatchObject({ resumed: true, lastActionSeq: 2, you: { seat: 0, userId: 'alice' } });
    expect(snap.game.seats[0]).toMatchObject({ score: 7, x: 1, y: 0 });
    expect(snap.token).not.toBe(a.token);
    expect(sentTo(r.fx, b.p, OpCode.SEAT)).toEqual([expect.objectContaining({ seat: 0, reason: SeatReason.RESUMED, status: 'connected' })]);
    // The new session speaks, so the consumed token is dead for good.
    w.send(r.p, OpCode.RESYNC, {});
    w.leave(r.p, 'drop');
    expect(w.enter('alice', a.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_INVALID });
    expect(w.enter('alice', snap.token).decision.accept).toBe(true);
  });

  it('at the deadline refuses token_expired, having freed the seat exactly once', () => {
    const { w, a, b } = seated();
    w.leave(a.p, 'drop');
    w.step(29); // the loop ran for ticks 5..33; tick 34 is the last in grace
    const atDeadline = w.step(1); // tick 34's loop; now tick 35 = deadline
    expect(sends(atDeadline, OpCode.SEAT)).toEqual([]);
    expect(w.tick).toBe(35);
    const r = w.enter('alice', a.token as string);
    expect(r.decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_EXPIRED });
    const expired = sends(w.effects, OpCode.SEAT).filter((m) => m.reason === SeatReason.EXPIRED);
    expect(expired).toEqual([expect.objectContaining({ seat: 0, userId: 'alice', status: 'free', tick: 35 })]);
    expect(sentTo(w.effects, b.p, OpCode.EVENT).filter((e) => e.type === 'forfeit')).toHaveLength(1);
    w.step(50);
    expect(sends(w.effects, OpCode.SEAT).filter((m) => m.reason === SeatReason.EXPIRED)).toHaveLength(1);
    expect(ofType(w.effects, 'count').filter((c) => c.name === 'rejoin_expiries')).toHaveLength(1);
  });

  it('expires on the loop at the deadline tick even with nobody rejoining', () => {
    const { w, a } = seated();
    w.leave(a.p, 'drop');
    w.step(30); // loops for ticks 5..34
    expect(w.state.seats[0].status).toBe('reserved');
    w.step(1); // tick 35
    expect(w.state.seats[0].status).toBe('free');
  });

  it('lets a stranger take the seat only after it expired', () => {
    const { w, a } = seated();
    w.leave(a.p, 'drop');
    expect(w.enter('carol').decision).toMatchObject({ accept: false, reason: RejectReason.MATCH_FULL });
    w.step(31);
    const c = w.enter('carol');
    expect(c.decision).toMatchObject({ accept: true, seat: 0 });
    expect(sentTo(c.fx, c.p, OpCode.SNAPSHOT)[0].game.seats[0]).toMatchObject({ score: 0, forfeited: false });
  });

  it('frees the seat at once on a consented leave and holds nothing', () => {
    const { w, a, b } = seated();
    const fx = w.leave(a.p, 'leave');
    expect(w.state.seats[0].status).toBe('free');
    expect(sentTo(fx, b.p, OpCode.SEAT)).toEqual([expect.objectContaining({ seat: 0, reason: SeatReason.LEFT, status: 'free' })]);
    expect(w.enter('alice', a.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.SEAT_LOST });
    expect(w.enter('carol').decision.accept).toBe(true);
  });

  it('takes a seat over from a presence the server has not yet noticed is dead', () => {
    const { w, a, b } = seated();
    const r = w.enter('alice', a.token as string);
    expect(r.decision).toMatchObject({ accept: true, seat: 0, rejoin: true });
    expect(ofType(r.fx, 'kick')).toEqual([{ type: 'kick', presence: a.p }]);
    // The replaced socket is told why before it is removed, and hears nothing else of the rejoin.
    const toOld = r.fx.filter((e) => e.type === 'kick' || (e.type === 'send' && e.to.some((t) => t.sessionId === a.p.sessionId)));
    expect(toOld.map((e) => (e.type === 'send' ? e.op : e.type))).toEqual([OpCode.END, 'kick']);
    const seqBefore = sentTo(r.fx, b.p, OpCode.SEAT)[0].seq;
    // Its seq follows the last broadcast the old socket could have had.
    expect(sentTo(r.fx, a.p, OpCode.END)).toEqual([{ seq: seqBefore, tick: expect.any(Number), reason: EndReason.TAKEN_OVER, result: null }]);
    expect(w.state.seats[0].presence?.sessionId).toBe(r.p.sessionId);
    // The old socket's leave arrives later as LEAVE (the kick): it changes nothing.
    const seatBefore = JSON.stringify(w.state.seats);
    const late = w.leave(a.p, 'leave');
    expect(JSON.stringify(w.state.seats)).toBe(seatBefore);
    expect(sends(late, OpCode.SEAT)).toEqual([]);
    expect(w.leave(a.p, 'drop').filter((e) => e.type === 'send')).toEqual([]);
    expect(sentTo(r.fx, b.p, OpCode.SEAT)[0]).toMatchObject({ reason: 'resumed' });
  });

  it('lets exactly one of two sockets presenting the same token in: the newer, whose join is the one that seats', () => {
    const { w, a } = seated();
    w.leave(a.p, 'drop');
    const p1 = w.presence('alice');
    const p2 = w.presence('alice');
    const d1 = w.attempt(p1, { token: a.token });
    const d2 = w.attempt(p2, { token: a.token });
    expect([d1.accept, d2.accept]).toEqual([true, true]);
    // The older socket's join lands first: it holds no claim any more and is removed.
    const fx1 = w.joined(p1);
    expect(ofType(fx1, 'kick').map((k) => k.presence.sessionId)).toEqual([p1.sessionId]);
    expect(sentTo(fx1, p1, OpCode.END)[0]).toMatchObject({ reason: EndReason.TAKEN_OVER });
    expect(w.state.seats[0].status).toBe(SeatStatus.RESERVED);
    w.joined(p2);
    expect(w.state.seats[0].presence?.sessionId).toBe(p2.sessionId);
    expect(w.state.seats.filter((s) => s.presence?.userId === p2.userId)).toHaveLength(1);
  });

  it('a rejoin whose socket died before its join landed does not lock the player out', () => {
    const { w, a } = seated();
    w.leave(a.p, 'drop');
    // Accepted, then the socket dies: the server never adds it to the match.
    expect(w.attempt(w.presence('alice'), { token: a.token }).accept).toBe(true);
    // The very next attempt, well inside the claim's lifetime, gets the seat back.
    const again = w.enter('alice', a.token as string);
    expect(again.decision.accept).toBe(true);
    expect(sentTo(again.fx, again.p, OpCode.SNAPSHOT)).toHaveLength(1);
  });

  it('refuses the consumed token while its session is in the match, and honours it once more if that session dies silent', () => {
    const { w, a } = seated();
    w.leave(a.p, 'drop');
    const r1 = w.enter('alice', a.token as string);
    // Second presentation while r1 is in the match: refused, r1 undisturbed.
    expect(w.enter('alice', a.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_INVALID });
    expect(w.state.seats[0].presence?.sessionId).toBe(r1.p.sessionId);
    // r1 dies before sending anything: it may never have seen its new token.
    w.leave(r1.p, 'drop');
    const r2 = w.enter('alice', a.token as string);
    expect(r2.decision.accept).toBe(true);
    // And the token r1 was issued works too (it might have arrived).
    w.leave(r2.p, 'drop');
    expect(w.enter('alice', r2.token as string).decision.accept).toBe(true);
  });

  it('refuses tokens of other users, other seats, garbage, and leaves the real seat alone', () => {
    const { w, a, b } = seated();
    w.leave(a.p, 'drop');
    const before = JSON.stringify(w.state.seats[0]);
    for (const [user, token] of [
      ['bob', a.token],
      ['mallory', a.token],
      ['alice', b.token],
      ['alice', 'f'.repeat(64)],
      ['alice', 'not a token'],
    ] as const) {
      expect(w.enter(user, token as string).decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_INVALID });
    }
    expect(JSON.stringify(w.state.seats[0])).toBe(before);
    expect(w.enter('alice', a.token as string).decision.accept).toBe(true);
  });

  it('refuses a token from another match', () => {
    const one = seated();
    const other = new World();
    other.enter('alice');
    expect(other.enter('alice', one.a.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.TOKEN_INVALID });
  });

  it('rate-limits rejoin attempts without moving the deadline', () => {
    const w = new World(testMode({ rejoinAttempts: 3, rejoinWindowSec: 1 }));
    const a = w.enter('alice');
    w.enter('bob');
    w.leave(a.p, 'drop');
    const deadline = w.state.seats[0].deadline;
    for (let i = 0; i < 3; i++) expect(w.enter('alice', 'e'.repeat(64)).decision).toMatchObject({ reason: RejectReason.TOKEN_INVALID });
    expect(w.enter('alice', a.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.RATE_LIMITED });
    expect(w.state.seats[0].deadline).toBe(deadline);
    w.step(10);
    expect(w.enter('alice', a.token as string).decision.accept).toBe(true);
  });

  it('lets a rejoin accepted in time complete even if its join lands after the deadline', () => {
    const { w, a } = seated();
    w.leave(a.p, 'drop');
    w.step(29);
    const p = w.presence('alice');
    expect(w.attempt(p, { token: a.token }).accept).toBe(true);
    w.step(3);
    expect(w.state.seats[0].status).toBe('reserved');
    w.joined(p);
    expect(w.state.seats[0]).toMatchObject({ status: 'connected', deadline: null });
  });
});
