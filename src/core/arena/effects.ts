// What the core asks the adapter to do. The core decides; the adapter performs the I/O.

/**
 * The fields of a Nakama presence the match reads. The core keeps a joining presence as it is
 * given, so the adapter hands it the server's own objects and sends back to those.
 */
export interface PresenceRef {
  userId: string;
  sessionId: string;
  username: string;
  node: string;
}

export type Effect =
  /** Send a message (its JSON text, as it goes out) to these presences. */
  | { type: 'send'; op: number; data: string; to: PresenceRef[] }
  /** Remove a presence from the match (a taken-over or quitting session). */
  | { type: 'kick'; presence: PresenceRef }
  /** Publish a new match label (it changed). */
  | { type: 'label'; label: string }
  /** Count something (a counter `<name>_total`). */
  | { type: 'count'; name: string; tags: Record<string, string>; delta: number }
  /** Record a duration (a summary `<name>_seconds`). */
  | { type: 'time'; name: string; tags: Record<string, string>; seconds: number }
  /** A log line; never carries a token. */
  | { type: 'log'; level: 'info' | 'warn'; message: string; fields: Record<string, string | number> }
  /** Where a user holds a seat changed; null when the user holds none in this match any more. */
  | { type: 'seatIndex'; userId: string; seat: number | null }
  /**
   * The match is over: the adapter keeps the result for the players still seated (`players`),
   * cleans up the match's storage and stops it.
   */
  | { type: 'end'; reason: string; result: unknown; players: string[] }
  /** A periodic checkpoint is due: the adapter writes the current state to storage. */
  | { type: 'checkpoint' };

/** Collects effects in order. */
export class Effects {
  readonly list: Effect[] = [];

  /** Empties the list, for a collector reused from one step to the next. */
  clear(): void {
    this.list.length = 0;
  }

  push(effect: Effect): void {
    this.list.push(effect);
  }

  /** Sends `payload` as JSON. */
  send(op: number, payload: unknown, to: PresenceRef[]): void {
    if (to.length > 0) this.list.push({ type: 'send', op, data: JSON.stringify(payload), to });
  }

  /** Sends JSON text the caller already wrote. */
  sendJson(op: number, data: string, to: PresenceRef[]): void {
    if (to.length > 0) this.list.push({ type: 'send', op, data, to });
  }

  count(name: string, tags: Record<string, string>, delta = 1): void {
    this.list.push({ type: 'count', name, tags, delta });
  }

  time(name: string, tags: Record<string, string>, seconds: number): void {
    this.list.push({ type: 'time', name, tags, seconds });
  }

  log(level: 'info' | 'warn', message: string, fields: Record<string, string | number>): void {
    this.list.push({ type: 'log', level, message, fields });
  }
}
