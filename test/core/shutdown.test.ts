// A graceful shutdown freezes the match at its checkpoint. The server keeps calling the match
import { demoGame } from '../../src/core/demo-game';
// until its grace period ends; whatever happens then must not diverge from the checkpoint the
// restored match starts from.
import { describe, expect, it } from 'vitest';
import { makeCheckpoint, restoreCheckpoint } from '../../src/core/arena';
import { MessageError, OpCode, RejectReason } from '../../src/protocol';
import { ofType, sentTo, testMode, World } from './world';

function frozenGame() {
  const w = new World(testMode({ graceSec: 3, checkpointSec: 1 }));
  const a = w.enter('alice');
  const b = w.enter('bob');
  w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 5 });
  w.leave(b.p, 'drop'); // bob reserved until tick 30
  w.step(10);
  const checkpoint = makeCheckpoint(w.state, 'old.node', w.tick, 0, true);
  const fx = w.freeze();
  return { w, a, b, checkpoint, fx };
}

describe('frozen for shutdown', () => {
  it('stops the clock: no expiry, no game tick, no round end, no periodic checkpoint', () => {
    const { w } = frozenGame();
    const before = JSON.stringify(w.state.game);
    const fx = w.step(w.state.roundEndTick + 100);
    expect(w.state.seats[1]).toMatchObject({ status: 'reserved', userId: 'bob', deadline: 30 });
    expect(w.state.ended).toBeNull();
    expect(JSON.stringify(w.state.game)).toBe(before);
    expect(ofType(fx, 'checkpoint')).toHaveLength(0);
    expect(ofType(fx, 'send')).toHaveLength(0);
  });

  it('advertises no open seat', () => {
    const w = new World(testMode({ seats: 3 }));
    w.enter('alice');
    const fx = w.freeze();
    expect(JSON.parse(w.state.label).open).toBe(0);
    expect(ofType(fx, 'label')).toHaveLength(1);
  });

  it('applies no action and takes no quit: the sender hears server_stopping and keeps its action', () => {
    const { w, a } = frozenGame();
    const act = w.send(a.p, OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 1 });
    expect(sentTo(act, a.p, OpCode.ACK)).toHaveLength(0);
    expect(sentTo(act, a.p, OpCode.ERROR)[0]).toMatchObject({ code: MessageError.SERVER_STOPPING });
    expect(w.state.seats[0].lastActionSeq).toBe(1);
    const quit = w.send(a.p, OpCode.QUIT, {});
    expect(sentTo(quit, a.p, OpCode.ERROR)[0]).toMatchObject({ code: MessageError.SERVER_STOPPING });
    expect(ofType(quit, 'seatIndex')).toHaveLength(0);
    expect(w.state.seats[0]).toMatchObject({ status: 'connected', userId: 'alice' });
  });

  it('still answers RESYNC with a snapshot that hands out no token', () => {
    const { w, a } = frozenGame();
    const snap = sentTo(w.send(a.p, OpCode.RESYNC, {}), a.p, OpCode.SNAPSHOT)[0];
    expect(snap).toMatchObject({ token: null, lastActionSeq: 1 });
  });

  it('refuses joins and rejoins as server_stopping, and leaves change nothing', () => {
    const { w, a, b } = frozenGame();
    expect(w.enter('carol').decision).toMatchObject({ accept: false, reason: RejectReason.SERVER_STOPPING });
    expect(w.enter('bob', b.token as string).decision).toMatchObject({ accept: false, reason: RejectReason.SERVER_STOPPING });
    const fx = w.leave(a.p, 'drop');
    expect(fx).toHaveLength(0);
    expect(w.state.seats[0].status).toBe('connected');
  });

  it('removes a presence whose attempt was accepted just before the freeze', () => {
    const w = new World(testMode());
    const p = w.presence('alice');
    expect(w.attempt(p).accept).toBe(true);
    w.freeze();
    const fx = w.joined(p);
    expect(ofType(fx, 'kick').map((k) => k.presence.sessionId)).toEqual([p.sessionId]);
    expect(w.state.seats.every((s) => s.status === 'free')).toBe(true);
  });

  it('hands out no token through session_resume (it would not be in the checkpoint)', () => {
    const { w } = frozenGame();
    expect(w.reissue('alice')).toEqual({ ok: false, reason: 'stopping' });
  });

  it('leaves the checkpoint the whole truth: the restored match runs again', () => {
    const { checkpoint } = frozenGame();
    const r = restoreCheckpoint(checkpoint, 0, 60_000, demoGame);
    if (!r.ok) throw new Error(r.reason);
    expect(r.state.stopping).toBeNull();
    expect(r.state.seats[0].lastActionSeq).toBe(1);
    expect(JSON.parse(r.state.label).open).toBe(0);
  });
});
