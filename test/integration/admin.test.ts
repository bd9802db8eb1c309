// Operator RPCs against the real server: called server to server with the http key (no user),
// refused with a user session.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, expectRpcError, rpc } from './harness/client';
import { table } from './harness/table';
import { checkTokensNeverLogged } from './harness/tokens';

checkTokensNeverLogged();
const open = closesAfterEach();

const base = process.env.NAKAMA_URL ?? 'http://127.0.0.1:7350';
const httpKey = process.env.NAKAMA_HTTP_KEY ?? 'defaulthttpkey';

/** A server-to-server call: the http key, a raw JSON body (`unwrap`), no session. */
async function operator(id: string, body: object): Promise<{ status: number; json: any }> {
  const r = await fetch(`${base}/v2/rpc/${id}?http_key=${encodeURIComponent(httpKey)}&unwrap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}

describe('operator RPCs', () => {
  it('list seats, free a reserved seat, end the match; never for a player', async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    await expectRpcError(rpc(alice.player, 'rejoin_admin_seats', { matchId }), { status: 403, code: 7, message: /server to server only/ });
    alice.conn.proxy!.cutAll();
    await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' });
    const seats = await operator('rejoin_admin_seats', { matchId });
    expect(seats.status).toBe(200);
    const aliceSeat = alice.snapshot.you.seat;
    expect(seats.json.seats[aliceSeat]).toMatchObject({ status: 'reserved', userId: alice.player.userId });
    expect(typeof seats.json.seats[aliceSeat].deadlineTick).toBe('number');
    const released = await operator('rejoin_admin_release', { matchId, seat: aliceSeat });
    expect(released.json.seats[aliceSeat]).toEqual({ seat: aliceSeat, userId: null, status: 'free' });
    expect(await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.status === 'free' })).toMatchObject({ seat: aliceSeat });
    const ended = await operator('rejoin_admin_end', { matchId, reason: 'integration test' });
    expect(ended.status).toBe(200);
    expect(await bob.conn.inbox.next(OpCode.END)).toMatchObject({ reason: 'operator' });
    expect((await operator('rejoin_admin_seats', { matchId })).status).toBeGreaterThanOrEqual(400);
  });
});
