// Checkpoints: the match state written to storage (at graceful shutdown, and periodically where
// a mode asks), and restored into a new match after a restart. Ticks are absolute within one run
// of a match, so a checkpoint records the tick it was taken at and restore rebases every tick to
// the new match's clock: the round clock continues from where it stopped, every held seat gets a
// full grace window from the restart, and the downtime does not count against anyone.

import { SeatStatus } from '../../protocol.js';
import type { GameRules } from '../game.js';
import { deadlineFor } from './grace.js';
import type { LeaseRecord } from './lease.js';
import { LEASE_PER_CHECKPOINT } from '../modes.js';
import { labelOf, type ArenaState } from './state.js';

export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  /** Format version; a checkpoint of another version is not restored. */
  v: number;
  /** Id of the match it was taken from. */
  matchId: string;
  /** The match tick when it was taken. */
  savedTick: number;
  /** Unix milliseconds when it was taken, to refuse checkpoints that are too old. */
  savedAtMs: number;
  /** Whether a graceful shutdown wrote it (false: a periodic one). */
  final: boolean;
  /** The writer's lease, ms: another node may take over once savedAtMs is this old (0: never). */
  leaseMs: number;
  state: ArenaState;
}

export type RestoreFailure = 'corrupt' | 'unknown_version' | 'too_old';

/**
 * The state as a restore reads it, as text: without what restore resets (the clock's schedule,
 * the empty-since tick, the rate-limit log, the sockets of connected seats). Two equal texts
 * restore to the same match, so a checkpoint whose text has not changed need not be written again.
 */
export function restorableText(state: ArenaState): string {
  const seats = state.seats.map((s) => (s.presence === null ? s : { ...s, presence: null }));
  return JSON.stringify({ ...state, seats, dueTick: 0, emptySinceTick: 0, attempts: {} });
}

/** `text`: restorableText(state), when the caller has it already. */
export function makeCheckpoint(state: ArenaState, matchId: string, tick: number, nowMs: number, final: boolean, text = restorableText(state)): Checkpoint {
  return { v: CHECKPOINT_VERSION, matchId, savedTick: tick, savedAtMs: nowMs, final, leaseMs: leaseMsOf(state), state: JSON.parse(text) as ArenaState };
}

/** The match's lease in ms; 0 for a mode without periodic checkpoints (nothing renews it). */
export function leaseMsOf(state: ArenaState): number {
  const mode = state.mode;
  if (!(mode.checkpointSec > 0)) return 0;
  // A state from before leases were configurable has no leaseSec: the default the mode table gives.
  const sec = typeof mode.leaseSec === 'number' && mode.leaseSec > 0 ? mode.leaseSec : LEASE_PER_CHECKPOINT * mode.checkpointSec;
  return Math.round(sec * 1000);
}

/** The lease facts of a stored checkpoint, or null when it is not a well-formed checkpoint. */
export function leaseRecordOf(raw: unknown): LeaseRecord | null {
  if (raw === null || typeof raw !== 'object') return null;
  const c = raw as Partial<Checkpoint>;
  if (c.v !== CHECKPOINT_VERSION || !isInt(c.savedAtMs) || typeof c.final !== 'boolean') return null;
  // A checkpoint written before leases were recorded counts as holding none.
  const leaseMs = c.leaseMs === undefined ? 0 : c.leaseMs;
  if (!isInt(leaseMs) || leaseMs < 0) return null;
  return { savedAtMs: c.savedAtMs, final: c.final, leaseMs };
}

/**
 * Whether a stored checkpoint can never be restored any more: not a checkpoint at all, or older
 * than `maxAgeMs` (restore refuses those). A live match renews its own long before that.
 */
export function checkpointOrphaned(raw: unknown, nowMs: number, maxAgeMs: number): boolean {
  const lease = leaseRecordOf(raw);
  return lease === null || nowMs - lease.savedAtMs > maxAgeMs;
}

/** Whether a stored restore record is past use: malformed, or older than `retentionMs`. */
export function restoreRecordStale(raw: unknown, nowMs: number, retentionMs: number): boolean {
  const at = raw !== null && typeof raw === 'object' ? (raw as { at?: unknown }).at : undefined;
  return !isInt(at) || nowMs - at > retentionMs;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function isHash(v: unknown): boolean {
  return v === null || (typeof v === 'string' && v.length > 0 && v.length <= 128);
}

/** Whether the stored value has the shape restore relies on; anything else is corrupt. */
function wellFormed(c: Checkpoint): boolean {
  const s = c.state as unknown as Record<string, any>;
  if (typeof c.matchId !== 'string' || !isInt(c.savedTick) || !isInt(c.savedAtMs) || s === null || typeof s !== 'object') return false;
  if (s.v !== 1 || typeof s.mode !== 'object' || s.mode === null || !isInt(s.mode.seats) || !isInt(s.mode.tickRate)) return false;
  if (!Array.isArray(s.seats) || s.seats.length !== s.mode.seats || !isInt(s.seq) || !isInt(s.roundEndTick)) return false;
  if (!(s.graceTicks === null || isInt(s.graceTicks)) || !isInt(s.claimTicks)) return false;
  if (!(s.invited === null || Array.isArray(s.invited)) || !Array.isArray(s.gone)) return false;
  return s.seats.every(
    (seat: Record<string, any>, i: number) =>
      seat !== null &&
      typeof seat === 'object' &&
      seat.seat === i &&
      [SeatStatus.CONNECTED, SeatStatus.RESERVED, SeatStatus.FREE].includes(seat.status) &&
      (seat.status === SeatStatus.FREE || typeof seat.userId === 'string') &&
      isHash(seat.tokenHash) &&
      isHash(seat.prevTokenHash) &&
      isInt(seat.lastActionSeq) &&
      (seat.deadline === null || isInt(seat.deadline)),
  );
}

/**
 * Rebuilds a match state from a checkpoint, on a clock that starts at tick 0. Every held seat is
 * reserved with a full grace window from the restart: players who were connected did not leave
 * (the game hears of each such drop), and players who were reserved may have rejoined after the
 * checkpoint was taken, which the crash forgot; either way none of them could reach the match
 * until it was restored, and the restored copy can only be found through session_resume.
 */
export function restoreCheckpoint(raw: unknown, nowMs: number, maxAgeMs: number, game: GameRules<any>): { ok: true; state: ArenaState; from: string } | { ok: false; reason: RestoreFailure } {
  if (raw === null || typeof raw !== 'object') return { ok: false, reason: 'corrupt' };
  const c = raw as Checkpoint;
  if (c.v !== CHECKPOINT_VERSION) return { ok: false, reason: 'unknown_version' };
  if (!wellFormed(c)) return { ok: false, reason: 'corrupt' };
  if (nowMs - c.savedAtMs > maxAgeMs) return { ok: false, reason: 'too_old' };
  const state = JSON.parse(JSON.stringify(c.state)) as ArenaState;
  const shift = -c.savedTick;
  for (const s of state.seats) {
    s.claim = null;
    if (s.status === SeatStatus.CONNECTED) {
      s.status = SeatStatus.RESERVED;
      s.presence = null;
      s.dropTick = 0;
      s.deadline = deadlineFor(0, state.graceTicks);
      if (s.confirmed) s.prevTokenHash = null;
      // The game hears of the drop as it would have live; nobody is connected to be told of its events.
      game.seatDropped?.(state.game, s.seat, s.deadline, 0);
    } else if (s.status === SeatStatus.RESERVED) {
      // The game heard of this drop when it happened; only the window starts again.
      s.dropTick = 0;
      s.deadline = deadlineFor(0, state.graceTicks);
    }
  }
  state.roundEndTick = Math.max(1, state.roundEndTick + shift);
  state.attempts = {};
  state.emptySinceTick = 0;
  state.dueTick = 0;
  state.ended = null;
  state.stopping = null;
  state.restoredFrom = c.matchId;
  state.checkpointTicks = state.checkpointTicks ?? 0;
  state.label = labelOf(state);
  return { ok: true, state, from: c.matchId };
}

/**
 * A restored copy's clock starts when it knows it is the one: a copy that held for `tick` ticks
 * first (its restore record out of reach) moves every countdown that much later, so that wait,
 * downtime like any other, counts against no grace window and no round clock.
 */
export function startClockAt(state: ArenaState, tick: number): void {
  if (!(tick > 0)) return;
  for (const s of state.seats) {
    if (s.dropTick !== null) s.dropTick += tick;
    if (s.deadline !== null) s.deadline += tick;
    if (s.claim !== null) s.claim.tick += tick;
  }
  state.roundEndTick += tick;
  state.emptySinceTick += tick;
  state.dueTick = tick;
}
