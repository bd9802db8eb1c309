// Actions sent but not yet acknowledged. actionSeq is strictly increasing per player for the
// whole match, rejoins included (the next number is kept with the token in the store). After a
// rejoin the SNAPSHOT says which the server processed (lastActionSeq): those are dropped, the rest
// are resent, in order. An ACK (applied, duplicate or rejected) means the server dealt with it.

export interface PendingAction {
  actionSeq: number;
  body: Record<string, unknown>;
}

export class PendingActions {
  private pending: PendingAction[] = [];
  private nextSeq: number;

  constructor(nextSeq = 1) {
    this.nextSeq = Number.isInteger(nextSeq) && nextSeq >= 1 ? nextSeq : 1;
  }

  /** Assigns the next actionSeq and remembers the action until it is acknowledged. */
  add(body: Record<string, unknown>): PendingAction {
    const action = { actionSeq: this.nextSeq++, body: { ...body } };
    delete action.body.actionSeq;
    this.pending.push(action);
    return action;
  }

  /** Never hand out a number below `next` (a counter kept elsewhere, for example the store). */
  raiseNext(next: number): void {
    if (Number.isInteger(next) && next > this.nextSeq) this.nextSeq = next;
  }

  /** An ACK for one actionSeq: the server has dealt with it. */
  ack(actionSeq: number): void {
    this.pending = this.pending.filter((a) => a.actionSeq !== actionSeq);
  }

  /**
   * A SNAPSHOT: forgets everything at or below `lastActionSeq` and returns the rest, in order:
   * exactly what to resend on a new connection.
   */
  afterSnapshot(lastActionSeq: number): PendingAction[] {
    this.pending = this.pending.filter((a) => a.actionSeq > lastActionSeq);
    // A store that lost its counter (another device, cleared storage) never reuses a number the
    // server has processed: it would be acknowledged as a duplicate and silently dropped.
    if (this.nextSeq <= lastActionSeq) this.nextSeq = lastActionSeq + 1;
    return this.pending.map((a) => ({ actionSeq: a.actionSeq, body: { ...a.body } }));
  }

  /** The message to send for an action: its body with its actionSeq. */
  static message(a: PendingAction): Record<string, unknown> {
    return { ...a.body, actionSeq: a.actionSeq };
  }

  get size(): number {
    return this.pending.length;
  }

  /** The actionSeqs still waiting for an ACK, in order. */
  get waiting(): number[] {
    return this.pending.map((a) => a.actionSeq);
  }

  /** The next actionSeq to be assigned, for the token store. */
  get next(): number {
    return this.nextSeq;
  }
}
