// bench_purchase_plain: the shop's purchase without the idempotency layer, what `npm run
// bench:purchase` compares shop_purchase with. Registered only by the benchmark's own module
// (bench/nakama/purchase/main.ts), never by a bundle that is deployed.

import { checkPurchase } from '../../../src/core/shop/catalog.js';
import { Code } from '../../../src/runtime/codes.js';
import { rpcError } from '../../../src/runtime/errors.js';
import { RpcErrorReason } from '../../../src/protocol.js';
import { parsePayload, requireUser, runRpc } from '../../../src/runtime/rpc-util.js';
import { isContention } from '../../../src/runtime/storage-io.js';
import { explainWalletFailure, planPurchase, shopSettings } from '../../../src/runtime/shop/shop.js';
import { ensureStartingGrant, inventoryRead } from '../../../src/runtime/shop/starting-grant.js';

/**
 * The same purchase without the idempotency layer, for the benchmark only: refused unless the
 * server runs with REJOIN_BENCH=1 in runtime.env. A retry of it charges again.
 */
export function rpcBenchPurchasePlain(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, payload: string): string {
  return runRpc('bench_purchase_plain', ctx, logger, () => {
    if (ctx.env?.REJOIN_BENCH !== '1') throw rpcError(Code.PERMISSION_DENIED, RpcErrorReason.OPERATOR_ONLY, 'bench_purchase_plain is enabled only with REJOIN_BENCH=1');
    const userId = requireUser(ctx);
    const body = parsePayload(payload);
    const settings = shopSettings(ctx);
    const check = checkPurchase(settings.catalog, body.itemId, body.quantity);
    if (!check.ok) throw rpcError(Code.INVALID_ARGUMENT, check.error, check.message);
    ensureStartingGrant(nk, userId, settings.startCoins);
    for (let attempt = 0; attempt < 5; attempt++) {
      const plan = planPurchase(nk, userId, check, nk.storageRead([inventoryRead(userId)]));
      try {
        nk.multiUpdate(null, plan.writes, null, plan.wallet, true);
        return { ...plan.result, replayed: false };
      } catch (err) {
        if (isContention(err)) continue;
        throw explainWalletFailure(err) ?? err;
      }
    }
    throw rpcError(Code.ABORTED, RpcErrorReason.CONTENDED, 'retry');
  });
}
