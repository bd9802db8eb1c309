// The arena's state as Nakama holds it between callbacks, and the quiet-tick check on it.
import { describe, expect, it } from 'vitest';
import { FRESH, isQuiet, pack, unpack } from '../../src/runtime/arena/match-state';
import { exportToGo, goBacked, keep } from '../fakes/go-state';
import { testMode, World } from '../core/world';

function stored(w: World): nkruntime.MatchState {
  // As the server passes it to the next callback: exported to Go, rebuilt as Go-backed objects.
  return goBacked(keep(exportToGo(pack(w.state, FRESH)))) as nkruntime.MatchState;
}

describe('match state in Nakama', () => {
  it('comes back from the server exactly as it was packed', () => {
    const w = new World(testMode());
    w.enter('alice');
    w.step(3);
    expect(unpack(stored(w))).toEqual(w.state);
  });

  it('a tick is quiet only with no input, before dueTick, in a match that has not ended', () => {
    const w = new World(testMode({ checkpointSec: 5 }));
    w.enter('alice');
    w.step(1);
    const due = w.state.dueTick;
    expect(due).toBe(50);
    expect(isQuiet(stored(w), due - 1, 0)).toBe(true);
    expect(isQuiet(stored(w), due, 0)).toBe(false);
    expect(isQuiet(stored(w), due - 1, 1)).toBe(false);
    w.state.ended = { reason: 'round_over', result: null, tick: 1 };
    expect(isQuiet(stored(w), 2, 0)).toBe(false);
  });

  it('a state from before dueTick existed is never taken as quiet', () => {
    expect(isQuiet({ json: '{}' } as unknown as nkruntime.MatchState, 5, 0)).toBe(false);
  });
});
