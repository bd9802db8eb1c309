// How the arena's state is kept in Nakama between callbacks: as one JSON string, plus the two
// fields a quiet tick reads. Nakama exports match state to Go after every callback and rebuilds
// it as Go-backed objects before the next; the core needs plain objects, and the JavaScript
// runtime turns one string into them faster than it walks Go-backed objects. It also keeps the
// server's copying traps (nested assignment, boxed values, key order) out of the core entirely.

import type { ArenaState } from '../core/arena';

/** The match state as Nakama holds it. */
export interface Stored {
  /** The whole ArenaState as JSON. */
  json: string;
  /** ArenaState.dueTick, readable without parsing. */
  dueTick: number;
  /** Whether the match has ended, readable without parsing. */
  ended: boolean;
}

export function pack(s: ArenaState): nkruntime.MatchState {
  const stored: Stored = { json: JSON.stringify(s), dueTick: s.dueTick, ended: s.ended !== null };
  return stored as unknown as nkruntime.MatchState;
}

export function unpack(state: nkruntime.MatchState): ArenaState {
  return JSON.parse(String((state as unknown as Stored).json)) as ArenaState;
}

/**
 * A tick with no input before the state's dueTick changes nothing: the loop hands the state back
 * as it came, without parsing it. An idle or waiting match is quiet almost every tick.
 */
export function isQuiet(state: nkruntime.MatchState, tick: number, messages: number): boolean {
  const stored = state as unknown as Partial<Stored>;
  return messages === 0 && stored.ended === false && typeof stored.dueTick === 'number' && tick < stored.dueTick;
}
