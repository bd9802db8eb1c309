// Storage collections the module owns, every one of them named here. Everything is server-written
// (permissionWrite 0).
//
// What session_resume and restores trust (seat index, checkpoints, restore records) is owned by
// the system user: a client can only ever write objects owned by itself, so it can neither
// create, change nor delete these, whatever the order of events. The per-user objects (receipts,
// inventory) are shielded by the storage hooks in storage-guard.ts, and every value read back is
// validated before it is used.

/** Owner of the objects that belong to no user: no client session can write as this user. */
export const SYSTEM_USER = '00000000-0000-0000-0000-000000000000';

/** Every collection whose name starts with this belongs to the module; clients may not write it. */
export const MODULE_COLLECTION_PREFIX = 'rejoin_';

/** System user, key = user id: where the user holds a seat, or how its last match ended. */
export const SEAT_INDEX_COLLECTION = 'rejoin_seat';
/** Per match (system user, key = match id): the latest checkpoint. */
export const CHECKPOINT_COLLECTION = 'rejoin_checkpoint';
/** Per restored match (system user, key = old match id): which new match continues it. */
export const RESTORE_COLLECTION = 'rejoin_restore';
/**
 * Per user: its idempotency records, key `<rpc>/<idempotencyKey>`. The name matters: Nakama runs a multiUpdate's storage writes as one
 * batch sorted by collection, and on 3.26.0 a database error on a statement that is not the
 * batch's last (the record's "*" insert losing a race) can leave the pooled connection broken
 * ("conn busy") and stall the server's database pool. Writes that use a version hash never raise
 * an error, so the record, the only write that can, must sort after every other collection a
 * mutation writes ("rejoin_inventory" here).
 */
export const IDEMPOTENCY_COLLECTION = 'rejoin_receipts';
/** Per user, key `match_create`: when it created matches, for the creation limit. */
export const LIMITS_COLLECTION = 'rejoin_limits';
/**
 * System user, key `modes`: a mode table that replaces REJOIN_MODES for new matches without a
 * redeploy (edited in the Nakama console; validated before use).
 */
export const CONFIG_COLLECTION = 'rejoin_config';
export const MODES_KEY = 'modes';
/** Per user, key `items`: the demo shop's inventory. */
export const INVENTORY_COLLECTION = 'rejoin_inventory';
