// The game hears of drops as they happen: seatDropped when a seat becomes reserved (with its
// deadline), seatResumed when its player is back in time, and seatFreed once when grace runs out.
import { describe, expect, it } from 'vitest';
import { makeCheckpoint, restoreCheckpoint } from '../../src/core/arena';
import { demoGame } from '../../src/core/demo-game';
import type { GameRules } from '../../src/core/game';
import { OpCode } from '../../src/protocol';
import { sends, sentTo, testMode, World } from './world';

type Heard = { hook: string; seat: number; deadline?: number | null; tick: number };

/** The demo game, recording every seat hook it is given (in its own state: state is JSON). */
function listening(): GameRules<{ demo: unknown; heard: Heard[] }> {
  return {
    ...(demoGame as GameRules<any>),
    init: (mode) => ({ demo: demoGame.init(mode), heard: [] }),
    seatTaken: () => [],
    applyAction: () => ({ ok: true, events: [] }),
    seatFreed: (g, seat, reason, tick) => {
      g.heard.push({ hook: `freed:${reason}`, seat, tick });
      return [{ type: 'freed', seat }];
    },
    seatDropped: (g, seat, deadline, tick) => {
      g.heard.push({ hook: 'dropped', seat, deadline, tick });
      return [{ type: 'reconnecting', seat, deadline }];
    },
    seatResumed: (g, seat, tick) => {
      g.heard.push({ hook: 'resumed', seat, tick });
      return [{ type: 'back', seat }];
    },
    view: (g) => g.heard,
    result: () => null,
  };
}

function world(): World {
  return new World(testMode({ graceSec: 3, tickRate: 10 }), null, undefined, listening());
}

const heard = (w: World): Heard[] => (w.state.game as { heard: Heard[] }).heard;

describe('drop and resume hooks', () => {
  it('a drop tells the game the seat and its deadline, and everyone still connected hears its events', () => {
    const w = world();
    const a = w.enter('a');
    const b = w.enter('b');
    w.step(5);
    const fx = w.leave(a.p, 'drop');
    expect(heard(w)).toEqual([{ hook: 'dropped', seat: 0, deadline: w.tick + 30, tick: w.tick }]);
    expect(sentTo(fx, b.p, OpCode.EVENT)).toEqual([expect.objectContaining({ type: 'reconnecting', seat: 0, deadline: w.tick + 30 })]);
  });

  it('a rejoin in time tells the game the player is back; the others hear it, the player gets its snapshot', () => {
    const w = world();
    const a = w.enter('a');
    const b = w.enter('b');
    w.leave(a.p, 'drop');
    w.step(10);
    const back = w.enter('a', a.token!);
    expect(back.decision.accept).toBe(true);
    expect(heard(w).map((h) => h.hook)).toEqual(['dropped', 'resumed']);
    expect(sentTo(back.fx, b.p, OpCode.EVENT)).toEqual([expect.objectContaining({ type: 'back', seat: 0 })]);
    expect(sentTo(back.fx, back.p, OpCode.EVENT)).toEqual([]);
    expect(sentTo(back.fx, back.p, OpCode.SNAPSHOT)[0].game).toEqual(heard(w));
  });

  it('a takeover of a seat that never dropped is no resume', () => {
    const w = world();
    const a = w.enter('a');
    w.enter('b');
    const again = w.enter('a', a.token!);
    expect(again.decision.accept).toBe(true);
    expect(heard(w)).toEqual([]);
  });

  it('a consented leave frees the seat without a drop', () => {
    const w = world();
    const a = w.enter('a');
    w.enter('b');
    w.leave(a.p, 'leave');
    expect(heard(w).map((h) => h.hook)).toEqual(['freed:left']);
  });

  it('grace running out frees the seat once, after the drop', () => {
    const w = world();
    const a = w.enter('a');
    w.enter('b');
    w.leave(a.p, 'drop');
    const fx = w.step(60);
    expect(heard(w).map((h) => h.hook)).toEqual(['dropped', 'freed:expired']);
    expect(sends(fx, OpCode.EVENT).filter((e) => e.type === 'freed')).toHaveLength(1);
  });

  it('a manual grace window drops with no deadline', () => {
    const w = new World(testMode({ graceSec: 'manual' }), null, undefined, listening());
    const a = w.enter('a');
    w.leave(a.p, 'drop');
    expect(heard(w)).toEqual([{ hook: 'dropped', seat: 0, deadline: null, tick: 0 }]);
  });

  it('a restore from a checkpoint tells the game every seat that was connected dropped at the restart', () => {
    const w = world();
    w.enter('a');
    const b = w.enter('b');
    w.leave(b.p, 'drop');
    const r = restoreCheckpoint(makeCheckpoint(w.state, 'm', w.tick, 0, true), 0, 60_000, listening());
    if (!r.ok) throw new Error(r.reason);
    const after = (r.state.game as { heard: Heard[] }).heard;
    expect(after.map((h) => `${h.hook}:${h.seat}`)).toEqual(['dropped:1', 'dropped:0']);
    expect(after[1]).toEqual({ hook: 'dropped', seat: 0, deadline: 30, tick: 0 });
  });
});
