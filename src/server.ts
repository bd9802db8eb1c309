// nakama-rejoin/server: what a Nakama TypeScript module imports to give its players seats that
// survive drops. Bundle it into the module's one JavaScript file; see the README for the few
// register calls a game adds to its own InitModule.

// The arena: one game's match handlers, RPCs and matchmaker hook.
export { rejoinArena } from './runtime/arena/index.js';
export type { ArenaOptions, ArenaMatchHandlers, RejoinArena } from './runtime/arena/index.js';
export { checkRejoinConfig } from './runtime/startup.js';

// The game's side of the seam.
export { NEVER } from './core/game.js';
export type { GameRules, GameEvent, ActionOutcome, FreedReason } from './core/game.js';
export type { ModeConfig } from './core/modes.js';

// Clients may neither write nor delete the module's storage.
export { beforeWriteStorageObjects, beforeDeleteStorageObjects } from './runtime/storage-guard.js';

// Exactly-once RPCs: the wrapper behind shop_purchase, for the game's own mutating RPCs.
export { runIdempotent, requireKey, idempotencySettings } from './runtime/idempotency/idempotent.js';
export type { IdempotentCall, Plan } from './runtime/idempotency/idempotent.js';
export { canonicalRequest } from './core/idempotency/decision.js';
export { IdempotencyError } from './protocol.js';

// RPC plumbing: `{message, code}` errors and payload checks, as the module's own RPCs use them.
export { Code } from './runtime/codes.js';
export { rpcError, isRpcError } from './runtime/errors.js';
export type { RpcError } from './runtime/errors.js';
export { parsePayload, requireUser, runRpc } from './runtime/rpc-util.js';

