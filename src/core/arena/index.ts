// The arena match core: pure functions over plain-JSON state that return effects.
export { initArena, labelOf, seatOfUser, openSeats, anyoneHolds } from './state';
export type { ArenaState, ArenaDeps, SeatRecord, Claim, GoneToken } from './state';
export { joinAttempt, join } from './join';
export type { AttemptDecision } from './join';
export { leave, PresenceReason } from './leave';
export type { Leaving } from './leave';
export { handleMessage, handleMessages, parseObject, MAX_MESSAGE_CHARS } from './messages';
export type { Incoming } from './messages';
export { tickClock, settle, endMatch, releaseSeat, freezeForShutdown } from './clock';
export { buildSnapshot } from './broadcast';
export { makeCheckpoint, restoreCheckpoint, leaseMsOf, leaseRecordOf, CHECKPOINT_VERSION } from './checkpoint';
export type { Checkpoint, RestoreFailure } from './checkpoint';
export { reissueToken, supersede, handOver } from './resume';
export type { Reissue } from './resume';
