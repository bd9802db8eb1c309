// The demo game behind `arena`: small, but enough state that a lost or doubled action shows.
// Each seat has a score and a position on a square board; actions `add` and `move`.

import { NEVER, type ActionOutcome, type FreedReason, type GameEvent, type GameRules } from './game.js';
import type { ModeConfig } from './modes.js';

export const BOARD_SIZE = 10;
export const MAX_ADD = 10;

export interface DemoSeat {
  /** Sum of every applied `add`. */
  score: number;
  /** Position on the board, 0..BOARD_SIZE-1 on each axis. */
  x: number;
  y: number;
  /** Set once the seat was lost mid-round (grace expired, left, or released). */
  forfeited: boolean;
}

export interface DemoState {
  /** One entry per seat, indexed by seat number. */
  seats: DemoSeat[];
}

function isSmallInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function startPosition(seat: number): { x: number; y: number } {
  // Seats start spread along the diagonal so positions differ from the first tick.
  const p = seat % BOARD_SIZE;
  return { x: p, y: p };
}

/** What a tick of the demo game does: nothing (one object, not a new one every tick). */
const QUIET: { events: GameEvent[] } = { events: [] };

export const demoGame: GameRules<DemoState> = {
  init(mode: ModeConfig): DemoState {
    const seats: DemoSeat[] = [];
    for (let i = 0; i < mode.seats; i++) seats.push({ score: 0, ...startPosition(i), forfeited: false });
    return { seats };
  },

  seatTaken(game: DemoState, seat: number): GameEvent[] {
    game.seats[seat] = { score: 0, ...startPosition(seat), forfeited: false };
    return [];
  },

  applyAction(game: DemoState, seat: number, action: Record<string, unknown>): ActionOutcome {
    const s = game.seats[seat];
    if (action.type === 'add') {
      if (!isSmallInt(action.amount, 1, MAX_ADD)) return { ok: false, error: `amount must be a whole number from 1 to ${MAX_ADD}` };
      s.score += action.amount;
      return { ok: true, events: [{ type: 'scored', seat, amount: action.amount, score: s.score }] };
    }
    if (action.type === 'move') {
      const { dx, dy } = action;
      if (!isSmallInt(dx, -1, 1) || !isSmallInt(dy, -1, 1)) return { ok: false, error: 'dx and dy must each be -1, 0 or 1' };
      const x = s.x + dx;
      const y = s.y + dy;
      if (x < 0 || y < 0 || x >= BOARD_SIZE || y >= BOARD_SIZE) return { ok: false, error: 'out of bounds' };
      s.x = x;
      s.y = y;
      return { ok: true, events: [{ type: 'moved', seat, x, y }] };
    }
    return { ok: false, error: 'unknown action type (expected add or move)' };
  },

  seatFreed(game: DemoState, seat: number, reason: FreedReason): GameEvent[] {
    game.seats[seat].forfeited = true;
    return [{ type: 'forfeit', seat, reason }];
  },

  tick(): { events: GameEvent[] } {
    return QUIET;
  },

  // Nothing happens between actions: the round clock is the match's, not the game's.
  nextTick(): number {
    return NEVER;
  },

  view(game: DemoState): DemoState {
    // Nothing is hidden in the demo: every seat sees every score and position.
    return game;
  },

  result(game: DemoState): unknown {
    const scores = game.seats.map((s, seat) => ({ seat, score: s.score, forfeited: s.forfeited }));
    let winner: number | null = null;
    let best = -1;
    for (const s of scores) {
      if (s.forfeited) continue;
      if (s.score > best) {
        best = s.score;
        winner = s.seat;
      } else if (s.score === best) winner = null;
    }
    return { scores, winner };
  },
};
