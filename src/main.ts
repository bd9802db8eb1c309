// Entry point loaded by Nakama. Only InitModule and its register calls live here: the server
// finds them by reading this function's syntax tree, so each call stays a flat statement with a
// literal id and a top-level function.

import { arenaInit, arenaJoin, arenaJoinAttempt, arenaLeave, arenaLoop, arenaSignal, arenaTerminate } from './runtime/arena/match';
import { rpcMatchCreate, rpcMatchFind } from './runtime/arena/match-rpcs';
import { matchmakerMatched } from './runtime/arena/matchmaker';
import { rpcSessionResume } from './runtime/arena/session-resume';
import { rpcBenchPurchasePlain, rpcShopPurchase } from './runtime/shop/shop';
import { afterAuthenticateCustom, afterAuthenticateDevice, afterAuthenticateEmail } from './runtime/shop/auth-hooks';
import { checkConfig } from './runtime/startup';
import { beforeDeleteStorageObjects, beforeWriteStorageObjects } from './runtime/storage-guard';

function InitModule(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, initializer: nkruntime.Initializer): void {
  initializer.registerMatch('arena', {
    matchInit: arenaInit,
    matchJoinAttempt: arenaJoinAttempt,
    matchJoin: arenaJoin,
    matchLeave: arenaLeave,
    matchLoop: arenaLoop,
    matchTerminate: arenaTerminate,
    matchSignal: arenaSignal,
  });
  initializer.registerRpc('match_create', rpcMatchCreate);
  initializer.registerRpc('match_find', rpcMatchFind);
  initializer.registerRpc('session_resume', rpcSessionResume);
  initializer.registerRpc('shop_purchase', rpcShopPurchase);
  initializer.registerRpc('bench_purchase_plain', rpcBenchPurchasePlain);
  initializer.registerMatchmakerMatched(matchmakerMatched);
  initializer.registerAfterAuthenticateCustom(afterAuthenticateCustom);
  initializer.registerAfterAuthenticateDevice(afterAuthenticateDevice);
  initializer.registerAfterAuthenticateEmail(afterAuthenticateEmail);
  initializer.registerBeforeWriteStorageObjects(beforeWriteStorageObjects);
  initializer.registerBeforeDeleteStorageObjects(beforeDeleteStorageObjects);
  // After the register calls: the server's scan of this function expects them first.
  checkConfig(ctx, logger);
  logger.info('nakama-rejoin module loaded');
}

// Keeps InitModule in the bundle: nothing imports it, the server calls it by name.
!InitModule && InitModule.bind(null);
