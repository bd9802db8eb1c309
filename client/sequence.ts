// Gap detection over the match's broadcast sequence numbers (SEAT, EVENT, END carry `seq`).
// After a SNAPSHOT with seq S: broadcasts with seq <= S are already in it (ignore), S+1 is the
// next one (apply), anything larger means one went missing (ask for RESYNC, once until the next
// SNAPSHOT).

export type SeqVerdict = 'apply' | 'stale' | 'gap';

export class SequenceTracker {
  private last: number | null = null;
  private resyncAsked = false;

  /** A SNAPSHOT: everything up to `seq` is in it. */
  snapshot(seq: number): void {
    this.last = seq;
    this.resyncAsked = false;
  }

  /** The last seq applied (or held by the last SNAPSHOT); null before any SNAPSHOT. */
  get current(): number | null {
    return this.last;
  }

  /**
   * A broadcast: `apply` it when it is the next one, ignore it as `stale` when the snapshot
   * already holds it (or before any snapshot: the coming SNAPSHOT will), and report a `gap` when
   * one went missing. Nothing after a gap is applied until the next SNAPSHOT.
   */
  broadcast(seq: number): SeqVerdict {
    if (this.last === null || !Number.isFinite(seq) || seq <= this.last) return 'stale';
    if (seq === this.last + 1 && !this.resyncAsked) {
      this.last = seq;
      return 'apply';
    }
    return 'gap';
  }

  /** True once per gap: whether to send RESYNC now (not again until the next SNAPSHOT). */
  shouldResync(): boolean {
    if (this.resyncAsked) return false;
    this.resyncAsked = true;
    return true;
  }
}
