// The cards example against a real Nakama, from outside: its own bundle (the package installed
// from its tarball), and players on the package's client. Run by the repository's integration
// suite, which lends it the harness that starts a server in a fresh database.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Client } from '@heroiclabs/nakama-js';
import { MemoryTokenStore, RejoinClient, type RejoinEvents } from 'nakama-rejoin/client';
import { AckResult, SeatReason } from 'nakama-rejoin/protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../../tools/fault-proxy';
import { startServer } from '../../../tools/nakama-server.mjs';

// nakama-js expects browser globals: a WebSocket, and `window` on its heartbeat path.
(globalThis as any).WebSocket ??= WebSocket;
(globalThis as any).window ??= globalThis;

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const MODES = JSON.stringify(JSON.parse(readFileSync(here('../modes.json'), 'utf8')));
const bin = process.env.NAKAMA_BIN_FOUND;
if (!bin) console.log('cards example: SKIPPED, it starts a server of its own and needs a nakama binary (NAKAMA_BIN or PATH)');

let server: Awaited<ReturnType<typeof startServer>> | null = null;
let port = 0;
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  if (!bin) return;
  server = await startServer(bin, { moduleFile: here('../build/index.js'), logPrefix: 'cards', extraArgs: ['--runtime.env', `REJOIN_MODES=${MODES}`] });
  port = Number(new URL(server.url).port);
}, 60_000);

afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await server?.stop();
});

interface Player {
  rc: RejoinClient;
  proxy: FaultProxy;
  seen: { [K in 'seat' | 'event' | 'resumed' | 'ended' | 'ack']: RejoinEvents[K][] };
}

/** A signed-in player on the package's client, its socket through a proxy that can cut it. */
async function player(): Promise<Player> {
  const client = new Client('defaultkey', '127.0.0.1', String(port), false, 10_000);
  const session = await client.authenticateCustom(`cards-${randomUUID()}`, true);
  const proxy = await FaultProxy.start({ host: '127.0.0.1', port });
  const rc = new RejoinClient({
    client,
    session,
    socketClient: new Client('defaultkey', '127.0.0.1', String(proxy.port), false, 10_000),
    store: new MemoryTokenStore(),
    rpcPrefix: 'cards_',
    heartbeatMs: 1000,
    connectTimeoutMs: 1000,
    backoff: { baseMs: 100, maxMs: 500 },
  });
  const seen: Player['seen'] = { seat: [], event: [], resumed: [], ended: [], ack: [] };
  for (const k of Object.keys(seen) as (keyof Player['seen'])[]) rc.on(k, (x: any) => (seen[k] as any[]).push(x));
  cleanup.push(() => proxy.close(), () => rc.close());
  return { rc, proxy, seen };
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Alice and Bob at one table of `mode`: Alice in seat 0, whose turn it is first. */
async function table(mode: string) {
  const alice = await player();
  const bob = await player();
  const aliceSnap = await alice.rc.findMatch(mode);
  const bobSnap = await bob.rc.joinMatch(alice.rc.matchId!);
  expect(aliceSnap.you.seat).toBe(0);
  await until('the first turn', () => alice.seen.event.find((e) => e.type === 'turn' && e.seat === 0));
  return { alice, bob, aliceHand: (aliceSnap.game as { hand: number[] }).hand, bobHand: (bobSnap.game as { hand: number[] }).hand };
}

describe.skipIf(!bin)('cards example on a real Nakama, from the packed package', () => {
  it('a player who drops on its turn is shown reconnecting and its turn passes on; back, it sees its own hand only', async () => {
    const { alice, bob, aliceHand, bobHand } = await table('cards');

    alice.proxy.blackhole({ newConnections: true });
    const dropped = await until('alice dropped', () => bob.seen.seat.find((m) => m.seat === 0 && m.reason === SeatReason.DROPPED));
    // Two hours of grace at one tick a second.
    expect(dropped.deadlineTick! - dropped.tick).toBe(7200);
    const reconnecting = await until('the drop hook', () => bob.seen.event.find((e) => e.type === 'reconnecting'));
    expect(reconnecting).toMatchObject({ seat: 0, deadline: dropped.deadlineTick });
    expect(bob.seen.event.find((e) => e.type === 'turn_passed')).toMatchObject({ from: 0, to: 1, reason: 'dropped' });

    // The table does not wait for Alice: Bob plays.
    bob.rc.sendAction({ type: 'play', card: bobHand[0] });
    expect(await until('bob ack', () => bob.seen.ack[0])).toMatchObject({ result: AckResult.APPLIED });

    alice.proxy.heal();
    const resumed = await until('alice back', () => alice.seen.resumed[0], 30_000);
    const game = resumed.snapshot.game as Record<string, unknown>;
    expect(game.hand).toEqual(aliceHand);
    expect(game.handSizes).toEqual([5, 4]);
    // Only counts of the other seat's cards, never the cards.
    expect(Object.keys(game).sort()).toEqual(['away', 'hand', 'handSizes', 'out', 'pile', 'scores', 'turn']);
    expect(JSON.stringify(game)).not.toContain(JSON.stringify(bobHand.slice(1)));
    expect(JSON.stringify(bob.rc.lastSnapshot?.game)).not.toContain(JSON.stringify(aliceHand));
    expect(await until('back event', () => bob.seen.event.find((e) => e.type === 'back'))).toMatchObject({ seat: 0 });
  });

  it('when the grace window runs out the seat is freed once, and the game ends for the one left', async () => {
    const { alice, bob } = await table('cards_quick');
    alice.proxy.blackhole({ newConnections: true });
    await until('alice dropped', () => bob.seen.seat.find((m) => m.seat === 0 && m.reason === SeatReason.DROPPED));
    const ended = await until('the end', () => bob.seen.ended[0], 20_000);
    expect(ended.result).toMatchObject({ out: [true, false], winner: 1 });
    // Give a second expiry every chance to show up.
    await new Promise((r) => setTimeout(r, 1500));
    expect(bob.seen.seat.filter((m) => m.seat === 0 && m.reason === SeatReason.EXPIRED)).toHaveLength(1);
    expect(bob.seen.event.filter((e) => e.type === 'seat_out')).toEqual([expect.objectContaining({ seat: 0, reason: 'expired' })]);
  });
});
