// The shop behind shop_purchase: the catalog from config and the rules of one purchase.

import { RpcErrorReason } from '../../protocol.js';

export const ShopError = {
  ITEM_UNKNOWN: RpcErrorReason.ITEM_UNKNOWN,
  QUANTITY_INVALID: RpcErrorReason.QUANTITY_INVALID,
  INSUFFICIENT_FUNDS: RpcErrorReason.INSUFFICIENT_FUNDS,
} as const;
export type ShopError = (typeof ShopError)[keyof typeof ShopError];

export interface CatalogItem {
  /** Whole coins per unit. */
  price: number;
  /** Largest quantity one purchase may ask for. */
  maxQuantity: number;
}
export type Catalog = Record<string, CatalogItem>;

export class ShopConfigError extends Error {}

export const DEFAULT_CATALOG_JSON = JSON.stringify({ potion: { price: 10 }, shield: { price: 50 }, gem: { price: 200, maxQuantity: 10 } });
export const DEFAULT_START_COINS = 1000;
const ITEM_ID = /^[a-z0-9_]{1,32}$/;

function wholeIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

export function parseCatalog(json: string | undefined): Catalog {
  const text = json === undefined || json.trim() === '' ? DEFAULT_CATALOG_JSON : json;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ShopConfigError(`SHOP_CATALOG: is not valid JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length === 0) throw new ShopConfigError('SHOP_CATALOG: must be a JSON object with at least one item');
  const out: Catalog = {};
  for (const [id, item] of Object.entries(raw as Record<string, unknown>)) {
    if (!ITEM_ID.test(id)) throw new ShopConfigError(`SHOP_CATALOG item "${id}": an item id is 1-32 characters of a-z, 0-9 and _`);
    if (item === null || typeof item !== 'object') throw new ShopConfigError(`SHOP_CATALOG item "${id}": must be an object`);
    const { price, maxQuantity, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ShopConfigError(`SHOP_CATALOG item "${id}" field "${unknown[0]}": unknown field (known: price, maxQuantity)`);
    if (!wholeIn(price, 1, 1_000_000)) throw new ShopConfigError(`SHOP_CATALOG item "${id}" field "price": must be a whole number from 1 to 1000000 (got ${JSON.stringify(price)})`);
    if (maxQuantity !== undefined && !wholeIn(maxQuantity, 1, 1000)) throw new ShopConfigError(`SHOP_CATALOG item "${id}" field "maxQuantity": must be a whole number from 1 to 1000 (got ${JSON.stringify(maxQuantity)})`);
    out[id] = { price, maxQuantity: maxQuantity ?? 100 };
  }
  return out;
}

export function parseStartCoins(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_START_COINS;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 1e12) throw new ShopConfigError(`START_COINS: must be a whole number of coins from 0 (got ${JSON.stringify(text)})`);
  return n;
}

export type PurchaseCheck = { ok: true; itemId: string; quantity: number; cost: number } | { ok: false; error: ShopError; message: string };

/** Validates the item and quantity of a purchase request against the catalog. */
export function checkPurchase(catalog: Catalog, itemId: unknown, quantity: unknown): PurchaseCheck {
  if (typeof itemId !== 'string' || !Object.prototype.hasOwnProperty.call(catalog, itemId)) {
    return { ok: false, error: ShopError.ITEM_UNKNOWN, message: `itemId must be one of: ${Object.keys(catalog).join(', ')}` };
  }
  const item = catalog[itemId];
  if (!wholeIn(quantity, 1, item.maxQuantity)) {
    return { ok: false, error: ShopError.QUANTITY_INVALID, message: `quantity must be a whole number from 1 to ${item.maxQuantity}` };
  }
  return { ok: true, itemId, quantity, cost: item.price * quantity };
}
