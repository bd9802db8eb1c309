// The arena's state between callbacks: live in the match's runtime, checked against the revision
// Nakama hands back; and the quiet-tick check on what Nakama holds.
import { describe, expect, it } from 'vitest';
import { FRESH } from '../../src/runtime/arena/match-io';
import { isQuiet, ownershipOf, pack, unpack } from '../../src/runtime/arena/match-state';
import { exportToGo, goBacked, keep } from '../fakes/go-state';
import { testMode, World } from '../core/world';

let n = 0;
function stored(id: string, w: World): nkruntime.MatchState {
  // As the server passes it to the next callback: exported to Go, rebuilt as Go-backed objects.
  return goBacked(keep(exportToGo(pack(id, w.state, FRESH)))) as nkruntime.MatchState;
}

describe('match state in Nakama', () => {
  it('the next callback finds the very state the last one handed back, without copying it', () => {
    const id = `m${++n}`;
    const w = new World(testMode());
    w.enter('alice');
    w.step(3);
    const st = stored(id, w);
    expect(unpack(id, st)).toBe(w.state);
    expect(ownershipOf(id, st)).toEqual(FRESH);
    // What Nakama holds is small and plain, whatever the state.
    expect(Object.keys(exportToGo(st) as object).sort()).toEqual(['dueTick', 'ended', 'rev']);
  });

  it('a revision that is not the latest is refused loudly, never taken for the live state', () => {
    const id = `m${++n}`;
    const w = new World(testMode());
    const old = stored(id, w);
    stored(id, w);
    expect(() => unpack(id, old)).toThrow(/not found at revision/);
    expect(() => unpack('another-match', old)).toThrow(/not found/);
  });

  it('a tick is quiet only with no input, before dueTick, in a match that has not ended', () => {
    const id = `m${++n}`;
    const w = new World(testMode({ checkpointSec: 5 }));
    w.enter('alice');
    w.step(1);
    const due = w.state.dueTick;
    expect(due).toBe(50);
    expect(isQuiet(stored(id, w), due - 1, 0)).toBe(true);
    expect(isQuiet(stored(id, w), due, 0)).toBe(false);
    expect(isQuiet(stored(id, w), due - 1, 1)).toBe(false);
    w.state.ended = { reason: 'round_over', result: null, tick: 1 };
    expect(isQuiet(stored(id, w), 2, 0)).toBe(false);
  });

  it('a state without dueTick is never taken as quiet', () => {
    expect(isQuiet({ rev: 1 } as unknown as nkruntime.MatchState, 5, 0)).toBe(false);
  });
});
