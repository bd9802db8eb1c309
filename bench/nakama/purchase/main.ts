// The module `npm run bench:purchase` loads: the shop twice, with the idempotency layer
// (shop_purchase) and without it (bench_purchase_plain). Built to build/bench/index.js, apart
// from the bundle that is deployed, which never carries bench_purchase_plain.

import { beforeDeleteStorageObjects, beforeWriteStorageObjects, checkRejoinConfig } from '../../../src/server';
import { afterAuthenticateCustom, checkShopConfig, rpcShopPurchase } from '../../../src/demo';
import { rpcBenchPurchasePlain } from './plain';

function InitModule(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, initializer: nkruntime.Initializer): void {
  initializer.registerRpc('shop_purchase', rpcShopPurchase);
  initializer.registerRpc('bench_purchase_plain', rpcBenchPurchasePlain);
  initializer.registerAfterAuthenticateCustom(afterAuthenticateCustom);
  initializer.registerBeforeWriteStorageObjects(beforeWriteStorageObjects);
  initializer.registerBeforeDeleteStorageObjects(beforeDeleteStorageObjects);
  checkRejoinConfig(ctx, logger);
  checkShopConfig(ctx, logger);
}

!InitModule && InitModule.bind(null);
