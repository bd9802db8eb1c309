// How many matches one user may create (match_create, and match_find when it finds nothing): a
// rate over a sliding window, and a cap on the matches it created that nobody has joined yet.
// Every live match costs the node memory whether or not anyone plays in it. The settings come
// from runtime.env REJOIN_CREATE_LIMIT; the adapter counts, this file decides.
//
// Both are counted in one server-owned record per user, `{t: [creation times], open: [entries]}`,
// written with a version check: a creation is admitted by writing a reservation into `open` in
// the same write that records its time, so a burst of parallel requests is counted exactly (the
// match listing trails new matches by a second and cannot be). After the match is made, its id
// replaces the reservation; an entry leaves `open` once its match is gone or has had a player.

import { RpcErrorReason } from '../../protocol.js';
import { admitInWindow } from './rate-limit.js';

/** The start of the `message` of a refused creation (RESOURCE_EXHAUSTED, HTTP 429). */
export const CreateLimitError = {
  /** Too many matches created in the window, or too many creations at the same moment. */
  RATE_LIMITED: RpcErrorReason.CREATE_RATE_LIMITED,
  /** Too many matches the user created still wait for their first player. */
  TOO_MANY_OPEN: RpcErrorReason.TOO_MANY_OPEN_MATCHES,
} as const;
export type CreateLimitError = (typeof CreateLimitError)[keyof typeof CreateLimitError];

export interface CreateLimit {
  /** Matches one user may create in any `windowSec`-long span. */
  perWindow: number;
  /** Length of the window, seconds. */
  windowSec: number;
  /** Matches the user created that nobody has joined yet, at most. */
  maxOpen: number;
}

export class CreateLimitConfigError extends Error {}

const FIELDS: Record<keyof CreateLimit, { min: number; max: number; integer: boolean; default: number }> = {
  perWindow: { min: 1, max: 1000, integer: true, default: 5 },
  windowSec: { min: 1, max: 86_400, integer: false, default: 10 },
  maxOpen: { min: 1, max: 1000, integer: true, default: 3 },
};

/** REJOIN_CREATE_LIMIT, e.g. `{"perWindow":5,"windowSec":10,"maxOpen":3}`; each field optional. */
export function parseCreateLimit(json: string | undefined): CreateLimit {
  const text = json === undefined || json.trim() === '' ? '{}' : json;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CreateLimitConfigError(`REJOIN_CREATE_LIMIT: is not valid JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new CreateLimitConfigError('REJOIN_CREATE_LIMIT: must be a JSON object');
  const known = Object.keys(FIELDS);
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) throw new CreateLimitConfigError(`REJOIN_CREATE_LIMIT field "${key}": unknown field (known: ${known.join(', ')})`);
  }
  const out = {} as CreateLimit;
  for (const key of known as (keyof CreateLimit)[]) {
    const spec = FIELDS[key];
    const given = (raw as Record<string, unknown>)[key];
    const v = given === undefined ? spec.default : given;
    const ok = typeof v === 'number' && Number.isFinite(v) && (!spec.integer || Number.isInteger(v)) && v >= spec.min && v <= spec.max;
    if (!ok) throw new CreateLimitConfigError(`REJOIN_CREATE_LIMIT field "${key}": must be a ${spec.integer ? 'whole number' : 'number'} from ${spec.min} to ${spec.max} (got ${JSON.stringify(v)})`);
    out[key] = v;
  }
  return out;
}

/**
 * The creation times kept for a user, read from storage. Only the server writes them, but a value
 * is checked before it is trusted: anything that is not `{t: [numbers]}` counts as no creations,
 * and at most the latest 1000 (the largest perWindow) are read.
 */
export function creationTimes(stored: unknown): number[] {
  const t = stored !== null && typeof stored === 'object' ? (stored as { t?: unknown }).t : undefined;
  if (!Array.isArray(t)) return [];
  return t.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).slice(-FIELDS.perWindow.max);
}

/** A match the user created that may still wait for its first player, or a reservation for one. */
export interface OpenEntry {
  /** The match id, or `r:<id>` while the match is being made. */
  k: string;
  /** When it was admitted, ms. */
  at: number;
}

/** What is stored per user. */
export interface CreationRecord {
  t: number[];
  open: OpenEntry[];
}

const RESERVATION = 'r:';
/** A reservation whose creation never reported back (it failed, or its node died) lapses after this. */
export const RESERVATION_MS = 30_000;

export function isReservation(k: string): boolean {
  return k.startsWith(RESERVATION);
}

/** A fresh reservation key for `id` (a uuid). */
export function reservationKey(id: string): string {
  return RESERVATION + id;
}

/** The stored record, validated: entries of the wrong shape are dropped, at most 1000 kept. */
export function creationRecord(stored: unknown): CreationRecord {
  const open = stored !== null && typeof stored === 'object' ? (stored as { open?: unknown }).open : undefined;
  const entries = Array.isArray(open)
    ? open.filter((e): e is OpenEntry => e !== null && typeof e === 'object' && typeof e.k === 'string' && e.k.length > 0 && e.k.length <= 128 && typeof e.at === 'number' && Number.isFinite(e.at))
    : [];
  return { t: creationTimes(stored), open: entries.slice(-FIELDS.maxOpen.max).map((e) => ({ k: e.k, at: e.at })) };
}

/** The match ids of the record whose matches the adapter must look at: still waiting, or not? */
export function matchesToCheck(record: CreationRecord): string[] {
  return record.open.filter((e) => !isReservation(e.k)).map((e) => e.k);
}

/**
 * Whether the user may create one more match at `nowMs`. `waiting`: the ids among
 * matchesToCheck that still run with nobody ever seated. Admitted: `record` is what to write, in
 * one version-checked write, before the match is made (its time, and `key` reserving its place).
 */
export function admitCreation(record: CreationRecord, waiting: string[], nowMs: number, limit: CreateLimit, key: string): { ok: true; record: CreationRecord } | Refusal {
  const open = record.open.filter((e) => (isReservation(e.k) ? nowMs - e.at < RESERVATION_MS : waiting.includes(e.k)));
  const full = checkOpenMatches(open.length, limit);
  if (full !== null) return full;
  const rate = checkCreateRate({ t: record.t }, nowMs, limit);
  if (!rate.ok) return rate;
  open.push({ k: key, at: nowMs });
  return { ok: true, record: { t: rate.times, open } };
}

/**
 * After the creation: the match id takes the reservation's place (`matchId` null: the creation
 * failed, the reservation is dropped; its time still counts against the rate).
 */
export function settleReservation(record: CreationRecord, key: string, matchId: string | null, nowMs: number): CreationRecord {
  const open = record.open.filter((e) => e.k !== key);
  const reserved = record.open.find((e) => e.k === key);
  if (matchId !== null) open.push({ k: matchId, at: reserved?.at ?? nowMs });
  return { t: record.t, open };
}

/** A creation refused, and why. */
export interface Refusal {
  ok: false;
  error: CreateLimitError;
  message: string;
}

/** Seconds to wait, rounded up, for a message. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Whether the user may create one more match at `nowMs`, given the creation times stored for it.
 * Allowed: `times` is what to store (the recent ones and this one). Refused: nothing changes.
 */
export function checkCreateRate(stored: unknown, nowMs: number, limit: CreateLimit): { ok: true; times: number[] } | Refusal {
  const check = admitInWindow(creationTimes(stored), nowMs, limit.perWindow, limit.windowSec * 1000);
  if (check.allowed) return { ok: true, times: check.recent };
  return { ok: false, error: CreateLimitError.RATE_LIMITED, message: `at most ${limit.perWindow} new matches per ${limit.windowSec} s; try again in ${seconds(check.wait)} s` };
}

/** Null when the user may create one more match while `open` matches it created wait for players. */
export function checkOpenMatches(open: number, limit: CreateLimit): Refusal | null {
  if (open < limit.maxOpen) return null;
  return {
    ok: false,
    error: CreateLimitError.TOO_MANY_OPEN,
    message: `${open} matches you created are still waiting for their first player (at most ${limit.maxOpen}); join one of them, or create again once one has ended`,
  };
}

/** The answer when a creation lost every round of a race with the same user's other creations. */
export function creationContended(): Refusal {
  return { ok: false, error: CreateLimitError.RATE_LIMITED, message: 'too many match creations at the same moment; try again in 1 s' };
}
