// How many matches one user may create, through the fake server: the rate over a window, the cap
// on matches nobody has joined, races between one user's parallel requests, and what a refusal
// leaves behind (nothing).
import { describe, expect, it } from 'vitest';
import { failure, type FakeServer } from '../fakes/fake-nakama';
import { server } from './world';

const KEY = { collection: 'rejoin_limits', key: 'match_create' };

function limited(perWindow: number, windowSec: number, maxOpen: number): FakeServer {
  return server({ REJOIN_CREATE_LIMIT: JSON.stringify({ perWindow, windowSec, maxOpen }) });
}

function create(s: FakeServer, userId: string, rpc = 'match_create', mode = 'e2e'): string {
  return s.rpc(rpc, userId, { mode }).matchId;
}

function stored(s: FakeServer, userId: string): any {
  return s.nk().storageRead([{ ...KEY, userId }])[0] ?? null;
}

describe('match creation limit', () => {
  it('lets perWindow creations through per user, then answers RESOURCE_EXHAUSTED with when to retry', () => {
    const s = limited(2, 10, 10);
    create(s, 'alice');
    // match_find creates when no match of the mode has a seat open: that counts too.
    expect(s.rpc('match_find', 'alice', { mode: 'e2e_slow' }).created).toBe(true);
    const before = s.matches.size;
    expect(failure(() => create(s, 'alice'))).toMatchObject({ code: 8, message: 'create_rate_limited: at most 2 new matches per 10 s; try again in 10 s' });
    expect(failure(() => create(s, 'alice', 'match_find', 'e2e_round'))).toMatchObject({ code: 8, message: expect.stringMatching(/^create_rate_limited/) });
    expect(s.matches.size).toBe(before);
    // Another user has a window of its own.
    create(s, 'bob');
    expect(s.metrics.filter((m) => m.name === 'rejoin_match_create_refused_total')).toEqual([
      { name: 'rejoin_match_create_refused_total', tags: { reason: 'create_rate_limited' }, value: 1 },
      { name: 'rejoin_match_create_refused_total', tags: { reason: 'create_rate_limited' }, value: 1 },
    ]);
  });

  it('counts only creations: match_find that hands out a waiting match is free', () => {
    const s = limited(1, 10, 10);
    const id = create(s, 'alice');
    for (const u of ['bob', 'bob', 'bob']) expect(s.rpc('match_find', u, { mode: 'e2e' })).toEqual({ matchId: id, created: false });
    expect(stored(s, 'bob')).toBeNull();
  });

  it('lets the user create again once its oldest creation leaves the window', () => {
    const s = limited(2, 10, 10);
    create(s, 'alice');
    create(s, 'alice');
    expect(failure(() => create(s, 'alice')).code).toBe(8);
    // Ten seconds on: the stored times, moved back, are what the clock would have made of them.
    const o = stored(s, 'alice');
    s.nk().storageWrite([{ ...KEY, userId: 'alice', value: { t: o.value.t.map((t: number) => t - 10_000) }, version: o.version, permissionRead: 0, permissionWrite: 0 }]);
    create(s, 'alice');
  });

  it('keeps creation times where no client can read or change them', () => {
    const s = limited(5, 10, 10);
    create(s, 'alice');
    expect(stored(s, 'alice')).toMatchObject({ permissionRead: 0, permissionWrite: 0, value: { t: [expect.any(Number)] } });
  });

  it('reads a junk value a client planted before the first creation as no creations, and takes the object over', () => {
    const s = limited(1, 10, 10);
    s.nk().storageWrite([{ ...KEY, userId: 'alice', value: { t: 'none' }, permissionRead: 1, permissionWrite: 1 }]);
    create(s, 'alice');
    expect(stored(s, 'alice')).toMatchObject({ permissionWrite: 0, value: { t: [expect.any(Number)] } });
    expect(failure(() => create(s, 'alice')).code).toBe(8);
  });

  it('of two parallel creations of one user with one slot left, exactly one is admitted', () => {
    const s = limited(1, 10, 10);
    let rival: string | null = null;
    s.beforeCommit = () => {
      s.beforeCommit = null;
      // The user's other request commits its creation between this one's read and its write.
      rival = create(s, 'alice');
    };
    expect(failure(() => create(s, 'alice'))).toMatchObject({ code: 8, message: expect.stringMatching(/^create_rate_limited/) });
    expect(rival).not.toBeNull();
    expect(stored(s, 'alice').value.t).toHaveLength(1);
    expect([...s.matches.values()].filter((m) => JSON.parse(m.label).creator === 'alice')).toHaveLength(1);
  });

  it('caps the matches a user created that nobody has joined yet', () => {
    const s = limited(10, 10, 2);
    const first = create(s, 'alice');
    create(s, 'alice');
    expect(failure(() => create(s, 'alice'))).toMatchObject({
      code: 8,
      message: expect.stringMatching(/^too_many_open_matches: 2 matches you created are still waiting for their first player \(at most 2\)/),
    });
    expect(JSON.parse(s.matches.get(first)!.label)).toMatchObject({ creator: 'alice', fresh: true });
    // Someone sits down in one: it no longer counts, even after they leave again.
    const c = s.matches.get(first)!.connect('bob');
    c.join();
    c.leave();
    s.matches.get(first)!.step();
    expect(JSON.parse(s.matches.get(first)!.label)).toMatchObject({ fresh: false });
    create(s, 'alice');
    // A refused creation used no slot of the rate limit.
    expect(stored(s, 'alice').value.t).toHaveLength(3);
  });

  it('gives matchmaker matches no creator', () => {
    const s = limited(1, 10, 1);
    const id = s.matchmakerMatched(['alice', 'bob'], { mode: 'e2e' }) as string;
    expect(JSON.parse(s.matches.get(id)!.label)).toMatchObject({ creator: null, fresh: true });
    create(s, 'alice');
  });

  it.each([
    ['{"perWindow":0}', 'REJOIN_CREATE_LIMIT field "perWindow": must be a whole number from 1 to 1000 (got 0)'],
    ['{"maxOpen":3,"burst":2}', 'REJOIN_CREATE_LIMIT field "burst": unknown field (known: perWindow, windowSec, maxOpen)'],
  ])('stops the server at start-up on a bad REJOIN_CREATE_LIMIT %s', (value, message) => {
    expect(() => server({ REJOIN_CREATE_LIMIT: value })).toThrow(message);
  });
});

describe('match creation limit without the match listing', () => {
  it('counts waiting matches from its own record, so a listing that has not caught up lets no extra match through', () => {
    const s = limited(10, 10, 2);
    // The server's listing trails new matches by a second: in a burst it shows none of them.
    const nk = s.nk.bind(s);
    s.nk = () => ({ ...nk(), matchList: () => [] });
    create(s, 'alice');
    create(s, 'alice');
    expect(failure(() => create(s, 'alice'))).toMatchObject({ code: 8, message: expect.stringMatching(/^too_many_open_matches: 2 matches/) });
    expect([...s.matches.values()].filter((m) => JSON.parse(m.label).creator === 'alice')).toHaveLength(2);
  });

  it('a creation that fails gives its open place back', () => {
    const s = limited(10, 10, 1);
    const nk = s.nk.bind(s);
    s.nk = () => ({
      ...nk(),
      matchCreate: () => {
        throw new Error('no room');
      },
    });
    expect(failure(() => create(s, 'alice'))).toMatchObject({ code: 13 });
    expect(stored(s, 'alice').value).toMatchObject({ t: [expect.any(Number)], open: [] });
  });
});
