// Before a match acts on input (an action, a join, a token reissue), it makes sure it is still the
// one live copy: a restored match first sees its restore committed; a match whose lease has
// lapsed first renews it. See core/arena/lease.ts for the rules.

import { leaseMsOf, reservedSeats, startClockAt, type ArenaState } from '../../core/arena/index.js';
import { ownerLapsed, ownerMayAct } from '../../core/arena/lease.js';
import { errorText } from '../errors.js';
import { countTotal } from '../metrics.js';
import type { MatchIo } from './match-io.js';
import { readRestore, writeCheckpoint } from './checkpoint-store.js';
import { logWith } from '../log.js';

/**
 * act: go on. hold: refuse input for now, change nothing. handOver: another copy has (or may
 * have) taken over: stop and send the players to session_resume. discard: a restored copy that
 * did not become the one: stop without a word (nobody was ever sent to it).
 */
export type Standing = 'act' | 'hold' | 'handOver' | 'discard';

/** Failed renewals of a lapsed lease are retried at most this often (each may wait on the database). */
const RETRY_MS = 1000;

/**
 * A restored match acts only once the restore that created it has committed with its id: until
 * then it holds, and a restore that names another match (or none within the claim time) means
 * this copy lost the race and is discarded. On confirmation it writes its first checkpoint, so a
 * crash right after a restore loses nothing. While the record cannot be read it holds.
 */
function confirm(io: MatchIo, s: ArenaState, oldMatchId: string): Standing {
  const matchId = io.matchId;
  let winner: string | null;
  try {
    winner = readRestore(io.nk, oldMatchId);
  } catch (err) {
    // The database is out of reach: whether this copy won is unknown, so it neither acts nor
    // gives up (the restore may have committed and sent players here). It asks again next time.
    if (io.own.retryAtMs === null || Date.now() - io.own.retryAtMs >= RETRY_MS) {
      io.own.retryAtMs = Date.now();
      logWith(io.logger, 'warn', 'restore record unreadable; holding', { matchId, from: oldMatchId, error: errorText(err) });
    }
    return 'hold';
  }
  io.own.retryAtMs = null;
  if (winner === null) return io.tick < s.claimTicks ? 'hold' : 'discard';
  if (winner !== matchId) return 'discard';
  io.own.confirming = null;
  // The clock stood still while it held: every countdown starts from now.
  startClockAt(s, io.tick);
  // Every held seat of a restored match starts reserved here: counted as started, so that
  // started minus ended stays the number reserved now, across restores.
  const reserved = reservedSeats(s);
  if (reserved > 0) countTotal(io.nk, 'rejoin_reservations_started', { mode: s.mode.name }, reserved);
  const w = writeCheckpoint(io.nk, s, matchId, io.tick, false, io.own.lease);
  if (w.kind === 'written') io.own.lease = w.lease;
  else logWith(io.logger, 'warn', 'first checkpoint of restored match failed', { matchId, error: w.kind === 'failed' ? errorText(w.error) : 'superseded' });
  return 'act';
}

/**
 * A checkpoint write failed at `nowMs`: what this copy holds may not be in storage, so it acts
 * again only once a write succeeds, and tries the next one no sooner than RETRY_MS from now.
 */
export function writeFailedAt(io: MatchIo, nowMs: number): void {
  io.own.lease = { ...io.own.lease, writeFailed: true };
  io.own.retryAtMs = nowMs;
}

export function standing(io: MatchIo, s: ArenaState): Standing {
  if (io.own.confirming !== null) {
    const c = confirm(io, s, io.own.confirming);
    if (c !== 'act') return c;
  }
  const matchId = io.matchId;
  const leaseMs = leaseMsOf(s);
  const now = Date.now();
  if (ownerMayAct(io.own.lease, leaseMs, now)) return 'act';
  if (io.own.retryAtMs === null || now - io.own.retryAtMs >= RETRY_MS) {
    const w = writeCheckpoint(io.nk, s, matchId, io.tick, false, io.own.lease);
    if (w.kind === 'written') {
      io.own.lease = w.lease;
      io.own.retryAtMs = null;
      return 'act';
    }
    if (w.kind === 'superseded') return 'handOver';
    writeFailedAt(io, now);
    logWith(io.logger, 'warn', 'lease renewal failed', { matchId, error: errorText(w.error) });
  }
  return ownerLapsed(io.own.lease, leaseMs, Date.now()) ? 'handOver' : 'hold';
}

/**
 * Before a first join is accepted, an owner that holds a lease proves it can still write (the
 * join's own checkpoint follows it). A player seated between a cut from the database and the
 * owner's next write would be unknown to the copy that takes over; refused `server_stopping`
 * instead, it asks again. A match that never wrote holds nothing a takeover could start from.
 */
export function proveLease(io: MatchIo, s: ArenaState): void {
  const lease = io.own.lease;
  if (io.own.confirming !== null || lease.sinceMs === null || lease.writeFailed || s.checkpointTicks <= 0) return;
  const w = writeCheckpoint(io.nk, s, io.matchId, io.tick, false, lease);
  if (w.kind === 'written') {
    io.own.lease = w.lease;
    return;
  }
  // standing() then holds (and retries a second later), or at once finds the copy taken over.
  if (w.kind === 'superseded') {
    io.own.lease = { ...lease, writeFailed: true };
  } else {
    writeFailedAt(io, Date.now());
    logWith(io.logger, 'warn', 'lease renewal before a join failed', { matchId: io.matchId, error: errorText(w.error) });
  }
}
