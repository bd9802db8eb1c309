// What one match callback works with, and what this copy of the match knows about its claim to
// be the one live copy. Types only (and the starting ownership): the files that fill, apply and
// keep these import them from here, never from each other.

import type { ArenaDeps, ArenaState, Incoming } from '../../core/arena/index.js';
import type { Effects } from '../../core/arena/effects.js';
import { NO_LEASE, type Lease } from '../../core/arena/lease.js';

/** What the adapter keeps about this copy's claim to be the one live copy of the match. */
export interface Ownership {
  /** The lease on the checkpoint object (core/arena/lease.ts). */
  lease: Lease;
  /** Unix ms of the last failed attempt to renew a lapsed lease, to space the attempts out. */
  retryAtMs: number | null;
  /**
   * A restored match waits to see its restore committed before it acts: the id of the match it
   * restores. null once confirmed (or for a match that was not restored).
   */
  confirming: string | null;
  /**
   * ACTIONs that came while this copy held (it could not confirm it is still the live copy), in
   * the order they came: applied first once it may act again, dropped if it hands over (their
   * senders never had an ACK, so they resend them to the copy that continues). null: none.
   */
  held: Incoming[] | null;
}

export const FRESH: Ownership = { lease: NO_LEASE, retryAtMs: null, confirming: null, held: null };

/** The server's handles for the callback running now. */
export interface MatchIo {
  ctx: nkruntime.Context;
  logger: nkruntime.Logger;
  nk: nkruntime.Nakama;
  dispatcher: nkruntime.MatchDispatcher;
  tick: number;
  /** ctx.matchId, read once per callback. */
  matchId: string;
  /** This copy's ownership, updated by checkpoint writes; packed with the state at the end. */
  own: Ownership;
  /** Set when a checkpoint write found that another copy has taken the match over. */
  superseded: boolean;
  /**
   * Session ids the server lists in this match: joined and not yet left, seated or not. Kept for
   * the match's life (one io per match), so that a send to exactly these goes to the whole match.
   */
  sessions: Set<string>;
}

/**
 * One callback, opened (match-step.ts): the server's io, the live state, the match's effect list
 * (applied and emptied after each core transition) and the core's dependencies. One per match,
 * refilled for every callback: nothing in it outlives the callback that fills it.
 */
export interface MatchStep {
  io: MatchIo;
  state: ArenaState;
  fx: Effects;
  deps: ArenaDeps;
  /** The message the loop is handling, refilled for each one: the core keeps none of it. */
  incoming: Incoming;
}
