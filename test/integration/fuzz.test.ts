// Nasty input against the real server: every payload of fuzz-corpus.json goes to every RPC over
// HTTP, and as match data into a live arena match under the op codes the match reads and under
// some it does not. RPCs answer 4xx with {message, code}, never 5xx; the match answers every
// message and keeps running for everyone; no coin or item moves; the server logs no error.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MessageError, OpCode } from '../../src/protocol';
import { closesAfterEach, coins, createMatch, eventually, expectNoSourcePaths, newUser, owned, rpcRaw, type Player } from './harness/client';
import { checkErrorLines } from './harness/log';
import { act, seat, type Seated } from './harness/table';
import { checkTokensNeverLogged, remember } from './harness/tokens';

checkTokensNeverLogged();
checkErrorLines({ allowLostRaces: false });
const open = closesAfterEach();

interface Entry {
  name: string;
  text?: string;
  json?: unknown;
  generate?: { repeat?: string; times?: number; before?: string; after?: string; nest?: [string, string]; depth?: number; inner?: string; keys?: number };
  bytes?: string;
}

interface Payload {
  name: string;
  bytes: Uint8Array;
  /** Not UTF-8 text: sent to RPCs as the raw body. */
  raw: boolean;
}

const enc = new TextEncoder();

function textOf(e: Entry): string {
  if (e.text !== undefined) return e.text;
  if (e.json !== undefined) return JSON.stringify(e.json);
  const g = e.generate;
  if (g?.repeat !== undefined) return `${g.before ?? ''}${g.repeat.repeat(g.times ?? 1)}${g.after ?? ''}`;
  if (g?.nest !== undefined) return `${g.nest[0].repeat(g.depth ?? 1)}${g.inner ?? ''}${g.nest[1].repeat(g.depth ?? 1)}`;
  if (g?.keys !== undefined) return JSON.stringify(Object.fromEntries(Array.from({ length: g.keys }, (_, i) => [`k${i}`, i])));
  throw new Error(`corpus entry ${e.name} has no payload`);
}

const corpus = JSON.parse(readFileSync(new URL('./fuzz-corpus.json', import.meta.url), 'utf8')) as { payloads: Entry[] };
const payloads: Payload[] = corpus.payloads.map((e) =>
  e.bytes !== undefined ? { name: e.name, bytes: Uint8Array.from(Buffer.from(e.bytes, 'hex')), raw: true } : { name: e.name, bytes: enc.encode(textOf(e)), raw: false },
);

const RPCS = ['match_create', 'match_find', 'session_resume', 'shop_purchase'];
/** HTTP status Nakama gives each gRPC code an RPC may answer with. */
const HTTP_OF: Record<number, number> = { 3: 400, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 16: 401 };
/**
 * Largest match data sent. The socket refuses frames over 4096 bytes by closing the socket (the
 * server's limit, not the match's), and nakama-js sends the data base64-encoded in a JSON envelope.
 */
const MAX_MATCH_DATA = 2800;
/** Op codes the match does not read: client-bound ones, unused ones, negative and past 32 bits. */
const UNKNOWN_OPS = [0, OpCode.SNAPSHOT, OpCode.ERROR, 55, 103, -1, 2 ** 31];

/** What the player holds that no bad input may change. */
async function holdings(p: Player): Promise<{ coins: number; items: Record<string, number> }> {
  return { coins: await coins(p), items: await owned(p) };
}

/** Runs `f` over the items, `width` at a time. */
async function inParallel<T>(items: T[], width: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await f(items[next++]);
    }),
  );
}

/** Whether the match reads this body as a JSON object (the only kind an op acts on). */
function readsAsObject(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  if (text.length > 2048) return false;
  try {
    const v = JSON.parse(text.trim() === '' ? '{}' : text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Answers to one player's own messages (SNAPSHOT, ACK, ERROR) from inbox position `from` on. */
function answers(s: Seated, from: number): { op: number; body: any }[] {
  return s.conn.inbox.all.slice(from).filter((m) => m.op === OpCode.SNAPSHOT || m.op === OpCode.ACK || m.op === OpCode.ERROR);
}

/**
 * At most this many messages in flight: the match answers every one within a tick, and Nakama
 * closes a socket whose outgoing queue (socket.outgoing_queue_size, 64) overflows.
 */
const BURST = 16;

/** Sends every payload under `op` and waits until each has been answered; returns the answers. */
async function sendAll(s: Seated, matchId: string, op: number, batch: Payload[]): Promise<{ op: number; body: any }[]> {
  const from = s.conn.inbox.all.length;
  for (let i = 0; i < batch.length; i += BURST) {
    const upTo = Math.min(batch.length, i + BURST);
    for (const x of batch.slice(i, upTo)) s.conn.socket.sendMatchState(matchId, op, x.bytes);
    // On a timeout the count below says how many were answered.
    await eventually(() => answers(s, from).length >= upTo, 5000, 20).catch(() => undefined);
  }
  const got = answers(s, from);
  for (const m of got) if (m.op === OpCode.SNAPSHOT) remember(m.body?.token);
  expect(got, `answers to op ${op}`).toHaveLength(batch.length);
  return got;
}

describe('fuzz corpus', () => {
  it('holds nasty inputs of every kind, and none is a valid request', () => {
    expect(payloads.length).toBeGreaterThan(50);
    expect(payloads.some((x) => x.bytes.length > 65_536)).toBe(true);
    expect(payloads.some((x) => x.raw)).toBe(true);
    expect(payloads.filter((x) => x.bytes.length <= MAX_MATCH_DATA && readsAsObject(x.bytes)).length).toBeGreaterThan(10);
  });

  it('every RPC answers every payload with 4xx {message, code} (session_resume may answer none), never 5xx, and no coin moves', async () => {
    const p = await newUser('fuzz');
    const before = await holdings(p);
    const calls = RPCS.flatMap((id) => payloads.map((x) => ({ id, x })));
    await inParallel(calls, 8, async ({ id, x }) => {
      const { status, body, answer } = await rpcRaw(p, id, x.raw ? x.bytes : new TextDecoder().decode(x.bytes));
      const what = `${id} <- ${x.name}: ${status} ${JSON.stringify(body)?.slice(0, 200)}`;
      if (status === 200) {
        // Any JSON object is a valid session_resume request; this player holds no seat.
        expect(id, what).toBe('session_resume');
        expect(answer, what).toEqual({ status: 'none' });
        return;
      }
      expect(status >= 400 && status < 500, what).toBe(true);
      expect(body, what).toMatchObject({ message: expect.any(String), code: expect.any(Number) });
      expect(HTTP_OF[body.code], what).toBe(status);
      expectNoSourcePaths(body);
    });
    expect(await holdings(p)).toEqual(before);
  });

  it('a live match answers every payload under every op code, keeps running, then applies a valid action; no coin moves', async () => {
    const [a, b] = await Promise.all([newUser('fuzz'), newUser('quitter')]);
    const matchId = await createMatch(a, 'casual');
    const alice = await seat(a, matchId);
    const bob = await seat(b, matchId);
    open.push(alice.conn, bob.conn);
    const before = await holdings(a);
    const fit = payloads.filter((x) => x.bytes.length <= MAX_MATCH_DATA);

    for (const m of await sendAll(alice, matchId, OpCode.ACTION, fit)) {
      if (m.op === OpCode.ACK) expect(m.body.result).not.toBe('applied');
      else expect([MessageError.BAD_JSON, MessageError.BAD_MESSAGE]).toContain(m.body.code);
    }
    for (const m of await sendAll(alice, matchId, OpCode.RESYNC, fit)) {
      if (m.op !== OpCode.SNAPSHOT) expect(m.body.code).toBe(MessageError.BAD_JSON);
    }
    for (const op of UNKNOWN_OPS) {
      for (const m of await sendAll(alice, matchId, op, fit)) expect([MessageError.BAD_JSON, MessageError.UNKNOWN_OP]).toContain(m.body?.code);
    }

    // QUIT acts on any JSON object: what is not one is refused, the first one that is frees the seat.
    const notObjects = fit.filter((x) => !readsAsObject(x.bytes));
    for (const m of await sendAll(bob, matchId, OpCode.QUIT, notObjects)) expect(m.body.code).toBe(MessageError.BAD_JSON);
    bob.conn.socket.sendMatchState(matchId, OpCode.QUIT, fit.find((x) => readsAsObject(x.bytes))!.bytes);
    await alice.conn.inbox.next(OpCode.SEAT, { where: (m) => m.seat === bob.snapshot.you.seat && m.reason === 'left' });

    alice.conn.send(matchId, OpCode.RESYNC, {});
    const snap = await alice.conn.inbox.next(OpCode.SNAPSHOT, { where: (s) => s.seats.some((x: any) => x.seat === bob.snapshot.you.seat && x.status === 'free') });
    expect(await act(alice, matchId, { actionSeq: snap.lastActionSeq + 1, type: 'add', amount: 3 })).toMatchObject({ result: 'applied' });
    expect(alice.conn.closed).toBe(false);
    expect(await holdings(a)).toEqual(before);
  });
});
