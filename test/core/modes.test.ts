import { describe, expect, it } from 'vitest';
import { DEFAULT_MODES_JSON, longestGraceSec, ModeTableError, parseModeTable } from '../../src/core/modes';

function errorOf(json: string): ModeTableError {
  try {
    parseModeTable(json);
  } catch (e) {
    if (e instanceof ModeTableError) return e;
    throw e;
  }
  throw new Error('expected the table to be refused');
}

describe('mode table', () => {
  it('fills defaults and keeps what designers set', () => {
    const t = parseModeTable('{"duel":{"seats":2,"graceSec":45,"roundSec":120}}');
    expect(t.duel).toMatchObject({ name: 'duel', seats: 2, tickRate: 10, graceSec: 45, roundSec: 120, rejoinAttempts: 10, resumeByAccount: true });
  });

  it('uses the built-in modes when REJOIN_MODES is unset or blank', () => {
    expect(Object.keys(parseModeTable(undefined))).toEqual(Object.keys(JSON.parse(DEFAULT_MODES_JSON)));
    expect(parseModeTable('  ').ranked.graceSec).toBe(60);
  });

  it('accepts manual grace', () => {
    expect(parseModeTable('{"m":{"seats":2,"graceSec":"manual","roundSec":60}}').m.graceSec).toBe('manual');
  });

  it.each([
    ['{"duel":{"seats":0,"graceSec":5,"roundSec":60}}', 'duel', 'seats', /between 1 and 16/],
    ['{"duel":{"seats":2.5,"graceSec":5,"roundSec":60}}', 'duel', 'seats', /whole number/],
    ['{"duel":{"seats":2,"graceSec":-1,"roundSec":60}}', 'duel', 'graceSec', /"manual"/],
    ['{"duel":{"seats":2,"graceSec":"forever","roundSec":60}}', 'duel', 'graceSec', /got "forever"/],
    ['{"duel":{"seats":2,"graceSec":5,"roundSec":60,"tickRate":61}}', 'duel', 'tickRate', /between 1 and 60/],
    ['{"duel":{"seats":2,"graceSec":5}}', 'duel', 'roundSec', /required/],
    ['{"duel":{"seats":2,"graceSec":5,"roundSec":60,"gracesec":5}}', 'duel', 'gracesec', /unknown field/],
    ['{"duel":{"seats":"2","graceSec":5,"roundSec":60}}', 'duel', 'seats', /must be a number/],
    ['{"duel":{"seats":2,"graceSec":5,"roundSec":60,"resumeByAccount":"no"}}', 'duel', 'resumeByAccount', /true or false/],
  ])('refuses %s naming the mode and the field', (json, mode, field, why) => {
    const e = errorOf(json);
    expect(e.mode).toBe(mode);
    expect(e.field).toBe(field);
    expect(e.message).toContain(`mode "${mode}" field "${field}"`);
    expect(e.message).toMatch(why);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[]', /JSON object of modes/],
    ['{}', /at least one mode/],
    ['{"Bad Name":{"seats":2,"graceSec":5,"roundSec":60}}', /mode name/],
    ['{"duel":5}', /must be an object/],
  ])('refuses the table %s', (json, why) => {
    expect(errorOf(json).message).toMatch(why);
  });

  it('reports the longest timed grace window, ignoring manual modes', () => {
    expect(longestGraceSec(parseModeTable('{"a":{"seats":1,"graceSec":30,"roundSec":9},"b":{"seats":1,"graceSec":"manual","roundSec":9},"c":{"seats":1,"graceSec":90,"roundSec":9}}'))).toBe(90);
  });
});
