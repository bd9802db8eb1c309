// A two-seat match with both players seated, the starting point of most scenarios.
import { OpCode } from '../../../src/protocol';
import { connect, createMatch, newUser, type Conn, type Player } from './client';
import { remember } from './tokens';

export interface Seated {
  player: Player;
  conn: Conn;
  snapshot: any;
  token: string;
}

export async function seat(player: Player, matchId: string, opts: { viaProxy?: boolean; token?: string } = {}): Promise<Seated> {
  const conn = await connect(player, { viaProxy: opts.viaProxy });
  await conn.join(matchId, opts.token === undefined ? undefined : { token: opts.token });
  const snapshot = await conn.inbox.next(OpCode.SNAPSHOT);
  remember(snapshot.token);
  return { player, conn, snapshot, token: snapshot.token };
}

/** Alice (through a fault proxy) and Bob (direct) seated in a fresh match of `mode`. */
export async function table(mode = 'e2e'): Promise<{ matchId: string; alice: Seated; bob: Seated }> {
  const [a, b] = await Promise.all([newUser('alice'), newUser('bob')]);
  const matchId = await createMatch(a, mode);
  const alice = await seat(a, matchId, { viaProxy: true });
  const bob = await seat(b, matchId);
  return { matchId, alice, bob };
}

/** Sends an action and waits for its ACK. */
export async function act(s: Seated, matchId: string, body: Record<string, unknown>): Promise<any> {
  s.conn.send(matchId, OpCode.ACTION, body);
  return s.conn.inbox.next(OpCode.ACK, { where: (a) => a.actionSeq === body.actionSeq });
}
