// nakama-rejoin/server: what a Nakama TypeScript module imports to give its players seats that
// survive drops. Bundle it into the module's one JavaScript file; see the README for the few
// register calls a game adds to its own InitModule.

// The arena: one game's match handlers, RPCs and matchmaker hook.
export { rejoinArena } from './runtime/arena';
export type { ArenaOptions, ArenaMatchHandlers, RejoinArena } from './runtime/arena';
export { checkRejoinConfig } from './runtime/startup';

// The game's side of the seam.
export { NEVER } from './core/game';
export type { GameRules, GameEvent, ActionOutcome, FreedReason } from './core/game';
export type { ModeConfig } from './core/modes';

// Clients may neither write nor delete the module's storage.
export { beforeWriteStorageObjects, beforeDeleteStorageObjects } from './runtime/storage-guard';

// Exactly-once RPCs: the wrapper behind shop_purchase, for the game's own mutating RPCs.
export { runIdempotent, idempotencySettings } from './runtime/idempotency/idempotent';
export type { IdempotentCall, Plan } from './runtime/idempotency/idempotent';
export { canonicalRequest, isValidKey } from './core/idempotency';

// RPC plumbing: `{message, code}` errors and payload checks, as the module's own RPCs use them.
export { Code, rpcError, isRpcError } from './runtime/codes';
export type { RpcError } from './runtime/codes';
export { parsePayload, requireUser, runRpc } from './runtime/rpc-util';

// The demo, each part optional: a game of scores and moves, a coin shop with a starting grant.
export { demoGame } from './core/demo-game';
export type { DemoState, DemoSeat } from './core/demo-game';
export { rpcShopPurchase, checkShopConfig } from './runtime/shop/shop';
export { afterAuthenticateCustom, afterAuthenticateDevice, afterAuthenticateEmail } from './runtime/shop/auth-hooks';
