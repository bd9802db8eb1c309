// Modes changed without a redeploy: a table stored under the system user (rejoin_config/modes)
// replaces REJOIN_MODES for new matches, checked with the same rules; running matches keep theirs.
import { describe, expect, it } from 'vitest';
import { failure } from '../fakes/fake-nakama';
import { SYSTEM_USER } from '../../src/runtime/storage';
import { newMatch, server } from './world';

const STORED = { collection: 'rejoin_config', key: 'modes', userId: SYSTEM_USER, permissionRead: 0, permissionWrite: 0 };

describe('modes from storage', () => {
  it('a stored table takes effect for new matches within the cache time; running matches keep their mode', () => {
    const s = server();
    const before = newMatch(s, 'e2e');
    s.nk().storageWrite([{ ...STORED, value: { e2e: { seats: 3, tickRate: 10, graceSec: 9, roundSec: 60 }, blitz: { seats: 2, tickRate: 20, graceSec: 5, roundSec: 90 } } }]);
    // Still cached from the first read (a few seconds per node).
    expect(failure(() => s.rpc('match_create', 'u1', { mode: 'blitz' }))).toMatchObject({ code: 3 });
    s.clockShiftMs = 6000;
    const blitz = s.rpc('match_create', 'u2', { mode: 'blitz' });
    expect(JSON.parse(s.matches.get(blitz.matchId)!.label)).toMatchObject({ mode: 'blitz', size: 2 });
    const again = s.rpc('match_create', 'u3', { mode: 'e2e' });
    expect(JSON.parse(s.matches.get(again.matchId)!.label).size).toBe(3);
    // The match created before keeps its two seats.
    expect(JSON.parse(before.label).size).toBe(2);
    // Modes only in REJOIN_MODES are gone while the stored table is in force.
    expect(failure(() => s.rpc('match_create', 'u4', { mode: 'e2e_slow' }))).toMatchObject({ code: 3, message: expect.stringMatching(/blitz/) });
  });

  it('a bad stored table is ignored with an error naming the mode and field, and REJOIN_MODES stays in force', () => {
    const s = server();
    s.nk().storageWrite([{ ...STORED, value: { blitz: { seats: 99, tickRate: 20, graceSec: 5, roundSec: 90 } } }]);
    const m = s.rpc('match_create', 'u1', { mode: 'e2e' });
    expect(m.matchId).toBeTruthy();
    expect(s.logs.some((l) => l.level === 'error' && /stored mode table .* ignored.*mode "blitz" field "seats"/.test(l.text))).toBe(true);
  });

  it('clients cannot write the stored table', () => {
    const s = server();
    expect(failure(() => s.clientWriteStorage('mallory', [{ collection: 'rejoin_config', key: 'modes', value: { x: { seats: 2, roundSec: 5, graceSec: 1 } } }]))).toMatchObject({ code: 7 });
  });
});
