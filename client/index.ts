// nakama-rejoin client: a match connection that resumes by itself, and exactly-once RPCs.
export { RejoinClient } from './rejoin-client.js';
export { JoinRefused, SessionExpired, redact } from './errors.js';
export type { RejoinClientOptions, RejoinEvents, RejoinState, ResumeAnswer, ResumeOutcome } from './rejoin-client.js';
export { nodeClient } from './node-route.js';
export type { NodeAddress, NodeResolver } from './node-route.js';
export { callIdempotent, newIdempotencyKey, RpcRefused } from './idempotent-rpc.js';
export type { IdempotentOptions } from './idempotent-rpc.js';
export { MemoryTokenStore, LocalStorageTokenStore } from './token-store.js';
export type { TokenStore, SeatTicket, StorageLike, LocalStorageTokenStoreOptions } from './token-store.js';
export { DEFAULT_BACKOFF, backoffCap, jitteredDelay, nextDelay, localDeadline, giveUpAt } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { PendingActions } from './pending-actions.js';
export type { PendingAction } from './pending-actions.js';
export { SequenceTracker } from './sequence.js';
export type { SeqVerdict } from './sequence.js';
export { OpCode, RejectReason, SeatStatus, SeatReason, AckResult, EndReason, MessageError, Rpc, MATCH_MODULE, PROTOCOL_VERSION } from '../src/protocol.js';
export type { SnapshotMessage, SeatMessage, EventMessage, AckMessage, EndMessage, ErrorMessage, ActionMessage, SeatView, JoinMetadata, MatchCreateAnswer, MatchFindAnswer } from '../src/protocol.js';
