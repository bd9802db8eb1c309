import { describe, expect, it } from 'vitest';
import { checkCreateRate, checkOpenMatches, CreateLimitConfigError, creationTimes, parseCreateLimit } from '../../src/core/create-limit';

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
