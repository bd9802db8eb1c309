// Messages the match sends, built in one place so that every broadcast gets the next `seq`.

import { OpCode, SeatStatus, type SeatMessage, type SeatReason, type SnapshotMessage, type SeatView } from '../../protocol.js';
import type { Effects, PresenceRef } from './effects.js';
import type { GameEvent } from '../game.js';
import { ticksLeft } from './grace.js';
import { connectedPresences, type ArenaDeps, type ArenaState, type SeatRecord } from './state.js';
import { stampedJson } from './wire.js';

/**
 * Sends to every connected seat (but `except`, and with `also`, a session leaving its seat),
 * stamping the next sequence number.
 */
export function broadcast(
  state: ArenaState,
  fx: Effects,
  op: number,
  body: Record<string, unknown>,
  tick: number,
  exceptSessionId: string | null = null,
  also: PresenceRef | null = null,
): void {
  state.seq += 1;
  const to = connectedPresences(state, exceptSessionId);
  if (also !== null) to.push(also);
  fx.sendJson(op, stampedJson(state.seq, tick, body), to);
}

export function broadcastSeat(
  state: ArenaState,
  fx: Effects,
  s: SeatRecord,
  userId: string,
  reason: SeatReason,
  tick: number,
  exceptSessionId: string | null = null,
  also: PresenceRef | null = null,
): void {
  const body: Omit<SeatMessage, 'seq' | 'tick'> = { seat: s.seat, userId, status: s.status, reason };
  if (s.status === SeatStatus.RESERVED && s.deadline !== null) {
    body.deadlineTick = s.deadline;
    body.graceTicksLeft = ticksLeft(s.deadline, tick) ?? undefined;
  }
  broadcast(state, fx, OpCode.SEAT, body as unknown as Record<string, unknown>, tick, exceptSessionId, also);
}

export function broadcastEvents(state: ArenaState, fx: Effects, events: GameEvent[], tick: number, exceptSessionId: string | null = null): void {
  for (let i = 0; i < events.length; i++) broadcast(state, fx, OpCode.EVENT, events[i], tick, exceptSessionId);
}

export function seatViews(state: ArenaState, tick: number): SeatView[] {
  return state.seats.map((s) => {
    const v: SeatView = { seat: s.seat, userId: s.status === SeatStatus.FREE ? null : s.userId, status: s.status };
    if (s.status === SeatStatus.RESERVED && s.deadline !== null) v.graceTicksLeft = ticksLeft(s.deadline, tick) ?? 0;
    return v;
  });
}

/** A full, private picture of the match for the player in `s`. Never a diff. */
export function buildSnapshot(state: ArenaState, deps: ArenaDeps, s: SeatRecord, token: string | null, resumed: boolean, tick: number): SnapshotMessage {
  return {
    seq: state.seq,
    tick,
    tickRate: state.mode.tickRate,
    mode: state.mode.name,
    graceTicks: state.graceTicks,
    you: { seat: s.seat, userId: s.userId as string },
    token,
    resumed,
    lastActionSeq: s.lastActionSeq,
    seats: seatViews(state, tick),
    round: { endTick: state.roundEndTick, ticksLeft: Math.max(0, state.roundEndTick - tick) },
    game: deps.game.view(state.game, s.seat),
  };
}

export function sendSnapshot(state: ArenaState, deps: ArenaDeps, fx: Effects, s: SeatRecord, to: PresenceRef, token: string | null, resumed: boolean, tick: number): void {
  fx.send(OpCode.SNAPSHOT, buildSnapshot(state, deps, s, token, resumed, tick), [to]);
}
