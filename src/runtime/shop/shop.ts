// shop_purchase: coins out of the wallet and items into a server-owned inventory, exactly once
// per idempotencyKey, in one transaction with the key's record.

import { canonicalRequest } from '../../core/idempotency/decision.js';
import { checkPurchase, parseCatalog, parseStartCoins, ShopError, type Catalog } from '../../core/shop/catalog.js';
import { Code } from '../codes.js';
import { rpcError, errorText } from '../errors.js';
import { idempotencySettings, requireKey, runIdempotent, type Plan } from '../idempotency/idempotent.js';
import { checkSettings } from '../env.js';
import { parsePayload, requireUser, runRpc } from '../rpc-util.js';
import { COINS, ensureStartingGrant, inventoryRead, INVENTORY_KEY } from './starting-grant.js';
import { INVENTORY_COLLECTION } from '../storage.js';
import type { PurchaseAnswer } from '../../protocol.js';


/** What a purchase records with its key; the answer adds whether it was replayed. */
export type PurchaseResult = Omit<PurchaseAnswer, 'replayed'>;

export function shopSettings(ctx: nkruntime.Context): { catalog: Catalog; startCoins: number; retentionMs: number; maxRecords: number } {
  const env = ctx.env ?? {};
  return { catalog: parseCatalog(env.SHOP_CATALOG), startCoins: parseStartCoins(env.START_COINS), ...idempotencySettings(ctx) };
}

/** The shop's settings (SHOP_CATALOG, START_COINS), checked at start-up. */
export function checkShopConfig(ctx: nkruntime.Context, logger: nkruntime.Logger): void {
  checkSettings(ctx, logger, [shopSettings]);
}

function owned(objects: nkruntime.StorageObject[]): { value: Record<string, any>; items: Record<string, number>; version: string | null } {
  const inv = objects.find((o) => o.collection === INVENTORY_COLLECTION && o.key === INVENTORY_KEY);
  const value = (inv?.value ?? {}) as Record<string, any>;
  // Only whole, non-negative counts are kept from what was read.
  const items: Record<string, number> = {};
  const raw = value.items !== null && typeof value.items === 'object' && !Array.isArray(value.items) ? (value.items as Record<string, unknown>) : {};
  for (const k of Object.keys(raw)) if (isCount(raw[k])) items[k] = raw[k] as number;
  return { value, items, version: inv ? inv.version : null };
}

export function purchase(nk: nkruntime.Nakama, logger: nkruntime.Logger, ctx: nkruntime.Context, userId: string, body: Record<string, unknown>): PurchaseAnswer {
  const settings = shopSettings(ctx);
  const key = requireKey(body.idempotencyKey);
  const check = checkPurchase(settings.catalog, body.itemId, body.quantity);
  if (!check.ok) throw rpcError(Code.INVALID_ARGUMENT, check.error, check.message);
  ensureStartingGrant(nk, userId, settings.startCoins);
  const fp = nk.sha256Hash(canonicalRequest('shop_purchase', { itemId: check.itemId, quantity: check.quantity }));
  return runIdempotent<PurchaseResult>(nk, logger, {
    userId,
    rpc: 'shop_purchase',
    key,
    fp,
    reads: [inventoryRead(userId)],
    retentionMs: settings.retentionMs,
    maxRecords: settings.maxRecords,
    plan: (objects) => planPurchase(nk, userId, check, objects),
    isResult: isPurchaseResult,
    explain: explainWalletFailure,
  });
}

/**
 * The mutation itself: debit and inventory write, with the inventory's version check, which
 * makes concurrent purchases of one user take turns, so the balance read here is the one the
 * debit applies to.
 */
export function planPurchase(nk: nkruntime.Nakama, userId: string, check: { itemId: string; quantity: number; cost: number }, objects: nkruntime.StorageObject[]): Plan<PurchaseResult> {
  const balance = nk.accountGetId(userId).wallet?.[COINS] ?? 0;
  if (balance < check.cost) throw rpcError(Code.FAILED_PRECONDITION, ShopError.INSUFFICIENT_FUNDS, `${check.cost} coins needed, ${balance} held`);
  const inv = owned(objects);
  const now = (inv.items[check.itemId] ?? 0) + check.quantity;
  inv.items[check.itemId] = now;
  const result: PurchaseResult = { receiptId: nk.uuidv4(), itemId: check.itemId, quantity: check.quantity, cost: check.cost, balance: balance - check.cost, owned: now };
  return {
    writes: [{ ...inventoryRead(userId), value: { ...inv.value, items: inv.items }, version: inv.version ?? '*', permissionRead: 1, permissionWrite: 0 }],
    wallet: [{ userId, changeset: { [COINS]: -check.cost }, metadata: { reason: 'shop_purchase', itemId: check.itemId, quantity: check.quantity } }],
    result,
  };
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** A stored purchase answer has every field of one, each of its type. */
function isPurchaseResult(r: unknown): boolean {
  if (r === null || typeof r !== 'object') return false;
  const p = r as Record<string, unknown>;
  return typeof p.receiptId === 'string' && typeof p.itemId === 'string' && isCount(p.quantity) && isCount(p.cost) && isCount(p.balance) && isCount(p.owned);
}

/** Another wallet change (outside the shop) got in between: the wallet refuses to go negative. */
export function explainWalletFailure(err: unknown): { message: string; code: Code } | null {
  const text = errorText(err);
  return /negative value/.test(text) ? rpcError(Code.FAILED_PRECONDITION, ShopError.INSUFFICIENT_FUNDS, 'not enough coins') : null;
}

export function rpcShopPurchase(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return runRpc('shop_purchase', ctx, logger, () => purchase(nk, logger, ctx, requireUser(ctx), parsePayload(payload)));
}
