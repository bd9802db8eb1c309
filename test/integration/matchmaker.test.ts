// The matchmaker: matched players get an arena match whose seats nobody else can take.
import { describe, expect, it } from 'vitest';
import type { MatchmakerMatched } from '@heroiclabs/nakama-js';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, type Conn, connect, newUser, refusal } from './harness/client';
import { checkTokensNeverLogged, remember } from './harness/tokens';

checkTokensNeverLogged();
const open = closesAfterEach();

describe('matchmaker', () => {
  it('two matched players share a promised match; a third cannot take their seats', async () => {
    const [a, b, c] = await Promise.all([newUser('mm-a'), newUser('mm-b'), newUser('mm-c')]);
    const [ca, cb] = await Promise.all([connect(a), connect(b)]);
    open.push(ca, cb);
    const tag = `t${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const matched = (conn: Conn) =>
      new Promise<MatchmakerMatched>((resolve) => {
        conn.socket.onmatchmakermatched = resolve;
      });
    const ma = matched(ca);
    const mb = matched(cb);
    const query = `+properties.mode:e2e +properties.tag:${tag}`;
    await ca.socket.addMatchmaker(query, 2, 2, { mode: 'e2e', tag });
    await cb.socket.addMatchmaker(query, 2, 2, { mode: 'e2e', tag });
    const [ra, rb] = await Promise.all([ma, mb]);
    expect(ra.match_id).toBeTruthy();
    expect(ra.match_id).toBe(rb.match_id);
    const matchId = ra.match_id as string;
    await ca.join(matchId);
    await cb.join(matchId);
    const [sa, sb] = await Promise.all([ca.inbox.next(OpCode.SNAPSHOT), cb.inbox.next(OpCode.SNAPSHOT)]);
    remember(sa.token);
    remember(sb.token);
    expect(new Set([sa.you.seat, sb.you.seat]).size).toBe(2);
    const cc = await connect(c);
    open.push(cc);
    expect(await refusal(cc.join(matchId))).toBe('not_invited');
  }, 60_000);
});
