// The arena match core: pure transitions over plain-JSON state. Every transition has one shape,
// `(state, deps, fx, input..., tick)`: it changes the state, adds what the adapter must do to the
// match's effect list `fx`, and returns its answer (an attempt's decision, a signal's answer) or
// nothing.
export { initArena, labelOf, seatOfUser, openSeats, anyoneHolds, reservedSeats } from './state.js';
export type { ArenaState, ArenaDeps, SeatRecord, Claim, GoneToken } from './state.js';
export { joinAttempt, join } from './join.js';
export type { AttemptDecision } from './join.js';
export { leave } from './leave.js';
export type { Leaving } from './leave.js';
export { handleMessage, handleMessages, parseObject, MAX_MESSAGE_CHARS } from './messages.js';
export type { Incoming } from './messages.js';
export { tickClock, settle, isDue, freezeForShutdown } from './clock.js';
export { endMatch, releaseSeat } from './lifecycle.js';
export { buildSnapshot } from './broadcast.js';
export { makeCheckpoint, restorableText, restoreCheckpoint, startClockAt, leaseMsOf, leaseRecordOf, checkpointOrphaned, restoreRecordStale, CHECKPOINT_VERSION } from './checkpoint-format.js';
export type { Checkpoint, RestoreFailure } from './checkpoint-format.js';
export { reissueToken, supersede, handOver } from './resume.js';
export { adminSeats, adminRelease, adminEnd } from './admin.js';
