// Bad input over the wire gets a clear error and never stops the match for anyone else.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, connect, createMatch, expectNoSourcePaths, expectRpcError, newUser, refusal, rpc, rpcRaw } from './harness/client';
import { act, table } from './harness/table';
import { checkTokensNeverLogged } from './harness/tokens';

checkTokensNeverLogged();
const open = closesAfterEach();

describe('bad input', () => {
  it('malformed messages get ERROR and the match keeps running for everyone', async () => {
    const { matchId, alice, bob } = await table();
    open.push(alice.conn, bob.conn);
    const cases: [number, unknown, string][] = [
      [OpCode.ACTION, 'not json {', 'bad_json'],
      [OpCode.ACTION, '[1,2,3]', 'bad_json'],
      // Over the match's 2048-character limit, under the socket's 4096-byte frame limit (base64 grows it by a third).
      [OpCode.ACTION, 'x'.repeat(2100), 'bad_json'],
      [OpCode.ACTION, { actionSeq: 'one', type: 'add' }, 'bad_message'],
      [OpCode.ACTION, { actionSeq: 1e300, type: 'add', amount: 1 }, 'bad_message'],
      [OpCode.ACTION, { actionSeq: -1, type: 'add', amount: 1 }, 'bad_message'],
      [OpCode.ACTION, { type: 'add', amount: 1 }, 'bad_message'],
      [55, {}, 'unknown_op'],
    ];
    for (const [op, body, code] of cases) {
      alice.conn.send(matchId, op, body);
      expect(await alice.conn.inbox.next(OpCode.ERROR)).toMatchObject({ code, message: expect.any(String) });
    }
    const huge = await act(alice, matchId, { actionSeq: 1, type: 'add', amount: 1e18 });
    expect(huge).toMatchObject({ result: 'rejected', error: expect.stringMatching(/1 to 10/) });
    expect((await act(bob, matchId, { actionSeq: 1, type: 'add', amount: 2 })).result).toBe('applied');
    expect((await act(alice, matchId, { actionSeq: 2, type: 'move', dx: 1, dy: 0 })).result).toBe('applied');
  });

  it('join metadata other than a string token is refused metadata_invalid', async () => {
    const a = await newUser();
    const matchId = await createMatch(a);
    const c = await connect(a);
    open.push(c);
    expect(await refusal(c.join(matchId, { foo: 'bar' }))).toBe('metadata_invalid');
    const c2 = await connect(a);
    open.push(c2);
    expect(await refusal(c2.join(matchId, { token: 'nonsense' }))).toBe('token_invalid');
    const c3 = await connect(a);
    open.push(c3);
    await c3.join(matchId);
    expect((await c3.inbox.next(OpCode.SNAPSHOT)).you.seat).toBe(0);
  });

  it('RPCs answer bad payloads with {message, code} and the right status', async () => {
    const a = await newUser();
    await expectRpcError(rpc(a, 'match_create', { mode: 'nope' }), { status: 400, code: 3, message: /mode must be one of/ });
    await expectRpcError(rpc(a, 'match_find', {}), { status: 400, code: 3 });
    await expectRpcError(a.client.rpcHttpKey?.('defaulthttpkey', 'match_create', { mode: 'e2e' }) ?? Promise.reject(new Error('no rpcHttpKey')), { status: 401, code: 16 });
  });

  it('the stack trace Nakama adds to an RPC error names the bundle, never a source file', async () => {
    const a = await newUser();
    const bad: [string, string][] = [
      ['match_create', '{"mode":"nope"}'],
      ['match_find', 'not json'],
      ['session_resume', '[1]'],
      ['shop_purchase', '{"idempotencyKey":"x"}'],
    ];
    for (const [id, payload] of bad) {
      const { status, body } = await rpcRaw(a, id, payload);
      expect(status, id).toBe(400);
      expect(body).toMatchObject({ code: 3, message: expect.any(String) });
      // The server always adds the trace; it is read here, not merely absent.
      expect(body.error?.stackTrace, id).toMatch(/index\.js:\d+:\d+/);
      expectNoSourcePaths(body);
    }
  });
});
