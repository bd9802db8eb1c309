// How the adapter addresses a send: Nakama sends to a null list from the match's own presence
// list, and to a named list only after converting and looking up every presence in it.
import { describe, expect, it } from 'vitest';
import { FRESH, type MatchIo } from '../../src/runtime/arena/match-io';
import { applyEffects } from '../../src/runtime/arena/apply-effects';
import type { Effect, PresenceRef } from '../../src/core/arena/effects';
import { testMode, World } from '../core/world';

function presence(sessionId: string): PresenceRef {
  return { userId: `u-${sessionId}`, sessionId, username: sessionId, node: 'n1' };
}

/** Applies one send with the server listing `listed`; returns the recipients as the server was asked. */
function sendTo(listed: string[], to: PresenceRef[]): PresenceRef[] | null {
  const asked: (PresenceRef[] | null)[] = [];
  const dispatcher = { broadcastMessage: (_op: number, _data: string, presences: PresenceRef[] | null) => asked.push(presences) };
  const io = { dispatcher, matchId: 'm', tick: 0, own: FRESH, superseded: false, sessions: new Set(listed) } as unknown as MatchIo;
  const send: Effect = { type: 'send', op: 3, data: '{}', to };
  applyEffects(io, [send], new World(testMode()).state);
  expect(asked).toHaveLength(1);
  return asked[0];
}

describe('sends', () => {
  it('a send to every session the match lists goes to the whole match', () => {
    expect(sendTo(['a', 'b'], [presence('b'), presence('a')])).toBeNull();
    expect(sendTo(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'].map(presence))).toBeNull();
  });

  it('names its recipients when the match lists a session that is not one of them', () => {
    // A session that was taken over, or quit, stays listed until the server processes its leave.
    const to = [presence('a'), presence('b')];
    expect(sendTo(['a', 'b', 'old'], to)).toBe(to);
    // Same count, another session: never taken for the same set.
    expect(sendTo(['a', 'old'], to)).toBe(to);
  });

  it('names a single recipient (the server checks one presence cheaply)', () => {
    const to = [presence('a')];
    expect(sendTo(['a'], to)).toBe(to);
  });
});
