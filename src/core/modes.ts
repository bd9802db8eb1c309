// The game-mode table designers edit (runtime.env REJOIN_MODES, a JSON object of modes).
// Parsed once per use from the env string; a bad table is reported with the mode and the field.

/** One game mode as the match uses it. Every field is filled in after parsing. */
export interface ModeConfig {
  name: string;
  /** Seats per match, 1..16. */
  seats: number;
  /** Match ticks per second, 1..60 (Nakama's limit). */
  tickRate: number;
  /** Seconds a dropped player's seat is held, or "manual": held until the game releases it. */
  graceSec: number | 'manual';
  /** Length of the round clock in seconds. */
  roundSec: number;
  /** Rejoin attempts (joins presenting a token) allowed per user per window. */
  rejoinAttempts: number;
  /** Window of the rejoin rate limit, seconds. */
  rejoinWindowSec: number;
  /** A match nobody has joined (or everyone has left) ends after this many seconds. */
  emptySec: number;
  /** Seconds a join attempt's seat claim is held while the server finishes the join. */
  claimSec: number;
  /** Periodic checkpoint interval in seconds (default 5); 0 writes one only at graceful shutdown. */
  checkpointSec: number;
  /**
   * Seconds after its last checkpoint write before another node may take a match over
   * (default 3 × checkpointSec). The match itself stops acting after half of it unless a write
   * succeeds, so nodes' clocks may disagree by up to half the lease. Unused when checkpointSec is 0.
   */
  leaseSec: number;
  /** Whether session_resume may hand out a fresh token on the strength of the login alone. */
  resumeByAccount: boolean;
}

export type ModeTable = Record<string, ModeConfig>;

export class ModeTableError extends Error {
  constructor(
    message: string,
    readonly mode: string | null,
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'ModeTableError';
  }
}

/** Used when REJOIN_MODES is not set. */
export const DEFAULT_MODES_JSON = JSON.stringify({
  ranked: { seats: 2, tickRate: 10, graceSec: 60, roundSec: 300 },
  coop: { seats: 4, tickRate: 10, graceSec: 300, roundSec: 900 },
  casual: { seats: 4, tickRate: 10, graceSec: 20, roundSec: 180 },
});

const MODE_NAME = /^[a-z0-9_]{1,32}$/;
/** Most seats a match has (a matchmaker match included). */
export const MAX_SEATS = 16;
const MAX_GRACE_SEC = 86_400;

type FieldSpec = {
  min: number;
  max: number;
  integer: boolean;
  default?: number;
};

const NUMERIC_FIELDS: Record<string, FieldSpec> = {
  seats: { min: 1, max: MAX_SEATS, integer: true },
  tickRate: { min: 1, max: 60, integer: true, default: 10 },
  roundSec: { min: 1, max: 86_400, integer: false },
  rejoinAttempts: { min: 1, max: 1000, integer: true, default: 10 },
  rejoinWindowSec: { min: 1, max: 3600, integer: false, default: 10 },
  emptySec: { min: 1, max: 86_400, integer: false, default: 60 },
  claimSec: { min: 1, max: 60, integer: false, default: 15 },
  // 5 s: one ~2 KB upsert per match every 50 ticks, 28 µs of server CPU a tick amortized and
  // 474 bytes/s of WAL per match (docs/benchmarks.md), and a crash loses at most 5 s of play.
  checkpointSec: { min: 0, max: 3600, integer: false, default: 5 },
};
// Only read when a table is parsed: a plain array is enough for a dozen names.
const KNOWN_FIELDS: readonly string[] = [...Object.keys(NUMERIC_FIELDS), 'graceSec', 'resumeByAccount', 'leaseSec'];

/** The lease when a mode sets none: three checkpoint intervals, so one failed write costs nothing. */
export const LEASE_PER_CHECKPOINT = 3;
const MAX_LEASE_SEC = 3 * 3600;

function fail(mode: string | null, field: string | null, why: string): never {
  const where = mode === null ? 'REJOIN_MODES' : field === null ? `REJOIN_MODES mode "${mode}"` : `REJOIN_MODES mode "${mode}" field "${field}"`;
  throw new ModeTableError(`${where}: ${why}`, mode, field);
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? s.slice(0, 40) + '…' : s;
}

function parseMode(name: string, raw: unknown): ModeConfig {
  if (!MODE_NAME.test(name)) fail(name, null, 'a mode name is 1-32 characters of a-z, 0-9 and _');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(name, null, `must be an object (got ${describe(raw)})`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_FIELDS.includes(key)) fail(name, key, `unknown field (known: ${KNOWN_FIELDS.join(', ')})`);
  }
  const num: Record<string, number> = {};
  for (const [field, spec] of Object.entries(NUMERIC_FIELDS)) {
    const v = obj[field];
    if (v === undefined) {
      if (spec.default === undefined) fail(name, field, 'is required');
      num[field] = spec.default;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(name, field, `must be a number (got ${describe(v)})`);
    if (spec.integer && !Number.isInteger(v)) fail(name, field, `must be a whole number (got ${describe(v)})`);
    if (v < spec.min || v > spec.max) fail(name, field, `must be between ${spec.min} and ${spec.max} (got ${describe(v)})`);
    num[field] = v;
  }
  const grace = obj.graceSec;
  let graceSec: number | 'manual';
  if (grace === 'manual') graceSec = 'manual';
  else if (typeof grace === 'number' && Number.isFinite(grace) && grace > 0 && grace <= MAX_GRACE_SEC) graceSec = grace;
  else fail(name, 'graceSec', `must be a number of seconds above 0 and at most ${MAX_GRACE_SEC}, or "manual" (got ${describe(grace)})`);
  const lease = obj.leaseSec;
  let leaseSec = num.checkpointSec * LEASE_PER_CHECKPOINT;
  if (lease !== undefined) {
    if (typeof lease !== 'number' || !Number.isFinite(lease) || lease <= 0 || lease > MAX_LEASE_SEC) fail(name, 'leaseSec', `must be a number of seconds above 0 and at most ${MAX_LEASE_SEC} (got ${describe(lease)})`);
    // The match renews its lease with every checkpoint and stops acting at half the lease.
    if (lease < 2 * num.checkpointSec) fail(name, 'leaseSec', `must be at least twice checkpointSec (${num.checkpointSec}), or one slow write would stop the match (got ${describe(lease)})`);
    leaseSec = lease;
  }
  const resume = obj.resumeByAccount;
  if (resume !== undefined && typeof resume !== 'boolean') fail(name, 'resumeByAccount', `must be true or false (got ${describe(resume)})`);
  return {
    name,
    seats: num.seats,
    tickRate: num.tickRate,
    graceSec,
    roundSec: num.roundSec,
    rejoinAttempts: num.rejoinAttempts,
    rejoinWindowSec: num.rejoinWindowSec,
    emptySec: num.emptySec,
    claimSec: num.claimSec,
    checkpointSec: num.checkpointSec,
    leaseSec,
    resumeByAccount: resume ?? true,
  };
}

/** Parses and validates the whole table. Throws ModeTableError naming the mode and field. */
export function parseModeTable(json: string | undefined): ModeTable {
  const text = json === undefined || json.trim() === '' ? DEFAULT_MODES_JSON : json;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(null, null, `is not valid JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(null, null, 'must be a JSON object of modes');
  const names = Object.keys(raw as object);
  if (names.length === 0) fail(null, null, 'must define at least one mode');
  const table: ModeTable = {};
  for (const name of names) table[name] = parseMode(name, (raw as Record<string, unknown>)[name]);
  return table;
}

/** Longest grace window of the table in seconds (manual modes excluded), for retention periods. */
export function longestGraceSec(table: ModeTable): number {
  let longest = 0;
  for (const mode of Object.values(table)) if (mode.graceSec !== 'manual') longest = Math.max(longest, mode.graceSec);
  return longest;
}

/**
 * How old a checkpoint must be allowed to grow before restores refuse it, at the least: a crashed
 * match is taken over only after its lease, and its players may come back for a grace window
 * after they noticed the drop. The mode that needs the most, or null when none writes periodic
 * checkpoints with a timed grace window.
 */
export function checkpointAgeNeeded(table: ModeTable): { mode: string; leaseSec: number; graceSec: number; sec: number } | null {
  let need: { mode: string; leaseSec: number; graceSec: number; sec: number } | null = null;
  for (const [name, mode] of Object.entries(table)) {
    if (mode.graceSec === 'manual' || !(mode.checkpointSec > 0)) continue;
    const sec = mode.leaseSec + mode.graceSec;
    if (need === null || sec > need.sec) need = { mode: name, leaseSec: mode.leaseSec, graceSec: mode.graceSec, sec };
  }
  return need;
}
