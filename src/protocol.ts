// Wire contract, version 1: every op code, message shape and error string a client author needs.
// docs/protocol.md states the same contract in prose; keep the two in step.
//
// Messages are UTF-8 JSON. Server → client messages that go to everyone carry `seq`, the match's
// event sequence number, with no gaps: a client that sees seq jump asks for RESYNC.

export const PROTOCOL_VERSION = 1;

/** The match handler's name when the game registers it under the default (`matchName`). */
export const MATCH_MODULE = 'arena';

export const OpCode = {
  /** server → one player: full state it may see. */
  SNAPSHOT: 1,
  /** server → all: a seat changed status. */
  SEAT: 2,
  /** server → all: game events. */
  EVENT: 3,
  /** server → one player: outcome of one ACTION. */
  ACK: 4,
  /** server → all: the match is over. */
  END: 5,
  /** server → one player: a message it sent was refused. */
  ERROR: 6,
  /** client → server: a game action. */
  ACTION: 100,
  /** client → server: send me a fresh SNAPSHOT. */
  RESYNC: 101,
  /** client → server: I am leaving for good. */
  QUIT: 102,
} as const;
export type OpCode = (typeof OpCode)[keyof typeof OpCode];

export const SeatStatus = {
  CONNECTED: 'connected',
  /** Dropped, inside its grace window: seat, score and position held. */
  RESERVED: 'reserved',
  FREE: 'free',
} as const;
export type SeatStatus = (typeof SeatStatus)[keyof typeof SeatStatus];

/** Why a SEAT message was sent. */
export const SeatReason = {
  JOINED: 'joined',
  RESUMED: 'resumed',
  DROPPED: 'dropped',
  LEFT: 'left',
  EXPIRED: 'expired',
} as const;
export type SeatReason = (typeof SeatReason)[keyof typeof SeatReason];

/** The `rejectMessage` of a refused match join. */
export const RejectReason = {
  /** No free seat for a new player. */
  MATCH_FULL: 'match_full',
  /** Token missing where one is needed, unknown, already used, or not this user's. */
  TOKEN_INVALID: 'token_invalid',
  /** The seat's grace window ran out; the seat is gone. */
  TOKEN_EXPIRED: 'token_expired',
  /** The seat was given up (quit, leave) or released by the game, or the match is ending. */
  SEAT_LOST: 'seat_lost',
  /** Too many rejoin attempts; try again shortly. The grace window is not changed. */
  RATE_LIMITED: 'rate_limited',
  /** The match's seats are promised to matchmaker-matched players only. */
  NOT_INVITED: 'not_invited',
  /**
   * The match cannot act for now: the server is restarting, or the match cannot confirm with the
   * database that it is still the one live copy. Try again shortly; session_resume finds the
   * live copy.
   */
  SERVER_STOPPING: 'server_stopping',
  /** Join metadata other than an optional string `token`. */
  METADATA_INVALID: 'metadata_invalid',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** `code` of an ERROR message (op 6). */
export const MessageError = {
  /** Payload is not a UTF-8 JSON object. */
  BAD_JSON: 'bad_json',
  /** Op code the server does not handle. */
  UNKNOWN_OP: 'unknown_op',
  /** A field is missing, of the wrong type, or out of range. */
  BAD_MESSAGE: 'bad_message',
  /** The sender holds no seat in this match (a spectator, or a presence taken over). */
  NOT_SEATED: 'not_seated',
  /**
   * The match cannot act for now (the server is restarting and the match is frozen at its
   * checkpoint, or it cannot confirm with the database that it is still the one live copy): the
   * ACTION was not applied (keep it and resend it after the rejoin) or the QUIT not taken.
   */
  SERVER_STOPPING: 'server_stopping',
} as const;
export type MessageError = (typeof MessageError)[keyof typeof MessageError];

/**
 * How every error of the module's RPCs starts its `message`: `<reason>: <detail>`. Over HTTP the
 * gRPC code (and HTTP status) also says what kind of error it is; over the realtime socket every
 * module error arrives with code 7, and the reason before the first `:` is all there is to go on.
 */
export const RpcErrorReason = {
  /** The payload is not a JSON object, or is too long. Do not retry. */
  PAYLOAD_INVALID: 'payload_invalid',
  /** No signed-in user session. Sign in. */
  UNAUTHENTICATED: 'unauthenticated',
  /** The payload names a mode the server does not have (the detail lists them). Do not retry. */
  MODE_UNKNOWN: 'mode_unknown',
  /** Too many matches created in the window (match_create, match_find): retry after the seconds named. */
  CREATE_RATE_LIMITED: 'create_rate_limited',
  /** Too many matches this user created still wait for their first player. */
  TOO_MANY_OPEN_MATCHES: 'too_many_open_matches',
  /** session_resume: the match is too busy to answer. Retry in a moment. */
  BUSY: 'busy',
  /** session_resume: the match is being restored by another call. Retry in a moment. */
  RESTORING: 'restoring',
  /** session_resume: the server is stopping, or the match cannot confirm it is the live copy. Retry in a few seconds. */
  SHUTTING_DOWN: 'shutting_down',
  /** An idempotent RPC's key is missing or not of the documented form. Do not retry. */
  IDEMPOTENCY_KEY_INVALID: 'idempotency_key_invalid',
  /** The idempotency key was used before for a different request. Use a new key. */
  IDEMPOTENCY_CONFLICT: 'idempotency_conflict',
  /** Too many concurrent calls of one player with one resource: retry with the same key after a short random pause. */
  CONTENDED: 'contended',
  /** shop_purchase: no such item. */
  ITEM_UNKNOWN: 'item_unknown',
  /** shop_purchase: quantity not a whole number from 1 to the item's maxQuantity. */
  QUANTITY_INVALID: 'quantity_invalid',
  /** shop_purchase: not enough coins; nothing was recorded. */
  INSUFFICIENT_FUNDS: 'insufficient_funds',
  /** A client tried to write or delete a server-owned storage object. */
  SERVER_OWNED: 'server_owned',
  /** An operator RPC called with a user session (they are server to server only). */
  OPERATOR_ONLY: 'operator_only',
  /** The server failed; retry (with the same idempotency key, where there is one). */
  INTERNAL: 'internal',
} as const;
export type RpcErrorReason = (typeof RpcErrorReason)[keyof typeof RpcErrorReason];

/** The reason an RPC error's `message` starts with (the text before the first `:`), or null. */
export function rpcErrorReason(message: string): string | null {
  const m = /^([a-z_]+):/.exec(message);
  return m === null ? null : m[1];
}

/** How an idempotent RPC's refusal `message` starts (the RPC is not applied). */
export const IdempotencyError = {
  /** The key is missing or not of the documented form. */
  KEY_INVALID: RpcErrorReason.IDEMPOTENCY_KEY_INVALID,
  /** The key was used before for a different request. */
  CONFLICT: RpcErrorReason.IDEMPOTENCY_CONFLICT,
} as const;
export type IdempotencyError = (typeof IdempotencyError)[keyof typeof IdempotencyError];

/** `result` of an ACK message (op 4). */
export const AckResult = {
  APPLIED: 'applied',
  /** actionSeq at or below the last one processed: nothing was done again. */
  DUPLICATE: 'duplicate',
  /** The game refused it (see `error`); it counts as processed and is not to be resent. */
  REJECTED: 'rejected',
} as const;
export type AckResult = (typeof AckResult)[keyof typeof AckResult];

/** `reason` of an END message (op 5). */
export const EndReason = {
  /** The round clock ran out or the game decided the match. */
  ROUND_OVER: 'round_over',
  /** Every seat was left or expired. */
  ABANDONED: 'abandoned',
  /** Nobody joined in time. */
  EMPTY: 'empty',
  /** The server is shutting down; the match resumes from its checkpoint after the restart. */
  SHUTDOWN: 'shutdown',
  /**
   * Not an end of the game: this copy of the match stopped because another copy took over (its
   * node lost touch with the database past its lease, or was taken for dead). Call
   * session_resume: it answers with the live copy, and actions not acknowledged are resent there.
   */
  MOVED: 'moved',
  /** An operator ended the match (rejoin_admin_end). */
  OPERATOR: 'operator',
  /**
   * Not an end of the game, and sent to one socket only: a newer join of the same player (another
   * device, or a new socket of this one) took the seat over, and this socket is out of the match.
   * Do not rejoin from here: that would take the seat back and the two would fight for it.
   */
  TAKEN_OVER: 'taken_over',
} as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

/** Largest actionSeq accepted; clients start at 1 and count up. */
export const MAX_ACTION_SEQ = 2_147_483_647;

export interface JoinMetadata {
  /** Reconnect token from the latest SNAPSHOT or session_resume; absent on a first join. */
  token?: string;
}

export interface SeatView {
  seat: number;
  userId: string | null;
  status: SeatStatus;
  /** Only for reserved seats with a timed grace window. */
  graceTicksLeft?: number;
}

export interface SnapshotMessage {
  seq: number;
  tick: number;
  tickRate: number;
  mode: string;
  /** Length of the grace window in ticks (null: manual), so a client can bound its retries. */
  graceTicks: number | null;
  you: { seat: number; userId: string };
  /** New reconnect token, issued on join and rejoin; null on a RESYNC (the last one stays valid). */
  token: string | null;
  /** True when this join took back a seat the user already held. */
  resumed: boolean;
  /** Highest actionSeq of yours the server processed: resend only what is above it. */
  lastActionSeq: number;
  seats: SeatView[];
  round: { endTick: number; ticksLeft: number };
  game: unknown;
}

export interface SeatMessage {
  seq: number;
  tick: number;
  seat: number;
  userId: string;
  status: SeatStatus;
  reason: SeatReason;
  /** With `dropped`: the first tick at which the seat is lost (absent for manual grace). */
  deadlineTick?: number;
  graceTicksLeft?: number;
}

export interface EventMessage {
  seq: number;
  tick: number;
  type: string;
  [field: string]: unknown;
}

export interface AckMessage {
  actionSeq: number;
  result: AckResult;
  error?: string;
}

export interface EndMessage {
  seq: number;
  tick: number;
  reason: EndReason;
  result: unknown;
}

export interface ErrorMessage {
  code: MessageError;
  message: string;
  /** The refused ACTION's actionSeq, when the message was an ACTION and it could be read. */
  actionSeq?: number;
}

export interface ActionMessage {
  actionSeq: number;
  type: string;
  [field: string]: unknown;
}

/** RESYNC (op 101) carries nothing: `{}`. */
export interface ResyncMessage {}

/** QUIT (op 102) carries nothing: `{}`. */
export interface QuitMessage {}

/** The payload of each op code; contract.json lists their fields from this map. */
export interface Messages {
  [OpCode.SNAPSHOT]: SnapshotMessage;
  [OpCode.SEAT]: SeatMessage;
  [OpCode.EVENT]: EventMessage;
  [OpCode.ACK]: AckMessage;
  [OpCode.END]: EndMessage;
  [OpCode.ERROR]: ErrorMessage;
  [OpCode.ACTION]: ActionMessage;
  [OpCode.RESYNC]: ResyncMessage;
  [OpCode.QUIT]: QuitMessage;
}

/** RPC ids as the demo registers them; a game may register them under its own prefix. */
export const Rpc = {
  MATCH_CREATE: 'match_create',
  MATCH_FIND: 'match_find',
  SESSION_RESUME: 'session_resume',
  SHOP_PURCHASE: 'shop_purchase',
} as const;

/** `status` of a `session_resume` answer. */
export const ResumeStatus = {
  /** The user holds a seat in a match this node runs: rejoin it. */
  ACTIVE: 'active',
  /** The seat is held in a match another node runs. */
  ELSEWHERE: 'elsewhere',
  /** The user holds no seat. */
  NONE: 'none',
  /** The match ended while the user held a seat. */
  ENDED: 'ended',
} as const;
export type ResumeStatus = (typeof ResumeStatus)[keyof typeof ResumeStatus];

/** Payload of `match_create` and `match_find`: a mode of the server's mode table. */
export interface MatchModePayload {
  mode: string;
}

/** Payload of `session_resume`: nothing. */
export interface ResumePayload {}

/** Payload of `shop_purchase`. */
export interface PurchasePayload {
  /** 8 to 64 characters of A-Z, a-z, 0-9, `_` and `-`; one per intended purchase, kept for retries. */
  idempotencyKey: string;
  itemId: string;
  quantity: number;
}

/** Answer of `match_create`. */
export interface MatchCreateAnswer {
  matchId: string;
}

/** Answer of `match_find`: `created` when no running match had a seat and a new one was made. */
export interface MatchFindAnswer {
  matchId: string;
  created: boolean;
}

/** Answer of `session_resume`. */
export type ResumeAnswer =
  /** The user holds this seat; rejoin with `token` (null: with the last token you were given). */
  | { status: typeof ResumeStatus.ACTIVE; matchId: string; seat: number; mode: string; token: string | null }
  /**
   * The seat is held in a match that runs on another server node (several independent nodes on
   * one database). Reach that node (route by `node`) and rejoin with your last token or call
   * session_resume there; or retry here: if that node is dead, the match is restored once its
   * lease runs out (see docs/deployment.md).
   */
  | { status: typeof ResumeStatus.ELSEWHERE; matchId: string; seat: number; mode: string; node: string }
  | { status: typeof ResumeStatus.NONE }
  | { status: typeof ResumeStatus.ENDED; matchId: string; reason: string; result: unknown };

/** Answer of `shop_purchase`: `balance` and `owned` as just after this purchase. */
export interface PurchaseAnswer {
  receiptId: string;
  itemId: string;
  quantity: number;
  cost: number;
  balance: number;
  owned: number;
  /** True when this answer is the stored result of an earlier request with the same key. */
  replayed: boolean;
}

/** Each RPC's payload and answer; contract.json lists their fields from this map. */
export interface RpcCalls {
  [Rpc.MATCH_CREATE]: { payload: MatchModePayload; answer: MatchCreateAnswer };
  [Rpc.MATCH_FIND]: { payload: MatchModePayload; answer: MatchFindAnswer };
  [Rpc.SESSION_RESUME]: { payload: ResumePayload; answer: ResumeAnswer };
  [Rpc.SHOP_PURCHASE]: { payload: PurchasePayload; answer: PurchaseAnswer };
}

// ---- Match signals -------------------------------------------------------------------------
// What the module's own RPCs send a match through nk.matchSignal, and what it answers. Internal to
// the server, but a contract between two VMs all the same: both ends encode and decode here.

export type MatchSignal =
  | { op: 'reissue'; userId: string }
  | { op: 'supersede' }
  /** Operator: every seat with its status and deadline. */
  | { op: 'seats' }
  /** Operator: free a reserved seat now, as the game's own release does. */
  | { op: 'release'; seat: number }
  /** Operator: end the match now (END reason `operator`), `note` in the log. */
  | { op: 'end'; note: string };

/** A seat as an operator sees it. */
export interface AdminSeatView {
  seat: number;
  userId: string | null;
  status: SeatStatus;
  /** The tick at which a reserved seat is lost (absent: not reserved, or manual grace). */
  deadlineTick?: number;
  graceTicksLeft?: number;
}

/** Answer of the operator signals (and of the rejoin_admin_* RPCs). */
export type AdminAnswer =
  | { ok: true; mode: string; tick: number; seats: AdminSeatView[] }
  | { ok: false; reason: 'ended' | 'no_such_seat' | 'not_reserved' | 'stopping' };

/**
 * Answer of `rejoin_admin_sweep`: how many stored objects it looked at, how many checkpoints and
 * restore records it removed as no longer usable, and where to go on (null: it reached the end).
 */
export interface SweepAnswer {
  ok: true;
  scanned: number;
  checkpointsRemoved: number;
  restoresRemoved: number;
  cursor: string | null;
}

/** A match's answer to `reissue`: a fresh token for the seat the user holds, or why not. */
export type ReissueAnswer =
  | { ok: true; seat: number; status: SeatStatus; mode: string; token: string | null }
  /** `moved`: this copy handed the match over to another (follow the restore). */
  | { ok: false; reason: 'no_seat' | 'ended' | 'stopping' | 'moved' };

/** Any signal's answer: reissue's, supersede's `{ok: true}`, or a signal the match could not take. */
export type SignalAnswer = ReissueAnswer | AdminAnswer | { ok: true } | { ok: false; reason: 'unknown_signal' | 'error' };

/** JSON text's value, or undefined when it is not JSON. */
function readJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

export function encodeSignal(signal: MatchSignal): string {
  return JSON.stringify(signal);
}

/** The signal in `data`, or null for anything else. */
export function decodeSignal(data: string): MatchSignal | null {
  const m = (readJson(data) ?? {}) as Record<string, unknown>;
  if (m.op === 'reissue' && typeof m.userId === 'string') return { op: 'reissue', userId: m.userId };
  if (m.op === 'supersede') return { op: 'supersede' };
  if (m.op === 'seats') return { op: 'seats' };
  if (m.op === 'release' && Number.isInteger(m.seat)) return { op: 'release', seat: m.seat as number };
  if (m.op === 'end' && typeof m.note === 'string') return { op: 'end', note: m.note };
  return null;
}

export function encodeSignalAnswer(answer: SignalAnswer): string {
  return JSON.stringify(answer);
}

/** A well-formed answer to an operator signal in `data`, or null. */
export function decodeAdminAnswer(data: string): AdminAnswer | null {
  const v = readJson(data);
  if (v === undefined || v === null || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if (r.ok === true && typeof r.mode === 'string' && Number.isInteger(r.tick) && Array.isArray(r.seats)) return r as unknown as AdminAnswer;
  if (r.ok === false && (r.reason === 'ended' || r.reason === 'no_such_seat' || r.reason === 'not_reserved' || r.reason === 'stopping')) return { ok: false, reason: r.reason };
  return null;
}

/** A well-formed answer to `reissue` in `data`, or null. */
export function decodeReissueAnswer(data: string): ReissueAnswer | null {
  const v = readJson(data);
  if (v === undefined || v === null || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  const statuses: unknown[] = Object.values(SeatStatus);
  if (r.ok === true && Number.isInteger(r.seat) && statuses.includes(r.status) && typeof r.mode === 'string' && (r.token === null || typeof r.token === 'string')) {
    return { ok: true, seat: r.seat as number, status: r.status as SeatStatus, mode: r.mode, token: r.token as string | null };
  }
  if (r.ok === false && (r.reason === 'no_seat' || r.reason === 'ended' || r.reason === 'stopping' || r.reason === 'moved')) return { ok: false, reason: r.reason };
  return null;
}
