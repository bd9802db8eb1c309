// The client library on two open-source nodes sharing one database. The match runs on node A and
// stays alive; the player comes back through node B, which answers session_resume with
// `elsewhere`. With a node resolver the client follows it and is seated on A again, score intact;
// without one it reports `elsewhere`, as it always did. Node A is reached through a fault proxy.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { RejoinClient, type NodeAddress, type RejoinEvents } from '../../client';
import { MemoryTokenStore } from '../../client/token-store';
import { createMatch, eventually, HOST, newClient, newUser, type Player } from './harness/client';
import { FaultProxy } from '../../tools/fault-proxy';
import { withNodeBinary } from './harness/nodes';
import { startServer, type StartedServer } from '../../tools/nakama-server.mjs';

const { bin, suite } = withNodeBinary('CLIENT ELSEWHERE TESTS');

let a: StartedServer;
let b: StartedServer;
/** The only way to node A the resolver gives out: the test can cut it. */
let toA: FaultProxy;
const tokens = new Set<string>();
const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const portOf = (node: StartedServer) => Number(new URL(node.url).port);

function resolver(node: string): NodeAddress | null {
  if (node === a.name) return { host: HOST, port: toA.port, useSSL: false };
  if (node === b.name) return { host: HOST, port: portOf(b), useSSL: false };
  return null;
}

type Seen = { [K in keyof RejoinEvents]: RejoinEvents[K][] };

/** A RejoinClient whose own client talks to `node`; every event and log line kept. */
function clientOn(node: StartedServer, p: Player, store: MemoryTokenStore, withResolver: boolean) {
  const logs: string[] = [];
  const rc = new RejoinClient({
    client: newClient(portOf(node)),
    session: p.session,
    store,
    heartbeatMs: 1000,
    backoff: { baseMs: 100, maxMs: 1000 },
    nodeResolver: withResolver ? resolver : undefined,
    log: (m, f) => logs.push(`${m} ${JSON.stringify(f)}`),
  });
  const seen = {} as Seen;
  for (const e of ['connected', 'reconnecting', 'resumed', 'seatLost', 'ended', 'snapshot', 'event', 'ack'] as const) {
    seen[e] = [] as never;
    rc.on(e, (x: any) => (seen[e] as any[]).push(x));
  }
  rc.on('snapshot', (s) => s.token && tokens.add(s.token));
  cleanup.push(() => rc.close());
  return { rc, seen, logs };
}

interface DemoGame {
  seats: { score: number }[];
}
const score = (rc: RejoinClient) => (rc.lastSnapshot?.game as DemoGame).seats[rc.seat as number].score;

/** Alice and Bob seated on node A in a casual match (20 s grace), Alice 5 points up; Alice's client closed, her seat reserved. */
async function aliceAwayFromA() {
  const [alice, bob] = await Promise.all([newUser('alice', portOf(a)), newUser('bob', portOf(a))]);
  const matchId = await createMatch(alice, 'casual');
  const store = new MemoryTokenStore();
  const first = clientOn(a, alice, store, false);
  const seat = (await first.rc.joinMatch(matchId)).you.seat;
  const other = clientOn(a, bob, new MemoryTokenStore(), false);
  await other.rc.joinMatch(matchId);
  first.rc.sendAction({ type: 'add', amount: 5 });
  await eventually(() => first.seen.ack.some((x) => x.actionSeq === 1 && x.result === 'applied'), 5000);
  // The app is closed without leaving: the seat waits for her.
  first.rc.close();
  return { alice, bob: other, matchId, seat, store };
}

suite('client library: following elsewhere to the node that runs the match', () => {
  beforeAll(async () => {
    a = await startServer(bin, { logPrefix: 'elsewhere-a' });
    b = await startServer(bin, { logPrefix: 'elsewhere-b', database: a.database });
    toA = await FaultProxy.start({ host: HOST, port: portOf(a) });
  }, 120_000);

  afterAll(async () => {
    await toA?.close();
    await b?.stop();
    await a?.stop();
  });

  it('signed in through node B with a resolver: seated on node A again with its score, and back there after a drop', async () => {
    const { alice, bob, matchId, seat, store } = await aliceAwayFromA();
    const back = clientOn(b, alice, store, true);
    const out = await back.rc.resume();
    expect(out.status).toBe('active');
    expect(back.rc.matchId).toBe(matchId);
    expect(back.rc.node).toBe(a.name);
    expect(back.rc.seat).toBe(seat);
    expect(back.rc.lastSnapshot).toMatchObject({ resumed: true, lastActionSeq: 1 });
    expect(score(back.rc)).toBe(5);
    expect(back.logs.filter((l) => l.startsWith('following the match to its node'))).toHaveLength(1);

    // Node A's link dies and the first attempt there is refused: the next one goes through node B,
    // which does not run the match, and follows its `elsewhere` to node A again.
    back.rc.on('reconnecting', (r) => {
      if (r.attempt === 2) toA.heal();
    });
    toA.partition();
    await eventually(() => back.seen.resumed.length === 2, 15_000);
    expect(back.seen.seatLost).toEqual([]);
    expect(back.rc.node).toBe(a.name);
    expect(back.rc.matchId).toBe(matchId);
    expect(score(back.rc)).toBe(5);
    expect(back.logs.filter((l) => l.startsWith('following the match to its node'))).toHaveLength(2);
    expect(back.logs.some((l) => l.startsWith('rejoin attempt failed') && l.includes('match_not_found'))).toBe(true);

    // Playing on: applied once, and Bob, on node A all along, sees it.
    back.rc.sendAction({ type: 'add', amount: 2 });
    await eventually(() => back.seen.ack.some((x) => x.actionSeq === 2 && x.result === 'applied'), 5000);
    back.rc.resync();
    await eventually(() => score(back.rc) === 7, 5000);
    await eventually(() => bob.seen.event.some((e: any) => e.type === 'scored' && e.seat === seat && e.amount === 2), 5000);
    expect(back.seen.ack.filter((x) => x.result === 'duplicate')).toEqual([]);
  });

  it('signed in through node B without a resolver: told elsewhere, as before, and the seat still waits on node A', async () => {
    const { alice, matchId, store } = await aliceAwayFromA();
    const there = clientOn(b, alice, store, false);
    expect(await there.rc.resume()).toEqual({ status: 'elsewhere', matchId, node: a.name });
    expect(there.rc.state).toBe('idle');
    expect(there.rc.node).toBe(null);
    // The app may still go to node A itself: the seat is there, with the score.
    const onA = clientOn(a, alice, store, false);
    const out = await onA.rc.resume();
    expect(out.status).toBe('active');
    expect(onA.rc.matchId).toBe(matchId);
    expect(score(onA.rc)).toBe(5);
  });

  it('no reconnect token reached either node log', () => {
    const logs = readFileSync(a.logFile, 'utf8') + readFileSync(b.logFile, 'utf8');
    expect(tokens.size).toBeGreaterThan(0);
    expect([...tokens].filter((t) => logs.includes(t))).toEqual([]);
  });
});
