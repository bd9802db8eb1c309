// Keeping a stint's records as messages arrive. Pure: records in, records (and violations) out.
import type { ActionRecord, AckResult, Stint, Violation } from './records';

export function newStint(id: number, bot: number, userId: string, lineage: string, seat: number, mode: string, at: number): Stint {
  return { id, bot, userId, lineage, seat, mode, startedAt: at, actions: new Map(), abandoned: [], forgotten: [], snapshots: [], end: null };
}

export function recordSent(stint: Stint, seq: number, type: 'add' | 'move', amount: number, at: number): Violation[] {
  const prior = stint.actions.get(seq);
  const out: Violation[] = [];
  if (prior) out.push({ kind: 'action_seq_reused', at, bot: stint.bot, lineage: stint.lineage, detail: `actionSeq ${seq} handed out twice by the client` });
  stint.actions.set(seq, { seq, type, amount: type === 'add' ? amount : 0, sentAt: at, ack: null, ackAt: null, processedOn: null, lost: null });
  return out;
}

/**
 * An ACK on copy `copy`. `raw`: an answer to a duplicate or replay the soak sent itself with an
 * actionSeq already processed, which must come back `duplicate`.
 */
export function recordAck(stint: Stint, seq: number, result: AckResult, copy: string, at: number, raw: boolean): Violation[] {
  const a = stint.actions.get(seq);
  const v = (kind: string, detail: string): Violation[] => [{ kind, at, bot: stint.bot, lineage: stint.lineage, detail }];
  if (!a) return result === 'applied' ? v('applied_unsent', `ACK applied for actionSeq ${seq}, which this player never sent`) : [];
  if (a.processedOn !== null && !a.lost && result === 'applied') return v('applied_twice', `actionSeq ${seq} ACKed applied again on ${copy}${raw ? ' (a replayed copy of it)' : ''}`);
  if (raw && result === 'applied') return v('applied_twice', `replayed actionSeq ${seq} ACKed applied on ${copy}`);
  if (a.ack === null || !raw) {
    a.ack = result;
    a.ackAt = at;
  }
  if (a.type === 'add' && result === 'rejected') return v('valid_action_rejected', `add ${a.amount} (actionSeq ${seq}) rejected on ${copy}`);
  if (a.processedOn === null && (result === 'applied' || result === 'duplicate')) a.processedOn = copy;
  return [];
}

/** Sum of the `add`s at or below `upTo` that the match must hold (processed, not lost with a killed copy). */
export function expectedScore(stint: Stint, upTo: number): number {
  let sum = 0;
  for (const a of stint.actions.values()) if (a.seq <= upTo && !a.lost) sum += a.amount;
  return sum;
}

/**
 * A SNAPSHOT on `copy`: its lastActionSeq says which actions the copy processed. Forgets the
 * never-processed actions an app restart dropped, marks those a previous copy processed but
 * this one does not hold as lost with that copy, then checks the seat's score against what was
 * sent. Returns the violations and the actions found lost (the runner decides if a crash explains them).
 */
export function recordSnapshot(stint: Stint, snap: { at: number; copy: string; lastActionSeq: number; score: number; appRestart: boolean }): { violations: Violation[]; lost: ActionRecord[] } {
  const violations: Violation[] = [];
  const lost: ActionRecord[] = [];
  const L = snap.lastActionSeq;
  for (const a of [...stint.actions.values()]) {
    if (a.seq <= L) {
      if (a.processedOn === null) a.processedOn = snap.copy;
      continue;
    }
    if (a.processedOn === null) {
      if (snap.appRestart) {
        stint.actions.delete(a.seq);
        stint.abandoned.push(a);
      }
      continue;
    }
    if (!a.lost && a.processedOn !== snap.copy) {
      a.lost = { copy: a.processedOn, at: snap.at };
      lost.push(a);
    } else if (!a.lost) {
      violations.push({ kind: 'processed_then_forgotten', at: snap.at, bot: stint.bot, lineage: stint.lineage, detail: `actionSeq ${a.seq} was processed on ${snap.copy}, whose SNAPSHOT now says lastActionSeq ${L}` });
      continue;
    }
    if (snap.appRestart) {
      // The restarted app numbers its actions from this copy's lastActionSeq: it hands out the
      // lost actions' actionSeqs again, for new actions.
      stint.actions.delete(a.seq);
      stint.forgotten.push(a);
    }
  }
  stint.snapshots.push({ ...snap });
  const want = expectedScore(stint, L);
  if (snap.score !== want) {
    violations.push({ kind: 'score_mismatch', at: snap.at, bot: stint.bot, lineage: stint.lineage, detail: `SNAPSHOT on ${snap.copy}: seat ${stint.seat} score ${snap.score}, expected ${want} from the adds up to actionSeq ${L}` });
  }
  return { violations, lost };
}

/** The bounds a final score must fall in: what surely counts, and what may (sent, never acknowledged). */
export function scoreBounds(stint: Stint): { min: number; max: number } {
  let min = 0;
  let doubt = 0;
  for (const a of stint.actions.values()) {
    if (a.lost) continue;
    if (a.processedOn !== null && !a.mayBeLost) min += a.amount;
    else doubt += a.amount;
  }
  return { min, max: min + doubt };
}

/**
 * The match ended on `finalCopy`. Actions a player saw processed on another copy, that no later
 * SNAPSHOT of another copy showed carried over, and that a crash of their copy's node explains
 * (`crashExplains`), may or may not be in the result: the player never saw the final copy's
 * SNAPSHOT (it heard of the end through session_resume, or had left before the crash), and the
 * copy may have written its checkpoint before dying, or outlived the fault. They are marked
 * `mayBeLost`, so that the result may hold them or not, and returned.
 */
export function unseenLosses(stint: Stint, finalCopy: string, at: number, crashExplains: (copy: string, doneAt: number) => boolean): ActionRecord[] {
  const out: ActionRecord[] = [];
  for (const a of stint.actions.values()) {
    const copy = a.processedOn;
    if (copy === null || copy === finalCopy || a.lost || a.mayBeLost) continue;
    const doneAt = a.ackAt ?? a.sentAt;
    const carried = stint.snapshots.some((sn) => sn.copy !== copy && sn.lastActionSeq >= a.seq && sn.at >= doneAt);
    if (carried || !crashExplains(copy, doneAt)) continue;
    a.mayBeLost = { copy, at };
    out.push(a);
  }
  return out;
}
