// What a client written from docs/protocol.md alone meets at the edges, against the real server:
// a seat taken over by another device, a QUIT, refused actions, a join into an ended match, RPC
// errors over the realtime socket and over HTTP, and the counters a fresh seat starts from.
import { describe, expect, it } from 'vitest';
import { EndReason, MessageError, OpCode, rpcErrorReason, RpcErrorReason } from '../../src/protocol';
import { closesAfterEach, type Conn, connect, newUser, rpc, rpcRaw, SERVER_KEY, sleep } from './harness/client';
import { checkErrorLines } from './harness/log';
import { act, seat, table } from './harness/table';
import { checkTokensNeverLogged } from './harness/tokens';

checkTokensNeverLogged();
checkErrorLines({ allowLostRaces: true });
const open = closesAfterEach();
function track<T extends { conn: Conn }>(x: T): T {
  open.push(x.conn);
  return x;
}
const base = new URL(process.env.NAKAMA_URL ?? 'http://127.0.0.1:7350').origin;

/** An RPC over the realtime socket; its failure as the server sends it there. */
async function socketRpcError(c: Conn, id: string, payload: object): Promise<{ code: number; message: string }> {
  try {
    await c.socket.rpc(id, JSON.stringify(payload));
  } catch (e) {
    return e as { code: number; message: string };
  }
  throw new Error(`expected ${id} to fail`);
}

describe('a seat taken over by another device', () => {
  it('the replaced socket gets END taken_over before it is removed, and nothing it sends afterwards counts', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    // Both of alice's sockets are alive: a second device, not a dead link.
    const other = track(await seat(alice.player, matchId, { token: alice.token }));
    expect(other.snapshot).toMatchObject({ resumed: true, you: alice.snapshot.you });
    const end = await alice.conn.inbox.next(OpCode.END);
    expect(end).toEqual({ seq: expect.any(Number), tick: expect.any(Number), reason: EndReason.TAKEN_OVER, result: null });
    // Its seq follows the last broadcast this socket had (bob's SEAT joined).
    const lastSeen = Math.max(alice.snapshot.seq, ...alice.conn.inbox.of(OpCode.SEAT).map((m) => m.seq));
    expect(end.seq).toBe(lastSeen + 1);
    // The match goes on without it: its actions reach nobody.
    alice.conn.send(matchId, OpCode.ACTION, { actionSeq: 1, type: 'add', amount: 5 });
    expect((await act(other, matchId, { actionSeq: 2, type: 'add', amount: 1 })).result).toBe('applied');
    await sleep(300);
    const scored = bob.conn.inbox.of(OpCode.EVENT).filter((e) => e.type === 'scored');
    expect(scored.map((e) => e.amount)).toEqual([1]);
    expect(alice.conn.inbox.of(OpCode.ACK)).toEqual([]);
    // Others saw a resume, not a drop.
    expect(bob.conn.inbox.of(OpCode.SEAT).map((m) => m.reason)).toEqual(['resumed']);
  });
});

describe('QUIT and refused actions', () => {
  it('the quitter hears its own SEAT left, the same message everyone gets', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    alice.conn.send(matchId, OpCode.QUIT, {});
    const mine = await alice.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'left' });
    expect(mine).toMatchObject({ seat: alice.snapshot.you.seat, userId: alice.player.userId, status: 'free', reason: 'left' });
    expect(await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'left' })).toEqual(mine);
  });

  it('an ACTION read after its session QUIT gets ERROR not_seated with its actionSeq', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    // One batch: both reach the same tick, the QUIT first.
    alice.conn.send(matchId, OpCode.QUIT, {});
    alice.conn.send(matchId, OpCode.ACTION, { actionSeq: 9, type: 'add', amount: 1 });
    expect(await alice.conn.inbox.next(OpCode.ERROR)).toEqual({ code: MessageError.NOT_SEATED, message: expect.any(String), actionSeq: 9 });
  });

  it('ERROR about an ACTION carries its actionSeq; a game refusal is ACK rejected and counts as processed', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    alice.conn.send(matchId, OpCode.ACTION, { actionSeq: 1, type: '' });
    expect(await alice.conn.inbox.next(OpCode.ERROR)).toEqual({ code: MessageError.BAD_MESSAGE, message: expect.any(String), actionSeq: 1 });
    expect(await act(alice, matchId, { actionSeq: 2, type: 'add', amount: 11 })).toEqual({ actionSeq: 2, result: 'rejected', error: expect.any(String) });
    // An unreadable actionSeq cannot be named.
    alice.conn.send(matchId, OpCode.ACTION, { actionSeq: 0, type: 'add', amount: 1 });
    expect(await alice.conn.inbox.next(OpCode.ERROR, { where: (e) => e.actionSeq === undefined })).toMatchObject({ code: MessageError.BAD_MESSAGE });
    // The ERROR used no actionSeq, the rejection did: 1 may still be sent, 2 is a duplicate.
    expect((await act(alice, matchId, { actionSeq: 2, type: 'add', amount: 1 })).result).toBe('duplicate');
  });
});

describe('counters a client keeps', () => {
  it('a RESYNC SNAPSHOT has resumed false and no token; a fresh join after leaving starts lastActionSeq at 0', async () => {
    const { matchId, alice, bob } = await table();
    [alice, bob].forEach(track);
    expect((await act(alice, matchId, { actionSeq: 3, type: 'add', amount: 1 })).result).toBe('applied');
    alice.conn.send(matchId, OpCode.RESYNC, {});
    expect(await alice.conn.inbox.next(OpCode.SNAPSHOT, { where: (s) => s.token === null })).toMatchObject({ resumed: false, token: null, lastActionSeq: 3 });
    alice.conn.send(matchId, OpCode.QUIT, {});
    await alice.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'left' });
    const again = track(await seat(alice.player, matchId));
    expect(again.snapshot).toMatchObject({ resumed: false, lastActionSeq: 0 });
    expect((await act(again, matchId, { actionSeq: 1, type: 'add', amount: 1 })).result).toBe('applied');
  });
});

describe('a join into a match that has ended', () => {
  it('is refused by Nakama itself (code 4, "Match not found"); session_resume says how it ended', async () => {
    const { matchId, alice, bob } = await table('e2e_round');
    [alice, bob].forEach(track);
    expect(await alice.conn.inbox.next(OpCode.END, { timeoutMs: 10_000 })).toMatchObject({ reason: EndReason.ROUND_OVER });
    await sleep(300);
    const c = await connect(alice.player);
    open.push(c);
    let err: unknown = null;
    try {
      await c.socket.joinMatch(matchId, undefined, { token: alice.token });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 4, message: 'Match not found' });
    expect(await rpc(alice.player, 'session_resume', {})).toMatchObject({ status: 'ended', matchId, reason: EndReason.ROUND_OVER });
  });
});

describe('RPC errors by transport', () => {
  it('over the realtime socket every module error is code 7; the message starts with its reason', async () => {
    const p = await newUser('sock');
    const c = await connect(p);
    open.push(c);
    const conflictKey = `edge-${Date.now()}`;
    await rpc(p, 'shop_purchase', { idempotencyKey: conflictKey, itemId: 'potion', quantity: 1 });
    const cases: [string, object, string][] = [
      ['match_create', { mode: 'nope' }, RpcErrorReason.MODE_UNKNOWN],
      ['shop_purchase', { idempotencyKey: conflictKey, itemId: 'potion', quantity: 2 }, RpcErrorReason.IDEMPOTENCY_CONFLICT],
      ['shop_purchase', { idempotencyKey: 'bad', itemId: 'potion', quantity: 1 }, RpcErrorReason.IDEMPOTENCY_KEY_INVALID],
      ['shop_purchase', { idempotencyKey: `${conflictKey}-2`, itemId: 'gem', quantity: 10 }, RpcErrorReason.INSUFFICIENT_FUNDS],
    ];
    for (const [id, payload, reason] of cases) {
      const e = await socketRpcError(c, id, payload);
      expect(e.code, id).toBe(7);
      expect(rpcErrorReason(e.message), e.message).toBe(reason);
    }
    // A payload that is not an object: the same reason over either transport.
    const e = await socketRpcError(c, 'match_create', [1]);
    expect(rpcErrorReason(e.message)).toBe(RpcErrorReason.PAYLOAD_INVALID);
    const http = await rpcRaw(p, 'match_create', '[1]');
    expect(http.status).toBe(400);
    expect(http.body).toMatchObject({ code: 3 });
    expect(rpcErrorReason(http.body.message)).toBe(RpcErrorReason.PAYLOAD_INVALID);
  });

  it('over HTTP the body is a JSON string, or the raw object with ?unwrap; the server key signs clients in', async () => {
    const p = await newUser('http');
    const headers = { authorization: `Bearer ${p.session.token}`, 'content-type': 'application/json' };
    const raw = await fetch(`${base}/v2/rpc/match_find`, { method: 'POST', headers, body: JSON.stringify({ mode: 'casual' }) });
    expect(raw.status).toBe(400);
    const wrapped = await fetch(`${base}/v2/rpc/match_find`, { method: 'POST', headers, body: JSON.stringify(JSON.stringify({ mode: 'casual' })) });
    expect(wrapped.status).toBe(200);
    expect(JSON.parse(((await wrapped.json()) as { payload: string }).payload)).toMatchObject({ matchId: expect.any(String) });
    const unwrapped = await fetch(`${base}/v2/rpc/match_find?unwrap`, { method: 'POST', headers, body: JSON.stringify({ mode: 'casual' }) });
    expect(unwrapped.status).toBe(200);
    expect(await unwrapped.json()).toMatchObject({ matchId: expect.any(String) });
    const auth = (key: string) =>
      fetch(`${base}/v2/account/authenticate/device?create=true`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: `edge-device-${Date.now()}` }),
      });
    expect((await auth('not-the-server-key')).status).toBe(401);
    expect((await auth(SERVER_KEY)).status).toBe(200);
  });
});

describe('creation limit under a burst', () => {
  it('a burst of match_create by one user never leaves more than maxOpen matches nobody joined', async () => {
    const a = await newUser('burst');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => a.client.rpc(a.session, 'match_create', { mode: 'casual' })));
    const made = results.filter((r) => r.status === 'fulfilled').length;
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThanOrEqual(3);
    // In a row, the way the listing could not keep up with: still at most 3 waiting in all.
    for (let i = made; i < 5; i++) await a.client.rpc(a.session, 'match_create', { mode: 'casual' }).catch(() => undefined);
    await sleep(1500);
    const list = await a.client.listMatches(a.session, 100, true, undefined, undefined, undefined, `+label.creator:${a.userId} +label.fresh:T`);
    expect((list.matches ?? []).length).toBe(3);
  });
});
