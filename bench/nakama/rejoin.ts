// The Nakama side of the rejoin benchmark: first joins and rejoins of the arena match through a
// fault proxy, over real sockets with nakama-js. A rejoin is timed from the moment the cut
// client opens its new socket to the moment it holds its SNAPSHOT; the cut itself and the
// server noticing it are not in the interval (another player seeing SEAT "dropped" marks that).
import { randomUUID } from 'node:crypto';
import { Client, type Session } from '@heroiclabs/nakama-js';
import { FaultProxy } from '../../tools/fault-proxy';
import { enc, Line, OP } from './line';

export interface NakamaRun {
  /** New socket opened → SNAPSHOT held, for a first join of a fresh match. */
  firstJoinMs: number[];
  /** New socket opened → SNAPSHOT held, for a rejoin with the reconnect token. */
  rejoinMs: number[];
  /** Of a rejoin: the WebSocket connect alone (TCP, HTTP upgrade, session check). */
  connectMs: number[];
  /** One round trip on an open socket (Nakama's ping), the network floor of the join itself. */
  rttMs: number[];
}

/** Joins `matchId` on a new socket and returns the line, its SNAPSHOT and the split timings. */
async function enter(client: Client, session: Session, matchId: string, token?: string): Promise<{ line: Line; snap: any; totalMs: number; connectMs: number }> {
  const t0 = performance.now();
  const line = await Line.open(client, session);
  const t1 = performance.now();
  await line.socket.joinMatch(matchId, undefined, token === undefined ? undefined : { token });
  const snap = await line.next(OP.SNAPSHOT);
  return { line, snap, totalMs: performance.now() - t0, connectMs: t1 - t0 };
}

export async function measureNakama(url: string, mode: string, opts: { rejoins: number; firstJoins: number; serverKey?: string }): Promise<NakamaRun> {
  const u = new URL(url);
  const key = opts.serverKey ?? 'defaultkey';
  const direct = new Client(key, u.hostname, u.port, false, 10_000);
  const proxy = await FaultProxy.start({ host: u.hostname, port: Number(u.port) });
  // The measured player's sockets go through the proxy, so that it can be cut like a real link.
  const cuttable = new Client(key, '127.0.0.1', String(proxy.port), false, 10_000);
  const out: NakamaRun = { firstJoinMs: [], rejoinMs: [], connectMs: [], rttMs: [] };
  try {
    const alice = await direct.authenticateCustom(`bench-a-${randomUUID()}`, true);
    const bob = await direct.authenticateCustom(`bench-b-${randomUUID()}`, true);
    const create = async () => ((await direct.rpc(bob, 'match_create', { mode })).payload as { matchId: string }).matchId;

    // First joins: a fresh match each time, left for good afterwards.
    for (let i = 0; i < opts.firstJoins + 5; i++) {
      const matchId = await create();
      const e = await enter(cuttable, alice, matchId);
      if (i >= 5) out.firstJoinMs.push(e.totalMs);
      await e.line.socket.leaveMatch(matchId);
      e.line.socket.disconnect(false);
    }

    // Rejoins: one match, Alice cut and back again and again; Bob watches for the drop.
    const matchId = await create();
    let a = await enter(cuttable, alice, matchId);
    const b = await enter(direct, bob, matchId);
    const seat = a.snap.you.seat;
    await a.line.socket.sendMatchState(matchId, OP.ACTION, enc.encode(JSON.stringify({ actionSeq: 1, type: 'add', amount: 5 })));
    await a.line.next(OP.ACK);
    let token: string = a.snap.token;
    for (let i = 0; i < opts.rejoins + 5; i++) {
      if (i % 10 === 0) {
        const t = performance.now();
        // Nakama's own ping: one round trip on the open socket (not in nakama-js's typings).
        await (a.line.socket as unknown as { send(m: object): Promise<unknown> }).send({ ping: {} });
        out.rttMs.push(performance.now() - t);
      }
      proxy.cutAll();
      await b.line.next(OP.SEAT, (m) => m.seat === seat && m.reason === 'dropped');
      a.line.socket.disconnect(false);
      a = await enter(cuttable, alice, matchId, token);
      if (!a.snap.resumed || a.snap.game.seats[seat].score !== 5) throw new Error(`rejoin ${i} did not resume the seat: ${JSON.stringify(a.snap)}`);
      token = a.snap.token;
      await b.line.next(OP.SEAT, (m) => m.seat === seat && m.reason === 'resumed');
      if (i >= 5) {
        out.rejoinMs.push(a.totalMs);
        out.connectMs.push(a.connectMs);
      }
    }
    await a.line.socket.leaveMatch(matchId);
    await b.line.socket.leaveMatch(matchId);
    a.line.socket.disconnect(false);
    b.line.socket.disconnect(false);
    return out;
  } finally {
    await proxy.close();
  }
}
