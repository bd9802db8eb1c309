// The client library against a real server, through a fault proxy: it comes back by itself after
// a cut, a black hole, a lost token and a server restart, resends exactly what the server did not
// process, and reports a lost seat instead of retrying forever.
import { afterEach, describe, expect, it } from 'vitest';
import { RejoinClient, type RejoinEvents } from '../../client';
import { MemoryTokenStore } from '../../client/token-store';
import { createMatch, eventually, HOST, newClient, newUser, PORT, restartServer, rpc, sleep, type Player } from './harness/client';
import { FaultProxy } from '../../tools/fault-proxy';
import { checkTokensNeverLogged, remember } from './harness/tokens';

checkTokensNeverLogged();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

type Seen = { [K in keyof RejoinEvents]: RejoinEvents[K][] };

interface Bot {
  p: Player;
  rc: RejoinClient;
  proxy: FaultProxy;
  store: MemoryTokenStore;
  seen: Seen;
}

/** A player whose match socket runs through its own fault proxy (RPCs go direct). */
async function bot(prefix = 'lib', store = new MemoryTokenStore()): Promise<Bot> {
  const p = await newUser(prefix);
  const proxy = await FaultProxy.start({ host: HOST, port: PORT });
  const rc = new RejoinClient({ client: p.client, session: p.session, socketClient: newClient(proxy.port), store, heartbeatMs: 1000, backoff: { baseMs: 100, maxMs: 1000 } });
  const seen = {} as Seen;
  for (const e of ['connected', 'reconnecting', 'resumed', 'seatLost', 'ended', 'snapshot', 'ack', 'error'] as const) {
    seen[e] = [] as never;
    rc.on(e, (x: any) => (seen[e] as any[]).push(x));
  }
  rc.on('snapshot', (s) => remember(s.token));
  cleanup.push(
    () => proxy.close(),
    () => rc.close(),
  );
  return { p, rc, proxy, store, seen };
}

interface DemoGame {
  seats: { score: number; forfeited: boolean }[];
}
const score = (rc: RejoinClient) => (rc.lastSnapshot?.game as DemoGame).seats[rc.seat as number].score;
const applied = (b: Bot, actionSeq: number) => b.seen.ack.filter((a) => a.actionSeq === actionSeq && a.result === 'applied').length;

describe('client library: resuming by itself', () => {
  it('after a cut it reconnects, resumes and resends exactly the unprocessed actions', async () => {
    const matchId = await createMatch(await newUser('host'));
    const b = await bot();
    const first = await b.rc.joinMatch(matchId);
    expect(first.resumed).toBe(false);
    b.rc.sendAction({ type: 'add', amount: 2 });
    await eventually(() => applied(b, 1) === 1);
    // In flight when the link dies: the server never sees it, so the client resends it.
    b.proxy.setLatency(300);
    b.rc.sendAction({ type: 'add', amount: 5 });
    await sleep(50);
    b.proxy.setLatency(0);
    b.proxy.cutAll();
    await eventually(() => b.seen.resumed.length === 1, 8000);
    expect(b.seen.resumed[0].snapshot.lastActionSeq).toBe(1);
    expect(b.seen.reconnecting[0]).toMatchObject({ attempt: 1, reason: 'closed' });
    await eventually(() => applied(b, 2) === 1, 5000);
    b.rc.resync();
    await eventually(() => score(b.rc) === 7, 3000);
    expect(b.seen.ack.filter((a) => a.result === 'duplicate')).toEqual([]);
    expect(b.rc.matchId).toBe(matchId);
  });

  it('after a black hole its heartbeat gives up on the silent socket, takes the seat over and resends', async () => {
    const matchId = await createMatch(await newUser('host'));
    const b = await bot();
    await b.rc.joinMatch(matchId);
    b.rc.sendAction({ type: 'add', amount: 1 });
    await eventually(() => applied(b, 1) === 1);
    b.proxy.blackhole();
    // Sent into the hole: the socket still looks open. They must arrive once, after the takeover.
    for (let i = 0; i < 3; i++) b.rc.sendAction({ type: 'add', amount: 3 });
    const holedAt = Date.now();
    await eventually(() => b.seen.resumed.length === 1, 10_000);
    expect(b.seen.reconnecting[0].reason).toBe('heartbeat_timeout');
    // Noticed within about two heartbeats, well inside the 3 s grace window of mode e2e.
    expect(Date.now() - holedAt).toBeLessThan(3000);
    await eventually(() => [2, 3, 4].every((n) => applied(b, n) === 1), 5000);
    b.rc.resync();
    await eventually(() => score(b.rc) === 10, 3000);
    expect(b.seen.seatLost).toEqual([]);
  });

  it('with its token lost it gets a fresh one from session_resume', async () => {
    const matchId = await createMatch(await newUser('host'));
    const b = await bot();
    await b.rc.joinMatch(matchId);
    b.store.set({ matchId, token: null, nextActionSeq: 1 });
    b.proxy.cutAll();
    await eventually(() => b.seen.resumed.length === 1, 8000);
    const token = b.store.get(matchId)?.token;
    remember(token);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(b.rc.state).toBe('live');
  });

  it('when the grace window runs out it reports the seat lost and stops retrying', async () => {
    const matchId = await createMatch(await newUser('host'));
    const b = await bot();
    await b.rc.joinMatch(matchId);
    // The network stays down: every reconnect is refused.
    await b.proxy.close();
    await eventually(() => b.seen.seatLost.length === 1, 10_000, 100);
    expect(b.seen.seatLost[0]).toEqual({ matchId, reason: 'grace_expired' });
    // Every attempt started inside the 3 s window.
    expect(Math.min(...b.seen.reconnecting.map((r) => r.msLeft))).toBeGreaterThan(0);
    expect(b.seen.reconnecting[0].msLeft).toBeLessThanOrEqual(3000);
    const attempts = b.seen.reconnecting.length;
    await sleep(2000);
    expect(b.seen.reconnecting.length).toBe(attempts);
    expect(b.seen.resumed).toEqual([]);
    expect(b.rc.state).toBe('closed');
    expect(b.store.get(matchId)).toBeNull();
    // The server agrees: the seat is gone.
    await eventually(async () => (await rpc(b.p, 'session_resume', {})).status === 'none', 5000, 200);
  });

  it('joins a matchmaker match and resumes in it', async () => {
    const tag = `t${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const [a, b] = await Promise.all([bot('mm-a'), bot('mm-b')]);
    const opts = { mode: 'e2e', query: `+properties.mode:e2e +properties.tag:${tag}`, stringProperties: { tag } };
    const [sa, sb] = await Promise.all([a.rc.matchmake(opts), b.rc.matchmake(opts)]);
    expect(a.rc.matchId).toBe(b.rc.matchId);
    expect(new Set([sa.you.seat, sb.you.seat]).size).toBe(2);
    a.proxy.cutAll();
    await eventually(() => a.seen.resumed.length === 1, 8000);
    expect(a.rc.matchId).toBe(b.rc.matchId);
  }, 60_000);
});

describe.skipIf(!process.env.NAKAMA_CONTROL_URL)(
  `client library: server restart (${process.env.NAKAMA_CONTROL_URL ? 'the suite started the server' : 'SKIPPED: needs a server the suite started itself'})`,
  () => {
    it('follows session_resume to the restored match, with its score and its unsent actions', async () => {
      const matchId = await createMatch(await newUser('host'), 'casual');
      const b = await bot('restart');
      await b.rc.joinMatch(matchId);
      b.rc.sendAction({ type: 'add', amount: 4 });
      await eventually(() => applied(b, 1) === 1);
      const restarting = restartServer('TERM');
      await eventually(() => b.rc.state === 'reconnecting', 15_000, 20);
      // Sent while the server is down: applied once, in the restored match.
      b.rc.sendAction({ type: 'add', amount: 6 });
      await restarting;
      await eventually(() => b.seen.resumed.length === 1, 25_000, 100);
      expect(b.rc.matchId).not.toBe(matchId);
      expect(b.seen.resumed[0].snapshot.lastActionSeq).toBe(1);
      await eventually(() => applied(b, 2) === 1, 5000);
      b.rc.resync();
      await eventually(() => score(b.rc) === 10, 3000);
      remember(b.store.get(b.rc.matchId as string)?.token);
    }, 90_000);
  },
);
