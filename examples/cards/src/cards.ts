// A turn-based card game: every seat holds a private hand, and on its turn plays one card onto
// the pile, scoring its value. When every hand is empty, the highest score wins.
//
// Turn-based games hold a dropped seat for hours, so a drop must not stall the table: while a
// seat's player is reconnecting its turn passes on, and the seat plays again once it is back.
// When its grace window runs out the seat is out of the game, its hand discarded.

import { NEVER, type FreedReason, type GameEvent, type GameRules, type ModeConfig } from 'nakama-rejoin/server';

export const HAND_SIZE = 5;

export interface CardsState {
  /** Each seat's hand: private, only its own seat ever sees it. */
  hands: number[][];
  /** The seat has been taken. */
  seated: boolean[];
  /** The seat's player dropped and has not come back yet (the seat is reserved). */
  away: boolean[];
  /** The seat was freed: out of the game. */
  out: boolean[];
  pile: { seat: number; card: number }[];
  scores: number[];
  /** Whose turn it is; null before every seat is taken, or while nobody present can play. */
  turn: number | null;
  started: boolean;
}

/** What one seat sees: its own hand, and of the others only how many cards they hold. */
export interface CardsView {
  hand: number[];
  handSizes: number[];
  pile: { seat: number; card: number }[];
  scores: number[];
  turn: number | null;
  away: boolean[];
  out: boolean[];
}

/** The hand dealt to a seat: a fixed interleaved deck (this example's rules get no random source). */
function deal(seat: number, seats: number): number[] {
  const hand: number[] = [];
  for (let i = 0; i < HAND_SIZE; i++) hand.push((((seat + i * seats) * 7) % 13) + 1);
  return hand;
}

function canPlay(g: CardsState, seat: number): boolean {
  return g.seated[seat] && !g.out[seat] && !g.away[seat] && g.hands[seat].length > 0;
}

/** The next seat after `from` that can play (from itself last), or null. */
function nextTurn(g: CardsState, from: number): number | null {
  const n = g.hands.length;
  for (let k = 1; k <= n; k++) {
    const s = (from + k) % n;
    if (canPlay(g, s)) return s;
  }
  return null;
}

function isOver(g: CardsState): boolean {
  if (!g.started) return false;
  const inGame = g.hands.map((_, s) => s).filter((s) => g.seated[s] && !g.out[s]);
  return inGame.length < 2 || inGame.every((s) => g.hands[s].length === 0);
}

function passTurn(g: CardsState, seat: number, reason: string): GameEvent[] {
  if (g.turn !== seat) return [];
  g.turn = nextTurn(g, seat);
  return [{ type: 'turn_passed', from: seat, to: g.turn, reason }];
}

export const cardRules: GameRules<CardsState> = {
  init(mode: ModeConfig): CardsState {
    const n = mode.seats;
    return {
      hands: Array.from({ length: n }, () => []),
      seated: Array(n).fill(false),
      away: Array(n).fill(false),
      out: Array(n).fill(false),
      pile: [],
      scores: Array(n).fill(0),
      turn: null,
      started: false,
    };
  },

  seatTaken(g: CardsState, seat: number): GameEvent[] {
    g.hands[seat] = deal(seat, g.hands.length);
    g.seated[seat] = true;
    const events: GameEvent[] = [{ type: 'dealt', seat, cards: HAND_SIZE }];
    if (!g.started && g.seated.every(Boolean)) {
      g.started = true;
      g.turn = 0;
      events.push({ type: 'turn', seat: 0 });
    }
    return events;
  },

  applyAction(g: CardsState, seat: number, action: Record<string, unknown>) {
    if (action.type !== 'play') return { ok: false, error: 'unknown action type (expected play)' };
    if (g.turn !== seat) return { ok: false, error: 'not your turn' };
    const at = g.hands[seat].indexOf(action.card as number);
    if (at < 0) return { ok: false, error: 'card not in your hand' };
    const card = g.hands[seat][at];
    g.hands[seat].splice(at, 1);
    g.pile.push({ seat, card });
    g.scores[seat] += card;
    g.turn = nextTurn(g, seat);
    return { ok: true, events: [{ type: 'played', seat, card }, { type: 'turn', seat: g.turn }] };
  },

  seatDropped(g: CardsState, seat: number, deadline: number | null): GameEvent[] {
    g.away[seat] = true;
    return [{ type: 'reconnecting', seat, deadline }, ...passTurn(g, seat, 'dropped')];
  },

  seatResumed(g: CardsState, seat: number): GameEvent[] {
    g.away[seat] = false;
    const events: GameEvent[] = [{ type: 'back', seat }];
    // Nobody else could play while this seat was away: the game goes on with it.
    if (g.started && g.turn === null && canPlay(g, seat)) {
      g.turn = seat;
      events.push({ type: 'turn', seat });
    }
    return events;
  },

  seatFreed(g: CardsState, seat: number, reason: FreedReason): GameEvent[] {
    g.out[seat] = true;
    g.away[seat] = false;
    g.hands[seat] = [];
    return [{ type: 'seat_out', seat, reason }, ...passTurn(g, seat, reason)];
  },

  tick(g: CardsState) {
    return { events: [], over: isOver(g) };
  },

  // Nothing happens between moves: the match sleeps until a move, a drop or the end.
  nextTick(g: CardsState, from: number): number {
    return isOver(g) ? from : NEVER;
  },

  view(g: CardsState, seat: number): CardsView {
    return {
      hand: g.hands[seat].slice(),
      handSizes: g.hands.map((h) => h.length),
      pile: g.pile,
      scores: g.scores,
      turn: g.turn,
      away: g.away,
      out: g.out,
    };
  },

  result(g: CardsState) {
    let winner: number | null = null;
    let best = -1;
    g.scores.forEach((score, seat) => {
      if (!g.seated[seat] || g.out[seat]) return;
      if (score > best) {
        best = score;
        winner = seat;
      } else if (score === best) winner = null;
    });
    return { scores: g.scores, out: g.out, winner };
  },
};
