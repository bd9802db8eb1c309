// How many matches one user may create, against the real server over HTTP (nakama-js): local.yml
// sets REJOIN_CREATE_LIMIT to 5 per 10 s and 3 matches waiting for their first player.
import { describe, expect, it } from 'vitest';
import { OpCode } from '../../src/protocol';
import { closesAfterEach, connect, createMatch, eventually, expectRpcError, newUser, type Player } from './harness/client';
import { checkErrorLines } from './harness/log';

const open = closesAfterEach();
// Creations racing in a burst lose version checks of nk.storageWrite, which the server logs at
// debug level: a flood leaves no error-level line.
checkErrorLines({ allowLostRaces: false });
const MODE = 'casual';
const PER_WINDOW = 5;
const MAX_OPEN = 3;

/** Matches the player created, as the server's match index lists them (`fresh`: nobody joined yet). */
async function listed(p: Player, fresh: boolean | null): Promise<number> {
  const query = `+label.creator:${p.userId}${fresh === null ? '' : ` +label.fresh:${fresh ? 'T' : 'F'}`}`;
  const list = await p.client.listMatches(p.session, 100, true, undefined, undefined, undefined, query);
  return (list.matches ?? []).length;
}

/** Takes a seat in the match with another player, so that it no longer waits for one. */
async function sitIn(matchId: string): Promise<void> {
  const c = await connect(await newUser('guest'));
  open.push(c);
  await c.join(matchId);
  await c.inbox.next(OpCode.SNAPSHOT);
}

describe('match creation limit', () => {
  it('a user gets perWindow new matches per window, then 429 with when to retry', async () => {
    const a = await newUser('maker');
    for (let i = 0; i < PER_WINDOW; i++) await sitIn(await createMatch(a, MODE));
    const refused = await expectRpcError(a.client.rpc(a.session, 'match_create', { mode: MODE }), { status: 429, code: 8, message: /^create_rate_limited: at most 5 new matches per 10 s; try again in \d+ s$/ });
    expect(Number(/in (\d+) s$/.exec(refused.message)![1])).toBeLessThanOrEqual(10);
    // match_find finds no coop match with a seat open (the suite plays none), so it would have to
    // create one: refused the same way.
    const coop = await a.client.listMatches(a.session, 10, true, undefined, undefined, undefined, '+label.mode:coop +label.open:>=1');
    expect(coop.matches ?? []).toEqual([]);
    await expectRpcError(a.client.rpc(a.session, 'match_find', { mode: 'coop' }), { status: 429, code: 8, message: /^create_rate_limited/ });
  });

  it('a burst of parallel creations by one user gets no more than the limit through', async () => {
    const a = await newUser('flood');
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => a.client.rpc(a.session, 'match_create', { mode: MODE })));
    const made = results.filter((r) => r.status === 'fulfilled').length;
    // Counted in the user's own record, not the match index (which trails new matches by up to a
    // second): the open-match cap holds even in a burst.
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThanOrEqual(MAX_OPEN);
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      await expectRpcError(Promise.reject(r.reason), { status: 429, code: 8, message: /^(create_rate_limited|too_many_open_matches): / });
    }
    expect(await eventually(async () => (await listed(a, null)) === made, 4000, 200)).toBe(true);
  });

  it('a user may leave at most maxOpen matches waiting for a first player', async () => {
    const a = await newUser('idle');
    const ids: string[] = [];
    for (let i = 0; i < MAX_OPEN; i++) ids.push(await createMatch(a, MODE));
    await eventually(async () => (await listed(a, true)) === MAX_OPEN, 4000, 200);
    await expectRpcError(a.client.rpc(a.session, 'match_create', { mode: MODE }), {
      status: 429,
      code: 8,
      message: /^too_many_open_matches: 3 matches you created are still waiting for their first player \(at most 3\)/,
    });
    await sitIn(ids[0]);
    await eventually(async () => (await listed(a, true)) === MAX_OPEN - 1, 4000, 200);
    expect(await listed(a, false)).toBe(1);
    await createMatch(a, MODE);
  });
});
