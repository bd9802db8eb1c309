import { describe, expect, it } from 'vitest';
import { initArena } from '../../src/core/arena';
import { demoGame } from '../../src/core/demo-game';
import { EndReason, OpCode } from '../../src/protocol';
import { ofType, sends, sentTo, testMode, World } from './world';

describe('match lifecycle', () => {
  it('survives everyone dropping until the last grace ends, then ends with END', () => {
    const w = new World();
    const a = w.enter('alice');
    const b = w.enter('bob');
    w.leave(a.p, 'drop');
    w.step(10);
    w.leave(b.p, 'drop');
    w.step(21); // alice's deadline (30) passes; bob's (40) not yet
    expect(w.state.seats.map((s) => s.status)).toEqual(['free', 'reserved']);
    expect(w.state.ended).toBeNull();
    w.step(9); // loops for ticks 31..39: bob's deadline is 40
    expect(w.state.ended).toBeNull();
    w.step(1);
    expect(w.state.ended).toMatchObject({ reason: EndReason.ABANDONED, tick: 40 });
    // Nobody is connected to hear END; the result goes to the adapter to keep for session_resume.
    expect(ofType(w.effects, 'end')).toEqual([expect.objectContaining({ reason: EndReason.ABANDONED })]);
    w.step(5);
    expect(ofType(w.effects, 'end')).toHaveLength(1);
  });

  it('ends when the round clock runs out, with final scores, and END reaches everyone connected', () => {
    const w = new World(testMode({ roundSec: 2 }));
    const a = w.enter('alice');
    const b = w.enter('bob');
    w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 3 });
    w.step(20); // ticks 0..19 are the round's 2 seconds
    expect(w.state.ended).toBeNull();
    const fx = w.step(1);
    const end = sentTo(fx, b.p, OpCode.END)[0];
    expect(end).toMatchObject({ reason: EndReason.ROUND_OVER, result: { winner: 0, scores: [{ seat: 0, score: 3 }, { seat: 1, score: 0 }] } });
    expect(sentTo(fx, a.p, OpCode.END)).toHaveLength(1);
    // Both still seated: the result is kept for them, their seat index is not simply cleared.
    expect(ofType(fx, 'end')).toEqual([expect.objectContaining({ players: ['alice', 'bob'] })]);
    expect(ofType(fx, 'seatIndex')).toEqual([]);
  });

  it('ends a match nobody joined after emptySec', () => {
    const w = new World(testMode({ emptySec: 2 }));
    w.step(20);
    expect(w.state.ended).toBeNull();
    w.step(1);
    expect(w.state.ended).toMatchObject({ reason: EndReason.EMPTY });
  });

  it('refuses joins once the match has ended', () => {
    const w = new World(testMode({ roundSec: 1 }));
    w.enter('alice');
    w.step(11);
    expect(w.enter('bob').decision).toMatchObject({ accept: false, reason: 'seat_lost' });
  });

  it('holds a manual-grace seat until the game releases it', () => {
    const w = new World(testMode({ graceSec: 'manual' }));
    const a = w.enter('alice');
    w.enter('bob');
    w.leave(a.p, 'drop');
    w.step(5000);
    expect(w.state.seats[0]).toMatchObject({ status: 'reserved', deadline: null });
    const snap = sentTo(w.enter('alice', a.token as string).fx, w.state.seats[0].presence!, OpCode.SNAPSHOT)[0];
    expect(snap.resumed).toBe(true);
  });

  it('frees seats the game releases', () => {
    const w = new World(testMode({ graceSec: 'manual' }));
    const a = w.enter('alice');
    w.enter('bob');
    w.leave(a.p, 'drop');
    const game = w.deps.game;
    w.deps.game = { ...game, tick: () => ({ events: [], release: [0] }) };
    w.step(1);
    expect(w.state.seats[0].status).toBe('free');
    expect(sends(w.effects, OpCode.SEAT).at(-1)).toMatchObject({ reason: 'left', seat: 0 });
    expect(w.enter('alice', a.token as string).decision).toMatchObject({ reason: 'seat_lost' });
  });

  it('publishes the label only when it changes, never counting reserved seats open', () => {
    const w = new World();
    const labels = () => ofType(w.effects, 'label').map((l) => [JSON.parse(l.label).open, JSON.parse(l.label).fresh]);
    const a = w.enter('alice');
    w.step(3);
    w.leave(a.p, 'drop');
    w.step(31);
    // Claimed: 1 open, nobody seated yet. Joined: no longer fresh. Dropped: still 1 open (the
    // reserved seat is held). Expired: 2. Abandoned: 0. Once seated, never fresh again.
    expect(labels()).toEqual([
      [1, true],
      [1, false],
      [2, false],
      [0, false],
    ]);
  });

  it('labels a match with its creator and as fresh until someone takes a seat, well under 2048 bytes', () => {
    const creator = '0b5f3c1e-7d2a-4c8e-9f61-2a4b6c8d0e1f';
    const biggest = initArena(testMode({ name: 'm'.repeat(32), seats: 16 }), demoGame, null, creator);
    expect(JSON.parse(biggest.label)).toEqual({ mode: 'm'.repeat(32), open: 16, size: 16, promised: false, creator, fresh: true });
    expect(Buffer.byteLength(biggest.label)).toBeLessThan(256);
    expect(JSON.parse(initArena(testMode(), demoGame, ['a', 'b']).label)).toMatchObject({ creator: null, fresh: true });
  });

  it('a matchmaker match has a seat for every matched player, up to the most a match has', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
    expect(initArena(testMode({ seats: 2 }), demoGame, ids(3)).seats).toHaveLength(3);
    expect(initArena(testMode({ seats: 4 }), demoGame, ids(2)).seats).toHaveLength(4);
    const widest = initArena(testMode({ seats: 2 }), demoGame, ids(40));
    expect(widest.seats).toHaveLength(16);
    expect(widest.mode.seats).toBe(16);
    expect(initArena(testMode({ graceSec: 3, tickRate: 10 }), demoGame, null).graceTicks).toBe(30);
  });

  it('records seat index changes: taken, then released', () => {
    const w = new World();
    const a = w.enter('alice');
    w.leave(a.p, 'drop');
    w.step(40);
    expect(ofType(w.effects, 'seatIndex')).toEqual([
      { type: 'seatIndex', userId: 'alice', seat: 0 },
      { type: 'seatIndex', userId: 'alice', seat: null },
    ]);
  });

  it('never logs a token', () => {
    const w = new World();
    const a = w.enter('alice');
    w.leave(a.p, 'drop');
    const r = w.enter('alice', a.token as string);
    w.enter('alice', a.token as string);
    const logs = JSON.stringify(ofType(w.effects, 'log'));
    expect(logs).not.toContain(a.token);
    expect(logs).not.toContain(r.token);
    expect(logs).not.toContain(w.state.seats[0].tokenHash);
  });
});
