// New accounts start with a configured coin balance, granted exactly once. The grant creates the
// player's server-owned inventory object, inserted with version "*" in the same transaction as
// the coins, so a retried account creation, a second login racing the first, or a hook that
// failed and runs again can never grant twice. It is the transaction's only storage write (see
// IDEMPOTENCY_COLLECTION for why that matters), and it means purchases always find the
// inventory in place and update it with a version check, which never raises a database error.

import { INVENTORY_COLLECTION } from '../storage.js';
import { isContention } from '../storage-io.js';

export const INVENTORY_KEY = 'items';
/** The wallet currency the shop uses. */
export const COINS = 'coins';

export interface Inventory {
  /** Units owned per item id. */
  items: Record<string, number>;
  /** The starting grant that created this inventory. */
  grant: { coins: number; at: number };
}

export function inventoryRead(userId: string): nkruntime.StorageReadRequest {
  return { collection: INVENTORY_COLLECTION, key: INVENTORY_KEY, userId };
}

export function ensureStartingGrant(nk: nkruntime.Nakama, userId: string, coins: number): void {
  if (nk.storageRead([inventoryRead(userId)]).length > 0) return;
  const inventory: Inventory = { items: {}, grant: { coins, at: Date.now() } };
  try {
    nk.multiUpdate(
      null,
      [{ ...inventoryRead(userId), value: inventory as unknown as { [key: string]: any }, version: '*', permissionRead: 1, permissionWrite: 0 }],
      null,
      coins > 0 ? [{ userId, changeset: { [COINS]: coins }, metadata: { reason: 'starting_grant' } }] : [],
      true,
    );
  } catch (err) {
    // Another call granted first: that is the one grant.
    if (!isContention(err)) throw err;
  }
}
