// The reconnect state machine against a scripted fake of nakama-js, on fake timers: what it sends,
// when it retries, when it stops, and that no token ever reaches its log.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RejoinClient, type RejoinEvents } from '../../client/rejoin-client';
import { MemoryTokenStore } from '../../client/token-store';
import { asSession, fakeSession, FakeServer, tokenOf, type FakeSession } from './fake-nakama-js';

const NOW = 1_700_000_000_000;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Rig {
  server: FakeServer;
  rc: RejoinClient;
  store: MemoryTokenStore;
  session: FakeSession;
  seen: { [K in keyof RejoinEvents]: RejoinEvents[K][] };
  logs: string[];
}

/** `nodes`: other server nodes by name, each reachable through the resolver (host = its name). */
function rig(opts: { session?: FakeSession; reauthenticate?: () => Promise<any>; manualGiveUpMs?: number; rpcPrefix?: string; nodes?: Record<string, FakeServer> } = {}): Rig {
  const server = new FakeServer();
  const store = new MemoryTokenStore();
  const session = opts.session ?? fakeSession('jwt.header.body', NOW / 1000 + 3600, NOW / 1000 + 86_400);
  const logs: string[] = [];
  const rc = new RejoinClient({
    client: server.client(),
    session: asSession(session),
    store,
    random: () => 0.5,
    now: () => Date.now(),
    reauthenticate: opts.reauthenticate,
    manualGiveUpMs: opts.manualGiveUpMs,
    rpcPrefix: opts.rpcPrefix,
    log: (m, f) => logs.push(`${m} ${JSON.stringify(f)}`),
    ...(opts.nodes && {
      nodeResolver: (node: string) => (opts.nodes?.[node] ? { host: node, port: 7350, useSSL: false } : null),
      nodeClient: (a: { host: string }) => (opts.nodes as Record<string, FakeServer>)[a.host].client(),
    }),
  });
  const seen = {} as Rig['seen'];
  for (const e of ['connected', 'reconnecting', 'resumed', 'seatLost', 'ended', 'snapshot', 'seat', 'event', 'ack', 'error'] as const) {
    seen[e] = [] as never;
    rc.on(e, (x: any) => (seen[e] as any[]).push(x));
  }
  return { server, rc, store, session, seen, logs };
}

async function joined(r: Rig, matchId = 'm1.node'): Promise<void> {
  const p = r.rc.joinMatch(matchId);
  await vi.advanceTimersByTimeAsync(5);
  await p;
}

describe('RejoinClient: joining', () => {
  it('joins without metadata, keeps the token of the SNAPSHOT and reports connected', async () => {
    const r = rig();
    await joined(r);
    expect(r.server.joins[0].metadata).toBeUndefined();
    expect(r.store.get('m1.node')).toEqual({ matchId: 'm1.node', token: tokenOf(1), nextActionSeq: 1 });
    expect(r.seen.connected).toEqual([{ matchId: 'm1.node', seat: 0, resumed: false }]);
    expect(r.rc.state).toBe('live');
    expect(r.server.last.heartbeatMs).toBe(5000);
  });

  it('rejoins with the stored token after an app restart, and continues its actionSeq', async () => {
    const r = rig();
    r.store.set({ matchId: 'm1.node', token: tokenOf(77), nextActionSeq: 9 });
    await joined(r);
    expect(r.server.joins[0].metadata).toEqual({ token: tokenOf(77) });
    expect(r.rc.sendAction({ type: 'add', amount: 1 })).toBe(9);
  });

  it('sends actions as UTF-8 JSON with their actionSeq, and queues them until the SNAPSHOT', async () => {
    const r = rig();
    const p = r.rc.joinMatch('m1.node');
    expect(r.rc.sendAction({ type: 'say', text: 'héllo ✓' })).toBe(1);
    await vi.advanceTimersByTimeAsync(5);
    await p;
    expect(r.server.last.actions()).toEqual([{ type: 'say', text: 'héllo ✓', actionSeq: 1 }]);
  });

  it('falls back to session_resume when its stored token is refused on the first join', async () => {
    const r = rig();
    r.store.set({ matchId: 'm1.node', token: tokenOf(50), nextActionSeq: 3 });
    r.server.joinReplies = [{ refuse: 'token_invalid' }];
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node', seat: 0, mode: 'e2e', token: tokenOf(60) }];
    await joined(r);
    expect(r.server.joins.map((j) => j.metadata)).toEqual([{ token: tokenOf(50) }, { token: tokenOf(60) }]);
    expect(r.rc.state).toBe('live');
  });

  it('rejects a first join the server refuses for good', async () => {
    const r = rig();
    r.server.joinReplies = [{ refuse: 'match_full' }];
    const p = r.rc.joinMatch('m1.node');
    const check = expect(p).rejects.toMatchObject({ reason: 'match_full' });
    await vi.advanceTimersByTimeAsync(5);
    await check;
    expect(r.rc.state).toBe('idle');
  });

  it('joins the match id of a matchmaker-matched event', async () => {
    const r = rig();
    const p = r.rc.joinMatched({ match_id: 'mm.node', ticket: 't', token: '', users: [], self: {} as never } as never);
    await vi.advanceTimersByTimeAsync(5);
    await p;
    expect(r.server.joins[0].matchId).toBe('mm.node');
    await expect(r.rc.joinMatched({ ticket: 't', token: 'relayed', users: [], self: {} } as never)).rejects.toThrow(/no match id/);
  });
});

describe('RejoinClient: resume() at start-up', () => {
  it('takes back the seat session_resume reports, continuing the stored actionSeq', async () => {
    const r = rig();
    r.store.set({ matchId: 'm9.node', token: tokenOf(33), nextActionSeq: 12 });
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm9.node', seat: 1, mode: 'e2e', token: tokenOf(34) }];
    const p = r.rc.resume();
    await vi.advanceTimersByTimeAsync(5);
    const out = await p;
    expect(out.status).toBe('active');
    expect(r.server.joins[0]).toMatchObject({ matchId: 'm9.node', metadata: { token: tokenOf(34) } });
    expect(r.rc.sendAction({ type: 'add', amount: 1 })).toBe(12);
  });

  it('calls the RPCs under the prefix the game registered them with', async () => {
    const r = rig({ rpcPrefix: 'cards_' });
    r.server.rpcReplies.cards_session_resume = [{ status: 'none' }];
    r.server.rpcReplies.cards_match_find = [{ matchId: 'm5.node', created: true }];
    expect(await r.rc.resume()).toEqual({ status: 'none' });
    const p = r.rc.findMatch('duel');
    await vi.advanceTimersByTimeAsync(5);
    await p;
    expect(r.server.rpcs.map((c) => c.id)).toEqual(['cards_session_resume', 'cards_match_find']);
    expect(r.server.joins[0].matchId).toBe('m5.node');
  });

  it('says none, or how the match ended, and stays ready to join', async () => {
    const r = rig();
    r.server.rpcReplies.session_resume = [{ status: 'none' }, { status: 'ended', matchId: 'm3.node', reason: 'round_over', result: null }];
    expect(await r.rc.resume()).toEqual({ status: 'none' });
    expect(await r.rc.resume()).toMatchObject({ status: 'ended', reason: 'round_over' });
    expect(r.seen.ended).toHaveLength(1);
    expect(r.rc.state).toBe('idle');
    await joined(r);
    expect(r.rc.state).toBe('live');
    await expect(r.rc.joinMatch('other.node')).rejects.toThrow(/cannot join while live/);
  });
});

describe('RejoinClient: reconnecting', () => {
  it('after a drop rejoins on a new socket with its token and resends exactly the unprocessed actions', async () => {
    const r = rig();
    await joined(r);
    const first = r.server.last;
    for (const amount of [1, 2, 3]) r.rc.sendAction({ type: 'add', amount });
    first.deliver(4, { actionSeq: 1, result: 'applied' });
    first.drop();
    // Sent while down: kept, and sent after the SNAPSHOT.
    r.rc.sendAction({ type: 'add', amount: 4 });
    r.server.joinReplies = [{ snapshot: { lastActionSeq: 2 } }];
    await vi.advanceTimersByTimeAsync(300);
    const second = r.server.last;
    expect(second).not.toBe(first);
    expect(r.server.joins[1].metadata).toEqual({ token: tokenOf(1) });
    expect(second.actions().map((a) => a.actionSeq)).toEqual([3, 4]);
    expect(second.actions()[0]).toEqual({ type: 'add', amount: 3, actionSeq: 3 });
    expect(r.seen.reconnecting[0]).toMatchObject({ matchId: 'm1.node', attempt: 1, reason: 'closed' });
    expect(r.seen.reconnecting[0].msLeft).toBe(3000);
    expect(r.seen.resumed).toHaveLength(1);
    expect(r.store.get('m1.node')).toEqual({ matchId: 'm1.node', token: tokenOf(2), nextActionSeq: 5 });
    expect(r.rc.unacknowledged).toEqual([3, 4]);
  });

  it('treats a heartbeat timeout as the drop, without waiting for the close', async () => {
    const r = rig();
    await joined(r);
    const first = r.server.last;
    first.onheartbeattimeout();
    await vi.advanceTimersByTimeAsync(300);
    expect(r.server.sockets).toHaveLength(2);
    expect(r.seen.resumed).toHaveLength(1);
    // The late close of the old socket changes nothing.
    first.ondisconnect({});
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.server.sockets).toHaveLength(2);
    expect(r.rc.state).toBe('live');
  });

  it('backs off with full jitter and never starts an attempt past the grace deadline', async () => {
    const r = rig();
    await joined(r);
    r.server.connectFailures = Array.from({ length: 100 }, () => ({ message: 'connect ECONNREFUSED' }));
    r.server.rpcReplies.session_resume = [new TypeError('fetch failed')];
    const dropAt = Date.now();
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    const attempts = r.server.connects.slice(1).map((c) => c.at - dropAt);
    expect(attempts.length).toBeGreaterThan(3);
    // graceTicks 30 at 10 ticks/s: 3 s after the drop was noticed.
    expect(Math.max(...attempts)).toBeLessThan(3000);
    // random() = 0.5: half of each cap (250, 500, 1000, …) after the previous attempt.
    expect(attempts.slice(0, 3)).toEqual([125, 375, 875]);
    expect(r.seen.seatLost).toEqual([{ matchId: 'm1.node', reason: 'grace_expired' }]);
    const count = r.server.connects.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(r.server.connects.length).toBe(count);
    expect(r.rc.state).toBe('closed');
    expect(r.store.get('m1.node')).toBeNull();
  });

  it('at the local deadline asks session_resume once: the server may still hold the seat', async () => {
    const r = rig();
    await joined(r);
    // Attempts at 125, 375, 875, 1875 and (cut short) 2900 ms all fail; the deadline is at 3000.
    r.server.connectFailures = Array.from({ length: 5 }, () => ({ message: 'connect ECONNREFUSED' }));
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node', seat: 0, mode: 'e2e', token: tokenOf(40) }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.server.rpcs.map((x) => x.id)).toEqual(['session_resume']);
    expect(r.server.joins.at(-1)?.metadata).toEqual({ token: tokenOf(40) });
    expect(r.rc.state).toBe('live');
  });

  it('stops at once when the server says the grace window is over', async () => {
    const r = rig();
    await joined(r);
    r.server.joinReplies = [{ refuse: 'token_expired' }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(r.seen.seatLost).toEqual([{ matchId: 'm1.node', reason: 'token_expired' }]);
    expect(r.server.joins).toHaveLength(2);
  });

  it('while the server is stopping keeps the refused action and retries until it is back', async () => {
    const r = rig();
    await joined(r);
    r.rc.sendAction({ type: 'add', amount: 1 });
    r.server.last.deliver(6, { code: 'server_stopping', message: 'the server is restarting' });
    expect(r.rc.unacknowledged).toEqual([1]);
    r.server.joinReplies = [{ refuse: 'server_stopping' }, { snapshot: { lastActionSeq: 0 } }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(r.seen.seatLost).toEqual([]);
    expect(r.server.joins).toHaveLength(3);
    expect(r.server.last.actions().map((a) => a.actionSeq)).toEqual([1]);
    expect(r.seen.resumed).toHaveLength(1);
  });

  it('with a refused token gets a fresh one from session_resume', async () => {
    const r = rig();
    await joined(r);
    r.server.joinReplies = [{ refuse: 'token_invalid' }];
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node', seat: 0, mode: 'e2e', token: tokenOf(99) }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.server.joins.slice(1).map((j) => j.metadata)).toEqual([{ token: tokenOf(1) }, { token: tokenOf(99) }]);
    expect(r.seen.resumed).toHaveLength(1);
  });

  it('with no token at all goes straight to session_resume', async () => {
    const r = rig();
    await joined(r);
    r.store.set({ matchId: 'm1.node', token: null, nextActionSeq: 1 });
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node', seat: 0, mode: 'e2e', token: tokenOf(98) }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.server.joins.slice(1).map((j) => j.metadata)).toEqual([{ token: tokenOf(98) }]);
  });

  it('after a server restart follows session_resume to the restored match and carries its actions over', async () => {
    const r = rig();
    await joined(r);
    r.rc.sendAction({ type: 'add', amount: 1 });
    r.rc.sendAction({ type: 'add', amount: 2 });
    r.server.joinReplies = [{ refuse: 'Match not found', code: 4 }, { snapshot: { lastActionSeq: 1 } }];
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm2.node', seat: 0, mode: 'e2e', token: tokenOf(70) }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.server.joins.slice(1).map((j) => j.matchId)).toEqual(['m1.node', 'm2.node']);
    expect(r.rc.matchId).toBe('m2.node');
    expect(r.server.last.actions().map((a) => a.actionSeq)).toEqual([2]);
    expect(r.store.get('m1.node')).toBeNull();
    expect(r.store.get('m2.node')?.nextActionSeq).toBe(3);
  });

  it('END moved is no end: it asks session_resume for the live copy, rejoins it and resends', async () => {
    const r = rig();
    await joined(r);
    r.rc.sendAction({ type: 'add', amount: 1 });
    r.rc.sendAction({ type: 'add', amount: 2 });
    r.server.joinReplies = [{ snapshot: { lastActionSeq: 1 } }];
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm2.other', seat: 0, mode: 'e2e', token: tokenOf(70) }];
    r.server.last.deliver(5, { seq: 9, tick: 50, reason: 'moved', result: null });
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.seen.ended).toEqual([]);
    expect(r.server.rpcs.map((x) => x.id)).toEqual(['session_resume']);
    expect(r.server.joins.slice(1)).toEqual([{ at: expect.any(Number), matchId: 'm2.other', metadata: { token: tokenOf(70) } }]);
    expect(r.rc.matchId).toBe('m2.other');
    expect(r.server.last.actions().map((a) => a.actionSeq)).toEqual([2]);
  });

  it('while session_resume says the match runs on another node, keeps retrying within the grace window', async () => {
    const r = rig();
    await joined(r);
    r.server.joinReplies = [{ refuse: 'token_invalid' }, { refuse: 'token_invalid' }, { snapshot: { lastActionSeq: 0 } }];
    r.server.rpcReplies.session_resume = [
      { status: 'elsewhere', matchId: 'm1.node', seat: 0, mode: 'e2e', node: 'node-a' },
      { status: 'active', matchId: 'm3.node', seat: 0, mode: 'e2e', token: tokenOf(71) },
    ];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(2500);
    expect(r.seen.seatLost).toEqual([]);
    expect(r.rc.matchId).toBe('m3.node');
    expect(r.rc.state).toBe('live');
  });

  it('reports how the match ended when session_resume says so', async () => {
    const r = rig();
    await joined(r);
    r.server.joinReplies = [{ refuse: 'seat_lost' }];
    r.server.rpcReplies.session_resume = [{ status: 'ended', matchId: 'm1.node', reason: 'round_over', result: { winner: 0 } }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.seen.ended).toEqual([{ matchId: 'm1.node', reason: 'round_over', result: { winner: 0 } }]);
    expect(r.seen.seatLost).toEqual([]);
  });

  it('with a manual grace window gives up after manualGiveUpMs', async () => {
    const r = rig({ manualGiveUpMs: 20_000 });
    r.server.base.graceTicks = null;
    await joined(r);
    r.server.connectFailures = Array.from({ length: 100 }, () => ({ message: 'connect ECONNREFUSED' }));
    r.server.rpcReplies.session_resume = [{ status: 'none' }];
    const dropAt = Date.now();
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(Math.max(...r.server.connects.slice(1).map((c) => c.at - dropAt))).toBeLessThan(20_000);
    expect(r.seen.seatLost).toEqual([{ matchId: 'm1.node', reason: 'grace_expired' }]);
  });

  it('close() stops the loop: no attempt after it', async () => {
    const r = rig();
    await joined(r);
    r.server.connectFailures = Array.from({ length: 100 }, () => ({ message: 'connect ECONNREFUSED' }));
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(200);
    r.rc.close();
    const n = r.server.connects.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.server.connects.length).toBe(n);
    expect(r.seen.seatLost).toEqual([]);
  });
});

describe('RejoinClient: following elsewhere to the node that runs the match', () => {
  const elsewhere = (node: string) => ({ status: 'elsewhere', matchId: `m1.${node}`, seat: 0, mode: 'e2e', node });

  it('at start-up asks session_resume on the named node and joins there, with the same login', async () => {
    const nodeA = new FakeServer();
    const r = rig({ nodes: { 'node-a': nodeA } });
    r.store.set({ matchId: 'm1.node-a', token: tokenOf(40), nextActionSeq: 3 });
    r.server.rpcReplies.session_resume = [elsewhere('node-a')];
    nodeA.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node-a', seat: 0, mode: 'e2e', token: tokenOf(41) }];
    const p = r.rc.resume();
    await vi.advanceTimersByTimeAsync(5);
    expect((await p).status).toBe('active');
    expect(r.server.sockets).toEqual([]);
    expect(nodeA.joins).toEqual([{ at: expect.any(Number), matchId: 'm1.node-a', metadata: { token: tokenOf(41) } }]);
    expect(nodeA.connects[0].token).toBe(r.session.token);
    expect(r.rc.node).toBe('node-a');
    expect(r.rc.state).toBe('live');
    expect(r.rc.sendAction({ type: 'add', amount: 1 })).toBe(3);
    expect(nodeA.last.actions()).toEqual([{ type: 'add', amount: 1, actionSeq: 3 }]);
  });

  it('without a resolver, or for a node it does not know, answers elsewhere as before and asks nobody else', async () => {
    const nodeA = new FakeServer();
    for (const r of [rig(), rig({ nodes: { 'node-a': nodeA } })]) {
      r.server.rpcReplies.session_resume = [elsewhere('node-b')];
      expect(await r.rc.resume()).toEqual({ status: 'elsewhere', matchId: 'm1.node-b', node: 'node-b' });
      expect(r.rc.state).toBe('idle');
      expect(r.rc.node).toBe(null);
    }
    expect(nodeA.rpcs).toEqual([]);
  });

  it('a named node that does not answer leaves the answer elsewhere, to retry later', async () => {
    const nodeA = new FakeServer();
    const r = rig({ nodes: { 'node-a': nodeA } });
    r.server.rpcReplies.session_resume = [elsewhere('node-a')];
    nodeA.rpcReplies.session_resume = [new TypeError('fetch failed')];
    expect(await r.rc.resume()).toMatchObject({ status: 'elsewhere', node: 'node-a' });
    expect(r.rc.node).toBe(null);
    expect(r.logs.some((l) => l.startsWith('node did not answer'))).toBe(true);
  });

  it('reconnecting through the wrong node: follows elsewhere, rejoins on the owner, then reconnects there first', async () => {
    const nodeA = new FakeServer();
    const r = rig({ nodes: { 'node-a': nodeA } });
    await joined(r, 'm1.node-a');
    r.rc.sendAction({ type: 'add', amount: 1 });
    // The app's own client reaches another node now: it does not run the match.
    r.server.joinReplies = [{ refuse: 'Match not found', code: 4 }];
    r.server.rpcReplies.session_resume = [elsewhere('node-a')];
    nodeA.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node-a', seat: 0, mode: 'e2e', token: tokenOf(50) }];
    nodeA.joinReplies = [{ snapshot: { lastActionSeq: 0, resumed: true } }];
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(300);
    expect(r.rc.state).toBe('live');
    expect(r.rc.node).toBe('node-a');
    expect(nodeA.joins.map((j) => j.metadata)).toEqual([{ token: tokenOf(50) }]);
    expect(nodeA.last.actions().map((a) => a.actionSeq)).toEqual([1]);
    expect(r.seen.resumed).toHaveLength(1);
    // The next drop: straight back to the node that runs the match, with the latest token.
    const latest = r.store.get('m1.node-a')?.token;
    nodeA.joinReplies = [{ snapshot: { lastActionSeq: 1 } }];
    nodeA.last.drop();
    await vi.advanceTimersByTimeAsync(300);
    expect(nodeA.joins.map((j) => j.metadata)).toEqual([{ token: tokenOf(50) }, { token: latest }]);
    expect(r.server.joins).toHaveLength(2);
    expect(r.seen.resumed).toHaveLength(2);
  });

  it('when the followed node fails an attempt, the next one starts from the app\'s own client again', async () => {
    const nodeA = new FakeServer();
    const r = rig({ nodes: { 'node-a': nodeA } });
    r.server.rpcReplies.session_resume = [elsewhere('node-a')];
    nodeA.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node-a', seat: 0, mode: 'e2e', token: tokenOf(60) }];
    const p = r.rc.resume();
    await vi.advanceTimersByTimeAsync(5);
    await p;
    // Node A goes away; the match is restored where the app's own client is.
    nodeA.connectFailures = [new Error('connect ECONNREFUSED')];
    r.server.joinReplies = [{ snapshot: { lastActionSeq: 0 } }];
    nodeA.last.drop();
    await vi.advanceTimersByTimeAsync(1500);
    expect(nodeA.connects).toHaveLength(2);
    expect(r.server.joins.map((j) => j.matchId)).toEqual(['m1.node-a']);
    expect(r.rc.state).toBe('live');
    expect(r.rc.node).toBe(null);
  });
});

describe('RejoinClient: the login', () => {
  it('refreshes an expired session before it reconnects', async () => {
    const session = fakeSession('jwt.a.b', NOW / 1000 + 60, NOW / 1000 + 86_400);
    const r = rig({ session });
    await joined(r);
    expect(r.server.refreshes).toBe(0);
    vi.setSystemTime(NOW + 120_000);
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(r.server.refreshes).toBe(1);
    expect(r.server.connects[1].token).toBe('jwt.a.b+');
    expect(r.seen.resumed).toHaveLength(1);
  });

  it('signs in again through the app when the refresh token has expired too', async () => {
    const session = fakeSession('jwt.a.b', NOW / 1000 + 60, NOW / 1000 + 90);
    const fresh = fakeSession('jwt.new.login', NOW / 1000 + 7200, NOW / 1000 + 86_400);
    const reauthenticate = vi.fn(async () => fresh);
    const r = rig({ session, reauthenticate });
    await joined(r);
    vi.setSystemTime(NOW + 120_000);
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(r.server.refreshes).toBe(0);
    expect(reauthenticate).toHaveBeenCalledTimes(1);
    expect(r.server.connects[1].token).toBe('jwt.new.login');
    expect(r.rc.session).toBe(fresh);
  });

  it('signs in again when the server refuses the refresh', async () => {
    const session = fakeSession('jwt.a.b', NOW / 1000 + 60, NOW / 1000 + 86_400);
    const fresh = fakeSession('jwt.new.login', NOW / 1000 + 7200, NOW / 1000 + 86_400);
    const r = rig({ session, reauthenticate: async () => fresh });
    await joined(r);
    r.server.refreshFails = new Response(JSON.stringify({ code: 16, message: 'Refresh token invalid or expired.' }), { status: 401 });
    vi.setSystemTime(NOW + 120_000);
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(r.server.connects[1].token).toBe('jwt.new.login');
  });

  it('retries (does not sign in again) when the refresh fails on the network', async () => {
    const session = fakeSession('jwt.a.b', NOW / 1000 + 60, NOW / 1000 + 86_400);
    const reauthenticate = vi.fn();
    const r = rig({ session, reauthenticate });
    await joined(r);
    r.server.refreshFails = new TypeError('fetch failed');
    vi.setSystemTime(NOW + 120_000);
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(400);
    r.server.refreshFails = null;
    await vi.advanceTimersByTimeAsync(1000);
    expect(reauthenticate).not.toHaveBeenCalled();
    expect(r.seen.resumed).toHaveLength(1);
  });

  it('reports the seat lost when the login cannot be renewed and there is no reauthenticate', async () => {
    const session = fakeSession('jwt.a.b', NOW / 1000 + 60, NOW / 1000 + 90);
    const r = rig({ session });
    await joined(r);
    vi.setSystemTime(NOW + 120_000);
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(r.seen.seatLost).toEqual([{ matchId: 'm1.node', reason: 'session_expired' }]);
  });
});

describe('RejoinClient: messages', () => {
  it('applies the next broadcast, ignores what the SNAPSHOT holds, and RESYNCs once per gap', async () => {
    const r = rig();
    r.server.seq = 5;
    await joined(r);
    const s = r.server.last;
    s.deliver(3, { seq: 5, tick: 2, type: 'old' });
    s.deliver(3, { seq: 6, tick: 2, type: 'next' });
    s.deliver(3, { seq: 8, tick: 2, type: 'after-gap' });
    s.deliver(3, { seq: 9, tick: 2, type: 'after-gap' });
    expect(r.seen.event.map((e) => e.seq)).toEqual([6]);
    expect(s.sent.filter((m) => m.op === 101)).toHaveLength(1);
    r.rc.sendAction({ type: 'add', amount: 1 });
    s.deliver(1, { ...r.server.snapshot(), seq: 9, token: null, lastActionSeq: 0 });
    // A RESYNC's SNAPSHOT over the same socket: the action in flight is not sent twice.
    expect(s.actions()).toHaveLength(1);
    s.deliver(3, { seq: 10, tick: 3, type: 'next' });
    expect(r.seen.event.map((e) => e.seq)).toEqual([6, 10]);
    // The RESYNC SNAPSHOT carries no token: the stored one stays.
    expect(r.store.get('m1.node')?.token).toBe(tokenOf(1));
  });

  it('ACKs of every kind end the wait for an action', async () => {
    const r = rig();
    await joined(r);
    [1, 2, 3].forEach(() => r.rc.sendAction({ type: 'add', amount: 1 }));
    r.server.last.deliver(4, { actionSeq: 1, result: 'applied' });
    r.server.last.deliver(4, { actionSeq: 2, result: 'duplicate' });
    r.server.last.deliver(4, { actionSeq: 3, result: 'rejected', error: 'off_board' });
    expect(r.rc.unacknowledged).toEqual([]);
    expect(r.seen.ack).toHaveLength(3);
  });

  it('END reports the result, forgets the ticket and stops: a later close is not a drop', async () => {
    const r = rig();
    await joined(r);
    const s = r.server.last;
    s.deliver(5, { seq: 99, tick: 100, reason: 'round_over', result: { winner: null } });
    expect(r.seen.ended).toEqual([{ matchId: 'm1.node', reason: 'round_over', result: { winner: null } }]);
    expect(r.store.get('m1.node')).toBeNull();
    s.drop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.server.sockets).toHaveLength(1);
    expect(() => r.rc.sendAction({ type: 'add', amount: 1 })).toThrow(/not in a match/);
  });

  it('quit sends QUIT and forgets the ticket', async () => {
    const r = rig();
    await joined(r);
    const s = r.server.last;
    await r.rc.quit();
    expect(s.sent.map((m) => m.op)).toEqual([102]);
    expect(r.store.get('m1.node')).toBeNull();
    expect(r.rc.state).toBe('closed');
  });

  it('a seat taken over by another connection of the player is reported, not fought for', async () => {
    const r = rig();
    await joined(r);
    r.server.last.deliver(6, { code: 'not_seated', message: 'this session holds no seat' });
    expect(r.seen.seatLost).toEqual([{ matchId: 'm1.node', reason: 'taken_over' }]);
  });

  it('END taken_over (another device took the seat) is a lost seat, never a reason to reconnect', async () => {
    const r = rig();
    await joined(r);
    const connects = r.server.connects.length;
    r.server.last.deliver(5, { seq: 3, tick: 40, reason: 'taken_over', result: null });
    expect(r.seen.seatLost).toEqual([{ matchId: 'm1.node', reason: 'taken_over' }]);
    expect(r.seen.ended).toEqual([]);
    expect(r.rc.state).toBe('closed');
    // The server then removes this socket from the match; the client does not come back for the seat.
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(r.server.connects.length).toBe(connects);
  });

  it('calls an idempotent RPC through its login: under the prefix, renewed after a 401, one key for every try', async () => {
    const r = rig({ rpcPrefix: 'cards_' });
    const refused = (status: number, code: number, message: string) => new Response(JSON.stringify({ code, message }), { status });
    r.server.rpcReplies.cards_shop_purchase = [refused(401, 16, 'Auth token invalid'), refused(503, 14, 'unavailable'), { receiptId: 'r1' }];
    const p = r.rc.callIdempotent<{ receiptId: string }>('shop_purchase', { itemId: 'gem', quantity: 1 }, { backoff: { baseMs: 1, maxMs: 2 } });
    await vi.advanceTimersByTimeAsync(10);
    expect(await p).toEqual({ receiptId: 'r1' });
    expect(r.server.rpcs.map((c) => [c.id, c.token])).toEqual([
      ['cards_shop_purchase', 'jwt.header.body'],
      ['cards_shop_purchase', 'jwt.header.body+'],
      ['cards_shop_purchase', 'jwt.header.body+'],
    ]);
    expect(r.server.refreshes).toBe(1);
    expect(new Set(r.server.rpcs.map((c) => c.payload.idempotencyKey)).size).toBe(1);
    expect(r.server.rpcs[0].payload).toMatchObject({ itemId: 'gem', quantity: 1 });
  });

  it('stops an idempotent RPC at a refusal, and when the login cannot be renewed', async () => {
    const r = rig();
    r.server.rpcReplies.shop_purchase = [new Response(JSON.stringify({ code: 9, message: 'insufficient_funds' }), { status: 400 })];
    await expect(r.rc.callIdempotent('shop_purchase', { itemId: 'gem', quantity: 1 })).rejects.toMatchObject({ name: 'RpcRefused', status: 400, code: 9, message: 'insufficient_funds' });
    const expired = rig({ session: fakeSession('jwt.a.b', NOW / 1000 - 10, NOW / 1000 - 5) });
    await expect(expired.rc.callIdempotent('shop_purchase', {})).rejects.toMatchObject({ name: 'SessionExpired' });
    expect(expired.server.rpcs).toEqual([]);
  });

  it('keeps its match, seat and connection read-only', async () => {
    const r = rig();
    await joined(r);
    for (const field of ['matchId', 'seat', 'lastSnapshot', 'socket', 'state', 'session'] as const) {
      expect(() => ((r.rc as any)[field] = null)).toThrow(TypeError);
    }
    expect(r.rc.matchId).toBe('m1.node');
    expect(r.rc.seat).toBe(0);
    expect(r.rc.socket).toBe(r.server.last);
  });

  it('never logs a reconnect token or a login token', async () => {
    const r = rig({ session: fakeSession('eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOiJ1c2VyLTEifQ.c2lnbmF0dXJlc2lnbmF0dXJl', NOW / 1000 + 60, NOW / 1000 + 86_400) });
    await joined(r);
    r.rc.sendAction({ type: 'add', amount: 1 });
    r.server.joinReplies = [{ refuse: 'token_invalid' }, { refuse: `weird ${tokenOf(5)} token=${r.session.token}` }];
    r.server.rpcReplies.session_resume = [{ status: 'active', matchId: 'm1.node', seat: 0, mode: 'e2e', token: tokenOf(5) }];
    vi.setSystemTime(NOW + 120_000);
    r.server.last.drop();
    await vi.advanceTimersByTimeAsync(2000);
    const all = r.logs.join('\n');
    expect(r.logs.length).toBeGreaterThan(3);
    for (const n of [1, 2, 3, 4, 5, 6]) expect(all).not.toContain(tokenOf(n));
    expect(all).not.toContain('eyJ');
    expect(all).toContain('m1.node');
  });

  it('a throwing event handler does not break the connection', async () => {
    const r = rig();
    r.rc.on('snapshot', () => {
      throw new Error('app bug');
    });
    await joined(r);
    expect(r.rc.state).toBe('live');
  });
});
