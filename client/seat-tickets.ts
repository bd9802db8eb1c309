// The token store as the client uses it: a ticket is written on every SNAPSHOT and action, and a
// store that fails to write is logged, never fatal to the connection.
import { reasonOf } from './errors.js';
import type { SeatTicket, TokenStore } from './token-store.js';

export class SeatTickets {
  constructor(
    private readonly store: TokenStore,
    private readonly log: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  get(matchId: string): SeatTicket | null {
    return this.store.get(matchId);
  }

  /** The latest reconnect token kept for `matchId`, or null. */
  token(matchId: string): string | null {
    return this.store.get(matchId)?.token ?? null;
  }

  /** Keeps `matchId`'s next actionSeq, and `token` when given (undefined: the one kept already). */
  save(matchId: string, nextActionSeq: number, token?: string | null): void {
    try {
      const prev = this.store.get(matchId);
      this.store.set({ matchId, token: token !== undefined ? token : (prev?.token ?? null), nextActionSeq });
    } catch (err) {
      this.log('token store failed', { matchId, reason: reasonOf(err) });
    }
  }

  clear(matchId: string): void {
    this.store.clear(matchId);
  }
}
