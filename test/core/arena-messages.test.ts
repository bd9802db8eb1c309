import { describe, expect, it } from 'vitest';
import { AckResult, MessageError, OpCode, SeatReason } from '../../src/protocol';
import { ofType, sends, sentTo, World } from './world';

function pair() {
  const w = new World();
  const a = w.enter('alice');
  const b = w.enter('bob');
  return { w, a, b };
}

describe('actions', () => {
  it('applies each actionSeq at most once and acknowledges duplicates as duplicates', () => {
    const { w, a, b } = pair();
    const first = w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 5 });
    expect(sentTo(first, a.p, OpCode.ACK)).toEqual([{ actionSeq: 1, result: AckResult.APPLIED }]);
    expect(sentTo(first, b.p, OpCode.EVENT)).toEqual([expect.objectContaining({ type: 'scored', seat: 0, amount: 5, score: 5 })]);
    const again = w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 5 });
    expect(sentTo(again, a.p, OpCode.ACK)).toEqual([{ actionSeq: 1, result: AckResult.DUPLICATE }]);
    expect(sends(again, OpCode.EVENT)).toEqual([]);
    expect((w.state.game as any).seats[0].score).toBe(5);
  });

  it('treats any seq at or below the last processed as a duplicate, and gaps as fine', () => {
    const { w, a } = pair();
    w.send(a.p, OpCode.ACTION, { actionSeq: 5, type: 'add', amount: 1 });
    expect(sentTo(w.send(a.p, OpCode.ACTION, { actionSeq: 3, type: 'add', amount: 1 }), a.p, OpCode.ACK)[0].result).toBe('duplicate');
    expect(sentTo(w.send(a.p, OpCode.ACTION, { actionSeq: 9, type: 'add', amount: 1 }), a.p, OpCode.ACK)[0].result).toBe('applied');
    expect(w.state.seats[0].lastActionSeq).toBe(9);
  });

  it('acknowledges a game-refused action as rejected and counts it processed', () => {
    const { w, a } = pair();
    const fx = w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 11 });
    expect(sentTo(fx, a.p, OpCode.ACK)).toEqual([{ actionSeq: 1, result: AckResult.REJECTED, error: expect.stringMatching(/1 to 10/) }]);
    expect(w.state.seats[0].lastActionSeq).toBe(1);
    expect((w.state.game as any).seats[0].score).toBe(0);
  });

  it('keeps each player\'s sequence separately', () => {
    const { w, a, b } = pair();
    w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 2 });
    expect(sentTo(w.send(b.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 3 }), b.p, OpCode.ACK)[0].result).toBe('applied');
  });

  it('carries lastActionSeq across a rejoin so the client resends only what was not applied', () => {
    const { w, a } = pair();
    w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 2 });
    w.send(a.p, OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 3 });
    w.leave(a.p, 'drop');
    const r = w.enter('alice', a.token as string);
    const snap = sentTo(r.fx, r.p, OpCode.SNAPSHOT)[0];
    expect(snap.lastActionSeq).toBe(2);
    // The client had 2 and 3 in flight; it resends only 3.
    w.send(r.p, OpCode.ACTION, { actionSeq: 3, type: 'add', amount: 4 });
    expect((w.state.game as any).seats[0].score).toBe(9);
  });
});

describe('bad input', () => {
  it.each([
    ['not json', MessageError.BAD_JSON],
    ['[1,2]', MessageError.BAD_JSON],
    ['"str"', MessageError.BAD_JSON],
    ['x'.repeat(5000), MessageError.BAD_JSON],
    [{ type: 'add', amount: 1 }, MessageError.BAD_MESSAGE],
    [{ actionSeq: 0, type: 'add' }, MessageError.BAD_MESSAGE],
    [{ actionSeq: -3, type: 'add' }, MessageError.BAD_MESSAGE],
    [{ actionSeq: 1.5, type: 'add' }, MessageError.BAD_MESSAGE],
    [{ actionSeq: 1e300, type: 'add' }, MessageError.BAD_MESSAGE],
    [{ actionSeq: '1', type: 'add' }, MessageError.BAD_MESSAGE],
    [{ actionSeq: 1 }, MessageError.BAD_MESSAGE, 1],
    [{ actionSeq: 1, type: 'x'.repeat(33) }, MessageError.BAD_MESSAGE, 1],
  ])('answers %j with ERROR %s and changes nothing', (body, code, actionSeq?: number) => {
    const { w, a } = pair();
    const before = JSON.stringify(w.state);
    const fx = w.send(a.p, OpCode.ACTION, body);
    // An ERROR about an ACTION whose actionSeq could be read says which one it was.
    expect(sentTo(fx, a.p, OpCode.ERROR)).toEqual([actionSeq === undefined ? { code, message: expect.any(String) } : { code, message: expect.any(String), actionSeq }]);
    const after = JSON.parse(JSON.stringify(w.state));
    // Only the proof of life changes; the seat, game and sequence do not.
    after.seats[0].confirmed = false;
    expect(after).toEqual({ ...JSON.parse(before), seats: JSON.parse(before).seats });
  });

  it('answers an unknown op with unknown_op', () => {
    const { w, a } = pair();
    expect(sentTo(w.send(a.p, 77, {}), a.p, OpCode.ERROR)[0].code).toBe(MessageError.UNKNOWN_OP);
  });

  it('answers a sender with no seat with not_seated', () => {
    const { w } = pair();
    const ghost = w.presence('ghost');
    expect(sentTo(w.send(ghost, OpCode.ACTION, { actionSeq: 7, type: 'add', amount: 1 }), ghost, OpCode.ERROR)).toEqual([{ code: MessageError.NOT_SEATED, message: expect.any(String), actionSeq: 7 }]);
    expect(sentTo(w.send(ghost, OpCode.RESYNC, {}), ghost, OpCode.ERROR)).toEqual([{ code: MessageError.NOT_SEATED, message: expect.any(String) }]);
  });

  it('answers an ACTION sent in the same tick after the sender QUIT with not_seated and its actionSeq', () => {
    const { w, a, b } = pair();
    const fx = w.loop([
      { p: a.p, opCode: OpCode.QUIT, body: {} },
      { p: a.p, opCode: OpCode.ACTION, body: { actionSeq: 4, type: 'add', amount: 1 } },
    ]);
    expect(sentTo(fx, a.p, OpCode.ERROR)).toEqual([{ code: MessageError.NOT_SEATED, message: expect.any(String), actionSeq: 4 }]);
    expect(sentTo(fx, b.p, OpCode.EVENT).filter((e) => e.type === 'scored')).toEqual([]);
  });

  it('refuses game actions with out-of-range values', () => {
    const { w, a } = pair();
    const acks = [
      { actionSeq: 1, type: 'move', dx: 5, dy: 0 },
      { actionSeq: 2, type: 'move', dx: -1, dy: 0 },
      { actionSeq: 3, type: 'add', amount: Number.MAX_SAFE_INTEGER },
      { actionSeq: 4, type: 'fly' },
    ].map((m) => sentTo(w.send(a.p, OpCode.ACTION, m), a.p, OpCode.ACK)[0]);
    expect(acks.map((x) => x.result)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect((w.state.game as any).seats[0]).toMatchObject({ score: 0, x: 0, y: 0 });
  });
});

describe('resync and quit', () => {
  it('RESYNC answers a fresh snapshot without a token, the last one staying valid', () => {
    const { w, a } = pair();
    w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 4 });
    const snap = sentTo(w.send(a.p, OpCode.RESYNC, {}), a.p, OpCode.SNAPSHOT)[0];
    expect(snap).toMatchObject({ token: null, resumed: false, lastActionSeq: 1, seq: w.state.seq });
    expect(snap.game.seats[0].score).toBe(4);
    w.leave(a.p, 'drop');
    expect(w.enter('alice', a.token as string).decision.accept).toBe(true);
  });

  it('QUIT frees the seat at once, revokes the token and removes the presence', () => {
    const { w, a, b } = pair();
    const fx = w.send(a.p, OpCode.QUIT, {});
    expect(w.state.seats[0].status).toBe('free');
    expect(sentTo(fx, b.p, OpCode.SEAT)[0]).toMatchObject({ reason: SeatReason.LEFT, seat: 0 });
    // The quitter hears the same SEAT `left` before it is removed: its QUIT was taken.
    expect(sentTo(fx, a.p, OpCode.SEAT)).toEqual(sentTo(fx, b.p, OpCode.SEAT));
    const order = fx.filter((e) => e.type === 'kick' || (e.type === 'send' && e.op === OpCode.SEAT)).map((e) => e.type);
    expect(order).toEqual(['send', 'kick']);
    expect(ofType(fx, 'kick')).toEqual([{ type: 'kick', presence: a.p }]);
    expect(w.enter('alice', a.token as string).decision).toMatchObject({ accept: false, reason: 'seat_lost' });
    // Its leave, arriving after the kick, is stale.
    expect(w.leave(a.p, 'leave').filter((e) => e.type === 'send')).toEqual([]);
  });
});

describe('sequence numbers', () => {
  /** What one client sees: its snapshot's seq, then the seq of each broadcast after it. */
  function stream(w: World, sessionId: string): number[] {
    const out: number[] = [];
    for (const e of w.effects) {
      if (e.type !== 'send' || !e.to.some((t) => t.sessionId === sessionId)) continue;
      if (e.op === OpCode.SNAPSHOT) out.length = 0;
      if ([OpCode.SNAPSHOT, OpCode.SEAT, OpCode.EVENT, OpCode.END].includes(e.op as 1)) out.push((JSON.parse(e.data) as { seq: number }).seq);
    }
    return out;
  }

  it('gives every client a gap-free run of broadcasts after its snapshot', () => {
    const { w, a, b } = pair();
    w.send(a.p, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 1 });
    w.send(b.p, OpCode.ACTION, { actionSeq: 1, type: 'move', dx: 1, dy: 1 });
    w.leave(a.p, 'drop');
    const r = w.enter('alice', a.token as string);
    w.send(r.p, OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 2 });
    w.send(b.p, OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 2 });
    for (const p of [b.p, r.p]) {
      const seen = stream(w, p.sessionId);
      expect(seen.length).toBeGreaterThan(2);
      expect(seen).toEqual(seen.map((_, i) => seen[0] + i));
    }
    // Broadcast numbers are unique and consecutive across the match.
    const all = [...new Set(sends(w.effects, OpCode.SEAT).concat(sends(w.effects, OpCode.EVENT)).map((m) => m.seq))].sort((x, y) => x - y);
    expect(all.at(-1)).toBe(w.state.seq);
    expect(sentTo(r.fx, r.p, OpCode.SNAPSHOT)[0].seq).toBe(sends(r.fx, OpCode.SEAT)[0].seq);
  });
});
