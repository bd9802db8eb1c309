// Client side of the Colyseus rejoin benchmark. The caller starts server.mjs in its own process
// and passes a proxy factory; every connection of the player whose link gets cut (matchmaking
// HTTP and WebSocket alike) goes through that proxy, the same as on the Nakama side. The SDK's
// automatic reconnection is switched off on every room: a rejoin is the documented manual one,
// `client.reconnect(token)`, started at a known instant, so it is timed from that call.
//
//   firstJoinMs: starting `create` until the new room's full state is decoded (includes creating
//                the room, one HTTP round trip, the WebSocket handshake and the join ack).
//   rejoinMs:    calling `client.reconnect(token)` until the new Room's full state is decoded
//                (HTTP seat reservation on a fresh TCP connection, new WebSocket, join ack).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@colyseus/sdk';

const HOST = '127.0.0.1';
const STEP_TIMEOUT_MS = 10_000;
const WARMUP_REJOINS = 5;

/**
 * @param {{ port: number, tickRate: number, rounds: number,
 *   proxyFactory: (targetPort: number) => Promise<{ port: number, cutAll(): void, close(): Promise<void> | void }>,
 *   firstJoins?: number }} opts
 *   rounds = rejoins to time; firstJoins = fresh rooms (one first-join sample each, default 200),
 *   the rejoins being spread evenly across those rooms.
 */
export async function measureColyseus({ port, tickRate, rounds, proxyFactory, firstJoins = 200 }) {
  const ctx = { port, tickRate, proxyFactory };
  await runRoom(ctx, 'warmup', WARMUP_REJOINS, null);
  const out = { firstJoinMs: [], rejoinMs: [] };
  const rooms = Math.max(1, firstJoins);
  for (let r = 0; r < rooms; r++) {
    const rejoins = Math.floor(rounds / rooms) + (r < rounds % rooms ? 1 : 0);
    await runRoom(ctx, r, rejoins, out);
  }
  return { ...out, versions: versions() };
}

/** One fresh room: a timed first join, then `rejoins` cut-and-reconnect cycles of the same seat. */
async function runRoom({ port, tickRate, proxyFactory }, tag, rejoins, out) {
  const proxy = await proxyFactory(port);
  // A fresh Client per proxy. The SDK's HTTP goes through Node's fetch, whose keep-alive pool is
  // per origin: each room's proxy has a port of its own, so no socket from an earlier room is reused.
  const cut = new Client(`ws://${HOST}:${proxy.port}`);
  const watcher = new Client(`ws://${HOST}:${port}`);
  const userId = `cut-${tag}`;
  let mine;
  let other;
  try {
    const t0 = performance.now();
    mine = manual(await cut.create('arena', { tickRate, userId }));
    await fullState(mine);
    const firstJoin = performance.now() - t0;

    other = manual(await watcher.joinById(mine.roomId, { tickRate, userId: `watch-${tag}` }));
    await fullState(other);
    const seat = mine.state.seats.findIndex((s) => s.userId === userId);
    let score = 0;

    for (let i = 0; i < rejoins; i++) {
      mine.send('add', { amount: 1 });
      score += 1;
      // Same connection, so the answer comes after 'add' was applied: nothing is in flight at the cut.
      const held = await ask(mine);
      if (held[seat].score !== score) throw new Error(`score ${held[seat].score} before cut, expected ${score}`);

      const dropped = new Promise((resolve) => mine.onLeave(resolve));
      proxy.cutAll();
      await timed(dropped, 'client to notice the cut');
      // Ask the server over the other player's link until its onLeave has run (seat marked
      // disconnected, allowReconnection armed), so reconnect never races it.
      await timed(untilDisconnected(other, seat), 'server to register the drop');

      const s0 = performance.now();
      mine = manual(await cut.reconnect(mine.reconnectionToken));
      await fullState(mine);
      const rejoin = performance.now() - s0;

      const s = mine.state.seats[seat];
      if (s.userId !== userId || s.connected !== true || s.score !== score) {
        throw new Error(`after rejoin seat ${seat} is ${JSON.stringify(s.toJSON())}, expected score ${score}`);
      }
      out?.rejoinMs.push(rejoin);
    }
    out?.firstJoinMs.push(firstJoin);
  } finally {
    await Promise.allSettled([leave(mine), leave(other)]);
    await proxy.close();
  }
}

/** The SDK would otherwise retry on its own after a drop (with a backoff), racing the timed reconnect. */
function manual(room) {
  room.reconnection.enabled = false;
  return room;
}

/** Resolves when the room's first full state has been decoded (the join ack is answered with it). */
function fullState(room) {
  // Must be registered in the same tick the join/reconnect promise resolved: the state cannot
  // arrive earlier, since the server only sends it after the client's ack to JOIN_ROOM.
  return timed(new Promise((resolve) => room.onStateChange.once(resolve)), 'full state');
}

/** Asks the server what it holds for every seat right now (see the 'status' probe in server.mjs). */
function ask(room) {
  return timed(
    new Promise((resolve) => {
      const off = room.onMessage('status', (seats) => {
        off();
        resolve(seats);
      });
      room.send('status');
    }),
    'status reply',
  );
}

async function untilDisconnected(room, seat) {
  while ((await ask(room))[seat].connected) await new Promise((r) => setTimeout(r, 1));
}

async function leave(room) {
  if (room?.connection?.isOpen) await timed(room.leave(true), 'consented leave');
}

function timed(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

function versionOf(specifier) {
  // Walk up from the package's entry point to its own package.json (not all export it).
  let dir = dirname(fileURLToPath(import.meta.resolve(specifier)));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name === specifier) return pkg.version;
    } catch {
      // no package.json here; keep going up
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

function versions() {
  return {
    server: versionOf('@colyseus/core'),
    client: versionOf('@colyseus/sdk'),
    transport: versionOf('@colyseus/ws-transport'),
    schema: versionOf('@colyseus/schema'),
  };
}
