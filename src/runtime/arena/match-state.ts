// How the arena's state is kept between callbacks.
//
// Each match runs on a JavaScript runtime of its own for its whole life, and the server calls its
// callbacks one at a time. The bundle's top-level bindings are not properties of the global
// object, which is all the server freezes, and a Map's entries stay writable even when the Map
// object is frozen. So the live state stays here, as plain objects, from one callback to the
// next: no callback parses or serializes it, and an action costs what the game and the seat
// rules cost. Nakama's own copy of the match state holds only a revision to check the live state
// against, and the few fields a quiet tick reads without touching it.
//
// A callback that fails part-way keeps what it changed before the failure (the core never
// leaves a seat half-changed between two of its effects; the adapter catches per presence and
// per message). Checkpoints copy the state when they are written.

import { isDue, type ArenaState } from '../../core/arena/index.js';
import type { MatchStep, Ownership } from './match-io.js';

/** The match state as Nakama holds it. */
export interface Stored {
  /** Revision of the live state this callback handed back; the next callback must find it. */
  rev: number;
  /** ArenaState.dueTick, readable without the live state. */
  dueTick: number;
  /** Whether the match has ended, readable without the live state. */
  ended: boolean;
}

/** The live state of one match and this copy's ownership, as the last callback left them. */
export interface Live {
  rev: number;
  state: ArenaState;
  own: Ownership;
  /**
   * What every callback reuses instead of building it anew (match-step.ts): its io, the effect
   * list, the core's deps and the message slot. Made by the first callback that opens a step.
   */
  step: MatchStep | null;
}

/** Per match id (a match runtime runs one match): its live state. */
const LIVE = new Map<string, Live>();

export function pack(matchId: string, s: ArenaState, own: Ownership): nkruntime.MatchState {
  // Kept after the match ends too: the callback that sees `ended` stops the match, and the
  // runtime goes with it.
  let entry = LIVE.get(matchId);
  if (entry === undefined) {
    entry = { rev: 0, state: s, own, step: null };
    LIVE.set(matchId, entry);
  }
  entry.rev += 1;
  entry.state = s;
  entry.own = own;
  const stored: Stored = { rev: entry.rev, dueTick: s.dueTick, ended: s.ended !== null };
  return stored as unknown as nkruntime.MatchState;
}

/** The live state the server's copy points at (one lookup for the state and the ownership). */
export function liveOf(matchId: string, state: nkruntime.MatchState): Live {
  const entry = LIVE.get(matchId);
  const rev = Number((state as unknown as Partial<Stored>).rev);
  // Cannot happen while the server keeps one runtime per match: failing loudly beats guessing.
  if (entry === undefined || entry.rev !== rev) throw new Error(`arena: live state of ${matchId} not found at revision ${rev}`);
  return entry;
}

export function unpack(matchId: string, state: nkruntime.MatchState): ArenaState {
  return liveOf(matchId, state).state;
}

export function ownershipOf(matchId: string, state: nkruntime.MatchState): Ownership {
  return liveOf(matchId, state).own;
}

/**
 * A tick with no input before the state's dueTick changes nothing: the loop hands the state back
 * as it came, without looking at the live state. An idle or waiting match is quiet almost every tick.
 */
export function isQuiet(state: nkruntime.MatchState, tick: number, messages: number): boolean {
  const stored = state as unknown as Partial<Stored>;
  return messages === 0 && stored.ended === false && typeof stored.dueTick === 'number' && !isDue(stored as { dueTick: number }, tick);
}
