// Where the client keeps what it needs to come back to a match: the latest reconnect token and the
// next actionSeq, per match. Pluggable: memory, localStorage, or the app's own (any object with
// these three methods). Synchronous on purpose: a ticket is written on every SNAPSHOT and action,
// and must be in place before the next message can arrive. An app with only async storage keeps
// a write-through copy in memory.
//
// The token is a bearer credential for the seat: keep it where the app keeps its login, and
// never log it.

export interface SeatTicket {
  matchId: string;
  /** Latest reconnect token (null until the first SNAPSHOT, or after it was lost). */
  token: string | null;
  /** The next actionSeq to use: strictly increasing for the whole match, rejoins included. */
  nextActionSeq: number;
}

export interface TokenStore {
  get(matchId: string): SeatTicket | null;
  set(ticket: SeatTicket): void;
  clear(matchId: string): void;
}

function valid(t: unknown): t is SeatTicket {
  const x = t as SeatTicket;
  return typeof x === 'object' && x !== null && typeof x.matchId === 'string' && (x.token === null || typeof x.token === 'string') && Number.isInteger(x.nextActionSeq) && x.nextActionSeq >= 1;
}

export class MemoryTokenStore implements TokenStore {
  private readonly tickets = new Map<string, SeatTicket>();
  get(matchId: string): SeatTicket | null {
    const t = this.tickets.get(matchId);
    return t ? { ...t } : null;
  }
  set(ticket: SeatTicket): void {
    this.tickets.set(ticket.matchId, { ...ticket });
  }
  clear(matchId: string): void {
    this.tickets.delete(matchId);
  }
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface LocalStorageTokenStoreOptions {
  /** Key prefix (default `nakama-rejoin.`); one entry per match under `<prefix><matchId>`. */
  prefix?: string;
  /** A localStorage-like object (default `globalThis.localStorage`). */
  storage?: StorageLike;
  /** Entries older than this are dropped when another is written (default one day). */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Survives an app restart in a browser (or anything with a localStorage-like object). Tickets of
 * matches that ended while the app was closed are pruned after `maxAgeMs`.
 */
export class LocalStorageTokenStore implements TokenStore {
  private readonly prefix: string;
  private readonly storage: StorageLike;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(opts: LocalStorageTokenStoreOptions = {}) {
    const storage = opts.storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!storage) throw new Error('no localStorage here: pass `storage`, or use MemoryTokenStore');
    this.storage = storage;
    this.prefix = opts.prefix ?? 'nakama-rejoin.';
    this.maxAgeMs = opts.maxAgeMs ?? 86_400_000;
    this.now = opts.now ?? Date.now;
  }

  private read(key: string): (SeatTicket & { savedAt: number }) | null {
    try {
      const raw = this.storage.getItem(key);
      if (!raw) return null;
      const t = JSON.parse(raw) as SeatTicket & { savedAt: number };
      return valid(t) ? t : null;
    } catch {
      return null;
    }
  }

  get(matchId: string): SeatTicket | null {
    const t = this.read(this.prefix + matchId);
    return t && t.matchId === matchId ? { matchId: t.matchId, token: t.token, nextActionSeq: t.nextActionSeq } : null;
  }

  set(ticket: SeatTicket): void {
    this.prune(ticket.matchId);
    this.storage.setItem(this.prefix + ticket.matchId, JSON.stringify({ matchId: ticket.matchId, token: ticket.token, nextActionSeq: ticket.nextActionSeq, savedAt: this.now() }));
  }

  clear(matchId: string): void {
    this.storage.removeItem(this.prefix + matchId);
  }

  /** Drops other entries of this store older than maxAgeMs (only with a Storage that can list keys). */
  private prune(keep: string): void {
    const s = this.storage as StorageLike & { length?: number; key?: (i: number) => string | null };
    if (typeof s.length !== 'number' || typeof s.key !== 'function') return;
    const old: string[] = [];
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (!k || !k.startsWith(this.prefix) || k === this.prefix + keep) continue;
      const t = this.read(k);
      if (!t || !(this.now() - (t.savedAt ?? 0) < this.maxAgeMs)) old.push(k);
    }
    for (const k of old) s.removeItem(k);
  }
}
