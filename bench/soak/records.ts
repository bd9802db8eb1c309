// What the soak's players record: every action they sent, every ACK and SNAPSHOT they saw, how
// their stay in each match ended. The checks (checker.ts) read only these and the database.

export type AckResult = 'applied' | 'duplicate' | 'rejected';

export interface ActionRecord {
  seq: number;
  type: 'add' | 'move';
  /** The points an `add` is worth (0 for a move). */
  amount: number;
  sentAt: number;
  ack: AckResult | null;
  ackAt: number | null;
  /** The copy of the match (its match id) that processed it, by an ACK or a SNAPSHOT's lastActionSeq. */
  processedOn: string | null;
  /** Processed by a copy whose successor started from a checkpoint without it. */
  lost: { copy: string; at: number } | null;
  /**
   * Processed by a copy whose node crashed just after, and never seen carried over by this player:
   * the final result may hold it or not (set when the match ends, see ledger.ts unseenLosses).
   */
  mayBeLost?: { copy: string; at: number };
}

export interface SnapshotRecord {
  at: number;
  copy: string;
  lastActionSeq: number;
  /** This seat's score in the SNAPSHOT's game state. */
  score: number;
  /** The first SNAPSHOT after an app restart (the client lost what it had not had acknowledged). */
  appRestart: boolean;
}

export type EndKind = 'ended' | 'seatLost' | 'quit' | 'left' | 'gone' | 'run_end';

export interface EndRecord {
  at: number;
  kind: EndKind;
  reason: string;
  /** END's result, when the match ended. */
  result?: unknown;
  /** The copy that ended it (by END, or as session_resume named it), when it ended. */
  copy?: string;
}

/** One player's stay in one match, from its first SNAPSHOT there to its end, across copies. */
export interface Stint {
  id: number;
  bot: number;
  userId: string;
  /** The match id it first joined: the same for every copy that continues it. */
  lineage: string;
  seat: number;
  mode: string;
  startedAt: number;
  /** By actionSeq. */
  actions: Map<number, ActionRecord>;
  /** Never acknowledged and forgotten by an app restart, never processed: they count for nothing. */
  abandoned: ActionRecord[];
  /** Lost with a killed copy, then forgotten by an app restart: their actionSeqs may be handed out again. */
  forgotten: ActionRecord[];
  snapshots: SnapshotRecord[];
  end: EndRecord | null;
}

export interface Violation {
  kind: string;
  at: number;
  bot?: number;
  lineage?: string;
  detail: string;
}

/** An event in a copy of a match, for the one-copy check. */
export interface CopyEvent {
  lineage: string;
  copy: string;
  at: number;
  what: 'snapshot' | 'applied';
  bot: number;
}
