// The seam between the reconnection machinery and a game. The seat table, grace, tokens,
// snapshots and dedupe call these hooks and never look inside the game's state, so a game team
// swaps the demo game for its own by implementing this interface.

import type { ModeConfig } from './modes.js';

/** "No tick is due": a tick number no match reaches (kept finite: state is JSON). */
export const NEVER = Number.MAX_SAFE_INTEGER;

/** A game event, broadcast as an EVENT message (the core adds seq and tick). */
export interface GameEvent {
  type: string;
  [field: string]: unknown;
}

/** Why a seat was freed, as the game is told. */
export type FreedReason = 'expired' | 'left' | 'released';

export type ActionOutcome = { ok: true; events: GameEvent[] } | { ok: false; error: string };

/**
 * A game's rules. The game state `G` lives inside match state, so it must be plain JSON data:
 * no classes, Maps, Sets or undefined values (the server copies state between callbacks).
 * Hooks mutate `game` in place and return what everyone should be told.
 */
export interface GameRules<G = unknown> {
  init(mode: ModeConfig): G;
  /** A new player took `seat` (a first join, not a rejoin). */
  seatTaken(game: G, seat: number, tick: number): GameEvent[];
  /** An action from the player in `seat`; `action` is the client's ACTION minus actionSeq. */
  applyAction(game: G, seat: number, action: Record<string, unknown>, tick: number): ActionOutcome;
  /**
   * The seat was freed: grace ran out, the player left, or the game released it. Called exactly
   * once per freeing; the place for forfeit, AI fill or passing the turn.
   */
  seatFreed(game: G, seat: number, reason: FreedReason, tick: number): GameEvent[];
  /**
   * Optional: the player in `seat` dropped and its seat is now reserved. `deadline` is the first
   * tick at which the seat is lost (null for a manual grace window). The place to AI-fill the
   * seat, pause a turn clock or show "reconnecting"; the seat is still the player's.
   */
  seatDropped?(game: G, seat: number, deadline: number | null, tick: number): GameEvent[];
  /** Optional: the player of a reserved seat is back, inside its grace window. */
  seatResumed?(game: G, seat: number, tick: number): GameEvent[];
  /**
   * Runs once per tick after the inputs. `over` ends the match; `release` frees reserved seats
   * now (how a game ends a manual grace window, or cuts one short by its own rules).
   */
  tick(game: G, tick: number): { events: GameEvent[]; over?: boolean; release?: number[] };
  /**
   * Optional: the first tick, from `from` on, at which `tick` has work to do without any input
   * (NEVER for none). Leave it out and `tick` runs every tick. With it, a match sleeps through
   * quiet ticks: the server then pays almost nothing for an idle match.
   */
  nextTick?(game: G, from: number): number;
  /** What the player in `seat` may see (its SNAPSHOT's `game`). */
  view(game: G, seat: number): unknown;
  /** The final result, sent in END and kept for session_resume. */
  result(game: G): unknown;
}
