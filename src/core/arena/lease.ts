// One live copy of every match: the rules of the lease a match holds on its checkpoint.
//
// A match's checkpoint object doubles as its lease. Every checkpoint write is conditional on the
// storage version the match itself last wrote, and a takeover (restore) deletes that object
// conditionally on the version it read, in the same transaction that records the new copy. So
// of an owner's renewal and a takeover, exactly one commits: safety never rests on clocks.
// Clocks only decide when a takeover may be tried, and when an owner that cannot renew must stop
// acting so that a takeover, once allowed, does not race actions the owner still accepts:
//
//   owner acts only while   now − lastWrite <  lease / 2
//   others may take over    now − savedAt   >  lease        (or at once after a shutdown checkpoint)
//
// The gap between the two is the clock skew between nodes that is tolerated. Wall-clock
// milliseconds are passed in; nothing here reads a clock.

/** What the owner remembers of its lease (kept beside the match state by the adapter). */
export interface Lease {
  /** Storage version of the checkpoint this match last wrote; null before its first write. */
  version: string | null;
  /** Unix ms at which that write was made: the lease runs from here. */
  sinceMs: number | null;
  /** What that write held (restorableText), to leave an unchanged checkpoint unwritten. */
  written: string | null;
  /**
   * A write failed since the last one that succeeded: what this copy holds now may not be in
   * storage, so it renews before it acts again instead of acknowledging more that a takeover
   * would not see.
   */
  writeFailed: boolean;
}

/** The part of a stored checkpoint the takeover rule reads. */
export interface LeaseRecord {
  savedAtMs: number;
  final: boolean;
  /** Lease length of the match that wrote it, ms; 0 when it writes no periodic checkpoints. */
  leaseMs: number;
}

export const NO_LEASE: Lease = { version: null, sinceMs: null, written: null, writeFailed: false };

/**
 * Whether the owner may accept actions, joins and token reissues now. A match that has never
 * written a checkpoint holds nothing anyone could restore, so it may always act; one whose last
 * write failed renews first.
 */
export function ownerMayAct(lease: Lease, leaseMs: number, nowMs: number): boolean {
  if (lease.writeFailed) return false;
  if (lease.sinceMs === null || leaseMs <= 0) return true;
  return nowMs - lease.sinceMs < leaseMs / 2;
}

/**
 * Whether a periodic checkpoint may be left unwritten: what it would hold is what the last write
 * held, and that write is recent enough that the next periodic one still renews the lease a full
 * checkpoint interval before others may take over (written before it is 1.5 intervals old). A
 * quiet match then writes every other interval; an input that finds the owner past lease / 2
 * renews first (see ownerMayAct), as after any failed renewal.
 */
export function checkpointMaySkip(lease: Lease, text: string, leaseMs: number, checkpointMs: number, nowMs: number): boolean {
  return lease.sinceMs !== null && !lease.writeFailed && lease.written === text && nowMs - lease.sinceMs < leaseMs - 1.5 * checkpointMs;
}

/**
 * Whether an owner that still cannot renew has been out of touch so long that others may already
 * have taken over: it then gives its players up (they find the live copy through session_resume).
 */
export function ownerLapsed(lease: Lease, leaseMs: number, nowMs: number): boolean {
  return lease.sinceMs !== null && leaseMs > 0 && nowMs - lease.sinceMs > leaseMs;
}

/**
 * Whether a node other than the owner's may restore the match from this checkpoint now: after a
 * graceful shutdown at once (the original froze when it wrote it), otherwise once the lease has
 * run out without a renewal. A match without periodic checkpoints is never taken over while its
 * node may be alive.
 */
export function takeoverAllowed(rec: LeaseRecord, nowMs: number): boolean {
  if (rec.final) return true;
  return rec.leaseMs > 0 && nowMs - rec.savedAtMs > rec.leaseMs;
}
