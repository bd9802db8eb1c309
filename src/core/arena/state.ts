// The arena match's state. It lives in Nakama's match state, which the server exports to Go after
// every callback and rebuilds before the next: everything here is plain JSON data (no classes,
// Maps, Sets or undefined), and nothing outside the state remembers anything between callbacks.

import type { GameRules } from '../game.js';
import { MAX_SEATS, type ModeConfig } from '../modes.js';
import type { Effects, PresenceRef } from './effects.js';
import type { AttemptLog } from './rate-limit.js';
import type { TokenDeps } from './tokens.js';
import { SeatStatus } from '../../protocol.js';
import { graceTicks, secondsToTicks } from './grace.js';

/** A join attempt the match accepted; the seat is held for it until its matchJoin arrives. */
export interface Claim {
  /** Session of the accepted attempt. */
  sessionId: string;
  userId: string;
  /** Tick of the attempt; the claim lapses `claimTicks` later if the join never completes. */
  tick: number;
  /** Hash of the token presented, for a rejoin; null for a first join. */
  usedHash: string | null;
}

export interface SeatRecord {
  /** Index of the seat, 0-based, fixed for the match. */
  seat: number;
  /** The holder while connected or reserved; null while free. */
  userId: string | null;
  username: string | null;
  status: SeatStatus;
  /** The holder's live presence while connected; null otherwise. */
  presence: PresenceRef | null;
  /** Hash of the latest token issued for this seat. */
  tokenHash: string | null;
  /**
   * Hash of the token the current session consumed to get in. Honoured once more if that
   * session drops before sending anything (it may never have received its new token); cleared
   * by its first message.
   */
  prevTokenHash: string | null;
  /** The current session has sent a message since it was issued its token. */
  confirmed: boolean;
  /** Pending accepted join for this seat, if any. */
  claim: Claim | null;
  /** Tick of the drop while reserved. */
  dropTick: number | null;
  /** First tick at which a reserved seat is lost; null while connected or for manual grace. */
  deadline: number | null;
  /** Highest actionSeq of the holder that was processed (applied or rejected by the game). */
  lastActionSeq: number;
}

/** A token revoked with its seat, remembered so a late rejoin learns why it was refused. */
export interface GoneToken {
  userId: string;
  tokenHash: string;
  reason: 'expired' | 'lost';
}

export interface ArenaState {
  /** Format version of this state, for checkpoints. */
  v: 1;
  /** The mode as it was when the match started; a later config change does not alter it. */
  mode: ModeConfig;
  /** Grace length in ticks, null for manual grace. */
  graceTicks: number | null;
  /** How long a join attempt's claim is held, in ticks. */
  claimTicks: number;
  /** Ticks between periodic checkpoints; 0 for none (graceful shutdown still writes one). */
  checkpointTicks: number;
  /** Id of the match this one was restored from after a restart, if any. */
  restoredFrom: string | null;
  /** Event sequence number of the last broadcast. */
  seq: number;
  seats: SeatRecord[];
  /** User ids the seats are promised to (matchmaker); null for an open match. */
  invited: string[] | null;
  /** The user whose match_create or match_find made the match; null for matchmaker matches. */
  creator: string | null;
  /** Recent rejoin attempts per user, for the rate limit. */
  attempts: AttemptLog;
  /** Recently revoked tokens, newest last, bounded to a few per seat. */
  gone: GoneToken[];
  /** Tick at which the round clock runs out. */
  roundEndTick: number;
  /** Tick from which the match has had nobody seated, connected or reserved. */
  emptySinceTick: number;
  /**
   * First tick at which the clock has work to do without any input: a claim lapses, a grace
   * window ends, the round ends, a checkpoint or the game's own tick is due. Ticks before it
   * with no messages are quiet: the adapter skips them without copying the state.
   */
  dueTick: number;
  /** Someone has taken a seat at least once (an empty match that had players is over). */
  everSeated: boolean;
  /** Label last published, to publish only changes. */
  label: string;
  /**
   * Tick at which a graceful server shutdown froze the match, right after its checkpoint was
   * written. The server keeps running the match until its shutdown grace period ends; nothing may
   * change in that time, or players would be acknowledged for what the restored match forgets.
   */
  stopping: number | null;
  /** Set once the match has ended. */
  ended: { reason: string; result: unknown; tick: number } | null;
  /** The game's own state. */
  game: unknown;
}

/** What every core call needs besides the state: token source and the game's rules. */
export interface ArenaDeps {
  tokens: TokenDeps;
  game: GameRules<any>;
}

export const GONE_PER_SEAT = 4;

/**
 * A new match of `mode`. A matchmaker match (`invited`) gets a seat for every matched player, even
 * past the mode's usual count.
 */
export function initArena(base: ModeConfig, game: GameRules<any>, invited: string[] | null, creator: string | null = null): ArenaState {
  const mode = invited !== null && invited.length > base.seats ? { ...base, seats: Math.min(MAX_SEATS, invited.length) } : base;
  const seats: SeatRecord[] = [];
  for (let i = 0; i < mode.seats; i++) seats.push(freeSeat(i));
  const state: ArenaState = {
    v: 1,
    mode,
    graceTicks: graceTicks(mode.graceSec, mode.tickRate),
    claimTicks: secondsToTicks(mode.claimSec, mode.tickRate),
    checkpointTicks: mode.checkpointSec > 0 ? secondsToTicks(mode.checkpointSec, mode.tickRate) : 0,
    restoredFrom: null,
    seq: 0,
    seats,
    invited,
    creator,
    attempts: {},
    gone: [],
    roundEndTick: secondsToTicks(mode.roundSec, mode.tickRate),
    emptySinceTick: 0,
    dueTick: 0,
    everSeated: false,
    label: '',
    stopping: null,
    ended: null,
    game: game.init(mode),
  };
  state.label = labelOf(state);
  return state;
}

export function freeSeat(seat: number): SeatRecord {
  return {
    seat,
    userId: null,
    username: null,
    status: SeatStatus.FREE,
    presence: null,
    tokenHash: null,
    prevTokenHash: null,
    confirmed: false,
    claim: null,
    dropTick: null,
    deadline: null,
    lastActionSeq: 0,
  };
}

/** The seat a user holds (connected or reserved), if any. */
export function seatOfUser(state: ArenaState, userId: string): SeatRecord | null {
  // Indexed loops on the hot paths: the server's JavaScript engine allocates for every step of a for-of.
  for (let i = 0; i < state.seats.length; i++) if (state.seats[i].userId === userId && state.seats[i].status !== SeatStatus.FREE) return state.seats[i];
  return null;
}

/** The seat whose live presence is this session, if any. */
export function seatOfSession(state: ArenaState, sessionId: string): SeatRecord | null {
  for (let i = 0; i < state.seats.length; i++) {
    const p = state.seats[i].presence;
    if (p !== null && p.sessionId === sessionId) return state.seats[i];
  }
  return null;
}

/** Presences of every connected seat, optionally leaving one session out. */
export function connectedPresences(state: ArenaState, exceptSessionId: string | null = null): PresenceRef[] {
  const out: PresenceRef[] = [];
  for (let i = 0; i < state.seats.length; i++) {
    const s = state.seats[i];
    if (s.status === SeatStatus.CONNECTED && s.presence !== null && s.presence.sessionId !== exceptSessionId) out.push(s.presence);
  }
  return out;
}

/** A free seat nobody is in the middle of joining: the only kind a new player may take. */
export function isOpen(s: SeatRecord): boolean {
  return s.status === SeatStatus.FREE && s.claim === null;
}

/** Seats a stranger could take now. Promised (matchmaker) matches have none. */
export function openSeats(state: ArenaState): number {
  if (state.invited !== null) return 0;
  let n = 0;
  for (let i = 0; i < state.seats.length; i++) if (isOpen(state.seats[i])) n++;
  return n;
}

/** How many seats are reserved (dropped, inside their grace window). */
export function reservedSeats(state: ArenaState): number {
  let n = 0;
  for (let i = 0; i < state.seats.length; i++) if (state.seats[i].status === SeatStatus.RESERVED) n++;
  return n;
}

/** True while any seat is connected, reserved or being joined. */
export function anyoneHolds(state: ArenaState): boolean {
  for (let i = 0; i < state.seats.length; i++) if (state.seats[i].status !== SeatStatus.FREE || state.seats[i].claim !== null) return true;
  return false;
}

export function labelOf(state: ArenaState): string {
  const open = state.ended !== null || state.stopping !== null ? 0 : openSeats(state);
  // Who made the match and whether anyone has ever taken a seat: what limits the matches one
  // user may leave waiting (query `+label.creator:<id> +label.fresh:T`). Written out by hand: the
  // label is rebuilt at every settle, and this is the same JSON as stringifying an object, cheaper.
  const creator = state.creator === null || state.creator === undefined ? 'null' : JSON.stringify(state.creator);
  return `{"mode":${JSON.stringify(state.mode.name)},"open":${open},"size":${state.mode.seats},"promised":${state.invited !== null},"creator":${creator},"fresh":${!state.everSeated}}`;
}

/** Publishes the label when it changed. */
export function publishLabel(state: ArenaState, fx: Effects): void {
  const label = labelOf(state);
  if (label !== state.label) {
    state.label = label;
    fx.push({ type: 'label', label });
  }
}
