// Several independent Nakama nodes on one PostgreSQL database, as a studio scaling past one
// machine runs the open-source server: a match lives on exactly one node at a time. Node A
// reaches the database through a fault proxy, so the test can cut it off.
//
// Mode e2e checkpoints every second: a 3 s lease. Its owner stops acting 1.5 s after its last
// successful checkpoint write; other nodes may take over 3 s after it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, createMatch, eventually, newClient, newUser, rpc, sleep, type Player } from './harness/client';
import { FaultProxy } from '../../tools/fault-proxy';
import { startServer, type StartedServer } from '../../tools/nakama-server.mjs';
import { act, seat, type Seated } from './harness/table';
import { checkTokensNeverLogged, remember } from './harness/tokens';
import { sql } from './harness/db';
import { withNodeBinary } from './harness/nodes';

checkTokensNeverLogged();
const open = closesAfterEach();

const { bin, suite } = withNodeBinary('MULTI-NODE TESTS');

let a: StartedServer;
let b: StartedServer;
let c: StartedServer;
let dbProxy: FaultProxy;

function portOf(node: StartedServer): number {
  return Number(new URL(node.url).port);
}

/** The same login, talking to another node (what a load balancer routing by node gives). */
function on(p: Player, node: StartedServer): Player {
  return { client: newClient(portOf(node)), session: p.session, userId: p.userId };
}

/** SQL on the nodes' database, straight to PostgreSQL (not through node A's proxy). */
function nodesSql(query: string): string {
  const direct = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  direct.pathname = `/${a.database}`;
  return sql(query, direct.toString());
}

function restoresOf(matchId: string): number {
  return Number(nodesSql(`SELECT count(*) FROM storage WHERE collection = 'rejoin_restore' AND key = '${matchId}'`));
}

/** Alice and Bob seated on `node` in a new e2e match, Alice 5 points up, a checkpoint written. */
async function playing(node: StartedServer): Promise<{ matchId: string; alice: Seated; bob: Seated }> {
  // Accounts live in the nodes' own database, not the suite's server's.
  const [pa, pb] = await Promise.all([newUser('alice', portOf(node)), newUser('bob', portOf(node))]);
  const matchId = await createMatch(on(pa, node), 'e2e');
  const alice = await seat(on(pa, node), matchId);
  const bob = await seat(on(pb, node), matchId);
  open.push(alice.conn, bob.conn);
  expect((await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 5 })).result).toBe('applied');
  await sleep(1300);
  return { matchId, alice, bob };
}

/**
 * session_resume until it answers `active`, as a client behind a load balancer that routes by
 * node does: starting on `node`, following an `elsewhere` answer to the node it names, and
 * back to `node` when that one does not answer (dead, or cut off from the database).
 */
async function resumeUntilActive(p: Player, node: StartedServer, timeoutMs = 15_000): Promise<{ answer: any; node: StartedServer; hops: string[] }> {
  let at = node;
  const hops: string[] = [];
  const answer = await eventually(
    async () => {
      const r = await rpc(on(p, at), 'session_resume', {}).catch((err) => {
        at = node;
        throw err;
      });
      if (r.status === 'elsewhere') {
        hops.push(r.node);
        at = [a, b, c].find((n) => n.name === r.node) ?? at;
      }
      return r.status === 'active' ? r : null;
    },
    timeoutMs,
    100,
  );
  remember(answer.token);
  return { answer, node: at, hops };
}

suite('one live copy across nodes on one database', () => {
  beforeAll(async () => {
    const admin = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    dbProxy = await FaultProxy.start({ host: admin.hostname, port: Number(admin.port || 5432) });
    a = await startServer(bin, { logPrefix: 'node-a', databaseHostPort: `127.0.0.1:${dbProxy.port}` });
    [b, c] = await Promise.all([startServer(bin, { logPrefix: 'node-b', database: a.database }), startServer(bin, { logPrefix: 'node-c', database: a.database })]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([b?.stop(), c?.stop()]);
    await a?.stop();
    await dbProxy?.close();
  });

  it('owner alive on another node: the player is told where it runs, and nothing is restored', async () => {
    const { matchId, alice, bob } = await playing(a);
    const answer = await rpc(on(bob.player, b), 'session_resume', {});
    expect(answer).toEqual({ status: 'elsewhere', matchId, seat: bob.snapshot.you.seat, mode: 'e2e', node: a.name });
    expect(restoresOf(matchId)).toBe(0);
    // The original plays on; and its own node hands out a token as before.
    expect((await act(alice, matchId, { actionSeq: 2, type: 'add', amount: 1 })).result).toBe('applied');
    const here = await rpc(on(bob.player, a), 'session_resume', {});
    remember(here.token);
    expect(here).toMatchObject({ status: 'active', matchId });
  });

  it('cut off from the database past its lease, the original holds, stops acting and hands over to the one restored copy', async () => {
    const { matchId, alice, bob } = await playing(a);
    dbProxy.partition();
    const cut = Date.now();
    try {
      await sleep(2000);
      // Past half the lease: the action is held, unanswered and unapplied (the owner drops it when
      // it hands over; the client resends it to the copy that continues).
      alice.conn.send(matchId, OpCode.ACTION, { actionSeq: 2, type: 'add', amount: 100 });
      await sleep(500);
      expect(alice.conn.inbox.of(OpCode.ERROR)).toEqual([]);
      expect(alice.conn.inbox.of(OpCode.ACK).map((m: any) => m.actionSeq)).toEqual([1]);
      // Node B restores the match once the lease has run out, not before.
      const { answer } = await resumeUntilActive(bob.player, b);
      // The lease runs from the last checkpoint written before the cut (at most a second before it).
      expect(Date.now() - cut).toBeGreaterThan(1900);
      expect(answer.matchId).not.toBe(matchId);
      expect(answer.matchId.endsWith(`.${b.name}`)).toBe(true);
      const back = await seat(on(bob.player, b), answer.matchId, { token: answer.token });
      open.push(back.conn);
      expect(back.snapshot.game.seats[alice.snapshot.you.seat].score).toBe(5);
    } finally {
      dbProxy.heal();
    }
    // The original learns it was superseded (or lapsed) and tells its players to move.
    const end = await alice.conn.inbox.next(OpCode.END, { timeoutMs: 10_000 });
    expect(end).toMatchObject({ reason: 'moved', result: null });
    const acks = alice.conn.inbox.of(OpCode.ACK).map((m: any) => m.actionSeq);
    expect(acks).toEqual([1]);
    expect(restoresOf(matchId)).toBe(1);
    const where = await eventually(async () => {
      const r = await rpc(on(alice.player, a), 'session_resume', {});
      return r.status === 'elsewhere' ? r : null;
    }, 10_000);
    expect(where).toMatchObject({ node: b.name, seat: alice.snapshot.you.seat });
  });

  it('a crashed node: both players racing on two other nodes get one copy, after the lease', async () => {
    const { matchId, alice, bob } = await playing(a);
    await a.kill('SIGKILL');
    const killed = Date.now();
    // Alice asks node B, Bob node C, at once and over and over: while the lease holds both are
    // told the match runs on node A; then both nodes try to restore it and one wins; the other
    // answers elsewhere, naming the winner's node, which the player follows.
    const [aliceAnswer, bobAnswer] = await Promise.all([resumeUntilActive(alice.player, b), resumeUntilActive(bob.player, c)]);
    expect(aliceAnswer.answer.matchId).toBe(bobAnswer.answer.matchId);
    expect(aliceAnswer.node).toBe(bobAnswer.node);
    expect(aliceAnswer.hops.concat(bobAnswer.hops)).toContain(a.name);
    const winnerNode = aliceAnswer.node;
    const newId = aliceAnswer.answer.matchId;
    const [backA, backB] = await Promise.all([
      seat(on(alice.player, winnerNode), newId, { token: aliceAnswer.answer.token }),
      seat(on(bob.player, winnerNode), newId, { token: bobAnswer.answer.token }),
    ]);
    open.push(backA.conn, backB.conn);
    const failoverMs = Date.now() - killed;
    console.log(`failover: node killed -> both players hold their SNAPSHOT on ${winnerNode.name} after ${failoverMs} ms (lease 3000 ms)`);
    expect(failoverMs).toBeGreaterThan(1500);
    expect(backA.snapshot).toMatchObject({ resumed: true, lastActionSeq: 1 });
    expect(backA.snapshot.game.seats[alice.snapshot.you.seat].score).toBe(5);
    // The resent action is a duplicate; the next one applies once.
    expect((await act(backA, newId, { actionSeq: 1, type: 'add', amount: 5 })).result).toBe('duplicate');
    expect((await act(backA, newId, { actionSeq: 2, type: 'add', amount: 1 })).result).toBe('applied');
    expect(restoresOf(matchId)).toBe(1);
    expect(Number(nodesSql(`SELECT count(*) FROM storage WHERE collection = 'rejoin_checkpoint' AND key = '${matchId}'`))).toBe(0);
  });
});
