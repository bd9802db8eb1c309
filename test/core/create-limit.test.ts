import { describe, expect, it } from 'vitest';
import { admitCreation, checkCreateRate, checkOpenMatches, CreateLimitConfigError, creationRecord, creationTimes, matchesToCheck, parseCreateLimit, RESERVATION_MS, reservationKey, settleReservation } from '../../src/core/arena/create-limit';

const limit = { perWindow: 2, windowSec: 10, maxOpen: 3 };

function refusal(json: string): string {
  try {
    parseCreateLimit(json);
  } catch (e) {
    if (e instanceof CreateLimitConfigError) return e.message;
    throw e;
  }
  throw new Error('expected the setting to be refused');
}

describe('REJOIN_CREATE_LIMIT', () => {
  it('defaults to 5 per 10 s and 3 open, field by field', () => {
    expect(parseCreateLimit(undefined)).toEqual({ perWindow: 5, windowSec: 10, maxOpen: 3 });
    expect(parseCreateLimit(' ')).toEqual({ perWindow: 5, windowSec: 10, maxOpen: 3 });
    expect(parseCreateLimit('{"maxOpen":1,"windowSec":2.5}')).toEqual({ perWindow: 5, windowSec: 2.5, maxOpen: 1 });
  });

  it.each([
    ['{"perWindow":0}', /field "perWindow": must be a whole number from 1 to 1000 \(got 0\)/],
    ['{"perWindow":2.5}', /"perWindow": must be a whole number/],
    ['{"windowSec":"10"}', /field "windowSec": must be a number from 1 to 86400 \(got "10"\)/],
    ['{"maxOpen":null}', /field "maxOpen": must be a whole number from 1 to 1000 \(got null\)/],
    ['{"maxopen":3}', /field "maxopen": unknown field \(known: perWindow, windowSec, maxOpen\)/],
    ['[5]', /must be a JSON object/],
    ['{perWindow:5}', /is not valid JSON/],
  ])('refuses %s saying which field and why', (json, why) => {
    expect(refusal(json)).toMatch(/^REJOIN_CREATE_LIMIT/);
    expect(refusal(json)).toMatch(why);
  });
});

describe('creation rate', () => {
  it('allows perWindow creations per window and answers what to store', () => {
    const first = checkCreateRate(null, 1000, limit);
    expect(first).toEqual({ ok: true, times: [1000] });
    const second = checkCreateRate({ t: [1000] }, 2000, limit);
    expect(second).toEqual({ ok: true, times: [1000, 2000] });
    expect(checkCreateRate({ t: [1000, 2000] }, 3000, limit)).toEqual({ ok: false, error: 'create_rate_limited', message: 'at most 2 new matches per 10 s; try again in 8 s' });
    expect(checkCreateRate({ t: [1000, 2000] }, 11_000, limit)).toEqual({ ok: true, times: [2000, 11_000] });
  });

  it('rounds the wait up to whole seconds, at least 1', () => {
    expect(checkCreateRate({ t: [1000, 2000] }, 10_999, limit)).toMatchObject({ message: expect.stringMatching(/try again in 1 s$/) });
    expect(checkCreateRate({ t: [1000, 2000] }, 9_500, limit)).toMatchObject({ message: expect.stringMatching(/try again in 2 s$/) });
  });

  it.each([
    ['nothing stored', null],
    ['a string', 'x'],
    ['no list', { t: 5 }],
    ['a list of junk', { t: ['1000', null, {}, Number.NaN] }],
  ])('reads %s as no creations', (_name, stored) => {
    expect(creationTimes(stored)).toEqual([]);
    expect(checkCreateRate(stored, 5000, limit)).toEqual({ ok: true, times: [5000] });
  });

  it('reads at most the latest 1000 creation times', () => {
    const many = Array.from({ length: 1500 }, (_, i) => i);
    expect(creationTimes({ t: many })).toEqual(many.slice(500));
  });
});

describe('open matches', () => {
  it('refuses once maxOpen matches of the user wait for their first player', () => {
    expect(checkOpenMatches(2, limit)).toBeNull();
    expect(checkOpenMatches(3, limit)).toMatchObject({ ok: false, error: 'too_many_open_matches', message: expect.stringMatching(/^3 matches you created .*at most 3/) });
  });
});

describe('the creation record', () => {
  const lim = { perWindow: 10, windowSec: 10, maxOpen: 2 };
  const empty = creationRecord(null);

  it('admits by reserving a place in the same record that keeps the time, so a burst is counted before any match exists', () => {
    const first = admitCreation(empty, [], 1000, lim, reservationKey('a'));
    expect(first).toEqual({ ok: true, record: { t: [1000], open: [{ k: 'r:a', at: 1000 }] } });
    if (!first.ok) return;
    const second = admitCreation(first.record, [], 1001, lim, reservationKey('b'));
    if (!second.ok) throw new Error('second refused');
    // Two reservations, no match made yet, nothing listed anywhere: the third is refused.
    expect(admitCreation(second.record, [], 1002, lim, reservationKey('c'))).toMatchObject({ ok: false, error: 'too_many_open_matches' });
  });

  it('replaces a reservation with its match, and a match leaves once it is no longer waiting', () => {
    const a = admitCreation(empty, [], 1000, lim, 'r:a');
    if (!a.ok) throw new Error('refused');
    const made = settleReservation(a.record, 'r:a', 'm1.node', 1500);
    expect(made.open).toEqual([{ k: 'm1.node', at: 1000 }]);
    expect(matchesToCheck(made)).toEqual(['m1.node']);
    const b = admitCreation(made, ['m1.node'], 2000, lim, 'r:b');
    if (!b.ok) throw new Error('refused');
    // m1 got a player (or ended): it is no longer among the waiting, and its place is free.
    const c = admitCreation(settleReservation(b.record, 'r:b', 'm2.node', 2100), ['m2.node'], 2200, lim, 'r:c');
    expect(c).toMatchObject({ ok: true, record: { open: [{ k: 'm2.node' }, { k: 'r:c' }] } });
  });

  it('drops the reservation of a failed creation at once, and one never settled after it lapses', () => {
    const a = admitCreation(empty, [], 1000, lim, 'r:a');
    if (!a.ok) throw new Error('refused');
    expect(settleReservation(a.record, 'r:a', null, 1100).open).toEqual([]);
    const b = admitCreation(a.record, [], 1001, lim, 'r:b');
    if (!b.ok) throw new Error('refused');
    expect(admitCreation(b.record, [], 1000 + RESERVATION_MS - 1, lim, 'r:c')).toMatchObject({ ok: false });
    expect(admitCreation(b.record, [], 1001 + RESERVATION_MS, lim, 'r:c')).toMatchObject({ ok: true });
  });

  it('a refusal by the rate writes nothing and leaves the open places as they were', () => {
    const tight = { perWindow: 1, windowSec: 10, maxOpen: 5 };
    const a = admitCreation(empty, [], 1000, tight, 'r:a');
    if (!a.ok) throw new Error('refused');
    expect(admitCreation(a.record, [], 2000, tight, 'r:b')).toMatchObject({ ok: false, error: 'create_rate_limited' });
  });

  it.each([
    ['nothing', null],
    ['junk entries', { t: [1], open: [null, 5, { k: 3, at: 1 }, { k: '', at: 1 }, { k: 'x', at: 'y' }] }],
    ['open not a list', { t: [1], open: 'x' }],
  ])('reads a record with %s as no open matches', (_name, stored) => {
    expect(creationRecord(stored).open).toEqual([]);
  });
});
