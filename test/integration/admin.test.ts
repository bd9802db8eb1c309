// Operator RPCs against the real server: called server to server with the http key (no user),
// refused with a user session.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, expectRpcError, rpc } from './harness/client';
import { table } from './harness/table';
import { checkTokensNeverLogged } from './harness/tokens';
import { NEEDS_DATABASE, sql, suiteDatabaseUrl } from './harness/db';

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

describe('operator sweep', () => {
  it.skipIf(!suiteDatabaseUrl)(`removes checkpoints nobody can restore and stale restore records, keeps a live match's (${NEEDS_DATABASE})`, async () => {
    // A live match with a player holds a checkpoint the test modes renew every second.
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    const system = '00000000-0000-0000-0000-000000000000';
    const stored = (collection: string) => sql(`SELECT key FROM storage WHERE user_id = '${system}' AND collection = '${collection}' ORDER BY key`).split('\n').filter((k) => k !== '');
    const deadline = Date.now() + 10_000;
    while (!stored('rejoin_checkpoint').includes(matchId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(stored('rejoin_checkpoint')).toContain(matchId);
    const plant = (collection: string, key: string, value: object) =>
      sql(`INSERT INTO storage (collection, key, user_id, value, version, read, write) VALUES ('${collection}', '${key}', '${system}', '${JSON.stringify(value)}', md5(random()::text), 0, 0)`);
    const hoursAgo = (h: number) => Date.now() - h * 3600_000;
    plant('rejoin_checkpoint', 'sweep-orphan', { v: 1, matchId: 'sweep-orphan', savedTick: 5, savedAtMs: hoursAgo(3), final: false, leaseMs: 3000, state: {} });
    plant('rejoin_checkpoint', 'sweep-garbage', { not: 'a checkpoint' });
    plant('rejoin_restore', 'sweep-old-restore', { newMatchId: matchId, at: hoursAgo(72) });
    plant('rejoin_restore', 'sweep-new-restore', { newMatchId: matchId, at: Date.now() });
    let cursor: string | null = null;
    let removed = 0;
    for (let i = 0; i < 20; i++) {
      const r = await operator('rejoin_admin_sweep', cursor === null ? { limit: 1 } : { limit: 1, cursor });
      expect(r.status).toBe(200);
      removed += r.json.checkpointsRemoved + r.json.restoresRemoved;
      cursor = r.json.cursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(removed).toBeGreaterThanOrEqual(3);
    expect(stored('rejoin_checkpoint')).toContain(matchId);
    expect(stored('rejoin_checkpoint')).not.toContain('sweep-orphan');
    expect(stored('rejoin_checkpoint')).not.toContain('sweep-garbage');
    expect(stored('rejoin_restore')).toEqual(expect.arrayContaining(['sweep-new-restore']));
    expect(stored('rejoin_restore')).not.toContain('sweep-old-restore');
    // The live match goes on as before.
    alice.conn.proxy!.cutAll();
    expect(await bob.conn.inbox.next(OpCode.SEAT, { where: (m) => m.reason === 'dropped' })).toMatchObject({ seat: alice.snapshot.you.seat });
  });
});
