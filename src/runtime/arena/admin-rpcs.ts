// Operator RPCs, server to server only (called with the server's http key, never with a user
// session): list a match's seats, free a reserved seat, end a match. They reach the match on this
// node through its signal queue, so they act between two of its callbacks like any input. And
// one that reaches no match: removing stored checkpoints and restore records past use.

import { decodeAdminAnswer, RpcErrorReason, type AdminAnswer, type MatchSignal, type SweepAnswer } from '../../protocol.js';
import { Code } from '../codes.js';
import { rpcError } from '../errors.js';
import { parsePayload, runRpc } from '../rpc-util.js';
import { isMatchId } from './seat-index.js';
import { logWith } from '../log.js';
import { signalMatch } from './signal.js';
import { sweep } from './sweep.js';

/** What each refusal by the match means, after its reason. */
const REFUSED: Record<Extract<AdminAnswer, { ok: false }>['reason'], string> = {
  ended: 'the match has ended',
  no_such_seat: 'the match has no such seat',
  not_reserved: 'the seat is not reserved',
  stopping: 'the match cannot act right now (the server is stopping, or it cannot confirm it is the live copy)',
};

/** Refuses any call that carries a user session: only the server's own callers may operate. */
function requireServerCaller(ctx: nkruntime.Context): void {
  if (typeof ctx.userId === 'string' && ctx.userId !== '') throw rpcError(Code.PERMISSION_DENIED, RpcErrorReason.OPERATOR_ONLY, 'operator RPCs are server to server only (http key, no user session)');
}

function requireMatchId(v: unknown): string {
  if (!isMatchId(v)) throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, 'matchId must be an authoritative match id');
  return v;
}

function ask(nk: nkruntime.Nakama, matchId: string, signal: MatchSignal): AdminAnswer {
  const sent = signalMatch(nk, matchId, signal);
  if (sent.kind === 'notRunning') throw rpcError(Code.NOT_FOUND, 'not_running', `match ${matchId} does not run on this node`);
  if (sent.kind === 'busy') throw rpcError(Code.UNAVAILABLE, RpcErrorReason.BUSY, 'the match is busy; try again in a moment');
  const answer = decodeAdminAnswer(sent.raw);
  if (answer === null) throw rpcError(Code.UNAVAILABLE, RpcErrorReason.BUSY, 'the match could not answer; try again in a moment');
  if (!answer.ok) throw rpcError(Code.FAILED_PRECONDITION, answer.reason, REFUSED[answer.reason]);
  return answer;
}

function operate(name: string, ctx: nkruntime.Context, logger: nkruntime.Logger, payload: string, signal: (body: Record<string, unknown>) => MatchSignal, nk: nkruntime.Nakama): string {
  return runRpc<AdminAnswer>(name, ctx, logger, () => {
    requireServerCaller(ctx);
    const body = parsePayload(payload);
    const matchId = requireMatchId(body.matchId);
    const answer = ask(nk, matchId, signal(body));
    logWith(logger, 'info', name, { matchId });
    return answer;
  });
}

/** `rejoin_admin_seats {matchId}` → `{ok, mode, tick, seats: [{seat, userId, status, deadlineTick?, graceTicksLeft?}]}`. */
export function rpcAdminSeats(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return operate('rejoin_admin_seats', ctx, logger, payload, () => ({ op: 'seats' }), nk);
}

/** `rejoin_admin_release {matchId, seat}`: frees a reserved seat now; answers the seats after. */
export function rpcAdminRelease(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return operate(
    'rejoin_admin_release',
    ctx,
    logger,
    payload,
    (body) => {
      if (!Number.isInteger(body.seat) || (body.seat as number) < 0) throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, 'seat must be a seat number');
      return { op: 'release', seat: body.seat as number };
    },
    nk,
  );
}

/** `rejoin_admin_end {matchId, reason}`: ends the match (END `operator`); `reason` goes to the log. */
export function rpcAdminEnd(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return operate(
    'rejoin_admin_end',
    ctx,
    logger,
    payload,
    (body) => {
      if (typeof body.reason !== 'string' || body.reason.trim() === '') throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, 'reason must say why the match is ended');
      return { op: 'end', note: body.reason };
    },
    nk,
  );
}

/** Objects one sweep looks at when the call does not say. */
const SWEEP_LIMIT = 1000;
const SWEEP_LIMIT_MAX = 10_000;

/**
 * `rejoin_admin_sweep {limit?, cursor?}`: removes checkpoints no restore would take and restore
 * records past the result retention (sweep.ts); `cursor` from the answer goes on where it stopped.
 */
export function rpcAdminSweep(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return runRpc<SweepAnswer>('rejoin_admin_sweep', ctx, logger, () => {
    requireServerCaller(ctx);
    const body = parsePayload(payload);
    const limit = body.limit === undefined ? SWEEP_LIMIT : body.limit;
    if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > SWEEP_LIMIT_MAX) throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, `limit must be a whole number from 1 to ${SWEEP_LIMIT_MAX}`);
    const cursor = body.cursor === undefined || body.cursor === null ? null : body.cursor;
    if (cursor !== null && (typeof cursor !== 'string' || !/^[cr]:/.test(cursor))) throw rpcError(Code.INVALID_ARGUMENT, RpcErrorReason.PAYLOAD_INVALID, 'cursor must be one a sweep answered');
    const answer = sweep(ctx, logger, nk, limit as number, cursor);
    logWith(logger, 'info', 'rejoin_admin_sweep', { scanned: answer.scanned, checkpointsRemoved: answer.checkpointsRemoved, restoresRemoved: answer.restoresRemoved, done: answer.cursor === null });
    return answer;
  });
}
