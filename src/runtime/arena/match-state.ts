// How the arena's state is kept in Nakama between callbacks: as one JSON string, plus the few
// fields read without parsing it. Nakama exports match state to Go after every callback and
// rebuilds it as Go-backed objects before the next; the core needs plain objects, and the
// JavaScript runtime turns one string into them faster than it walks Go-backed objects. It also
// keeps the server's copying traps (nested assignment, boxed values, key order) out of the core.

import type { ArenaState } from '../../core/arena/index.js';
import { NO_LEASE, type Lease } from '../../core/lease.js';

/** What the adapter keeps about this copy's claim to be the one live copy of the match. */
export interface Ownership {
  /** The lease on the checkpoint object (core/lease.ts). */
  lease: Lease;
  /** Unix ms of the last failed attempt to renew a lapsed lease, to space the attempts out. */
  retryAtMs: number | null;
  /**
   * A restored match waits to see its restore committed before it acts: the id of the match it
   * restores. null once confirmed (or for a match that was not restored).
   */
  confirming: string | null;
}

export const FRESH: Ownership = { lease: NO_LEASE, retryAtMs: null, confirming: null };

/** The match state as Nakama holds it. */
export interface Stored {
  /** The whole ArenaState as JSON. */
  json: string;
  /** ArenaState.dueTick, readable without parsing. */
  dueTick: number;
  /** Whether the match has ended, readable without parsing. */
  ended: boolean;
  /** Ownership as JSON. */
  own: string;
}

export function pack(s: ArenaState, own: Ownership): nkruntime.MatchState {
  const stored: Stored = { json: JSON.stringify(s), dueTick: s.dueTick, ended: s.ended !== null, own: JSON.stringify(own) };
  return stored as unknown as nkruntime.MatchState;
}

export function unpack(state: nkruntime.MatchState): ArenaState {
  return JSON.parse(String((state as unknown as Stored).json)) as ArenaState;
}

export function ownershipOf(state: nkruntime.MatchState): Ownership {
  const raw = (state as unknown as Partial<Stored>).own;
  return typeof raw === 'string' ? (JSON.parse(raw) as Ownership) : { ...FRESH };
}

/**
 * A tick with no input before the state's dueTick changes nothing: the loop hands the state back
 * as it came, without parsing it. An idle or waiting match is quiet almost every tick.
 */
export function isQuiet(state: nkruntime.MatchState, tick: number, messages: number): boolean {
  const stored = state as unknown as Partial<Stored>;
  return messages === 0 && stored.ended === false && typeof stored.dueTick === 'number' && tick < stored.dueTick;
}
