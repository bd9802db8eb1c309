// The demo module Nakama loads, built the way a game's own module is: the package's server entry
// (and its demo entry for the demo's game and shop), one rejoinArena made at the top level (so it
// exists in every VM the server runs), and InitModule with flat register calls, each a literal id
// and a top-level name.

import { beforeDeleteStorageObjects, beforeWriteStorageObjects, checkRejoinConfig, rejoinArena } from './server.js';
import { afterAuthenticateCustom, afterAuthenticateDevice, afterAuthenticateEmail, checkShopConfig, demoGame, rpcShopPurchase } from './demo.js';

var { matchInit, matchJoinAttempt, matchJoin, matchLeave, matchLoop, matchTerminate, matchSignal, rpcMatchCreate, rpcMatchFind, rpcSessionResume, matchmakerMatched, rpcAdminSeats, rpcAdminRelease, rpcAdminEnd, rpcAdminSweep } =
  rejoinArena({ game: demoGame, matchName: 'arena' });

function InitModule(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, initializer: nkruntime.Initializer): void {
  initializer.registerMatch('arena', { matchInit, matchJoinAttempt, matchJoin, matchLeave, matchLoop, matchTerminate, matchSignal });
  initializer.registerRpc('match_create', rpcMatchCreate);
  initializer.registerRpc('match_find', rpcMatchFind);
  initializer.registerRpc('session_resume', rpcSessionResume);
  initializer.registerRpc('shop_purchase', rpcShopPurchase);
  initializer.registerRpc('rejoin_admin_seats', rpcAdminSeats);
  initializer.registerRpc('rejoin_admin_release', rpcAdminRelease);
  initializer.registerRpc('rejoin_admin_end', rpcAdminEnd);
  initializer.registerRpc('rejoin_admin_sweep', rpcAdminSweep);
  initializer.registerMatchmakerMatched(matchmakerMatched);
  initializer.registerAfterAuthenticateCustom(afterAuthenticateCustom);
  initializer.registerAfterAuthenticateDevice(afterAuthenticateDevice);
  initializer.registerAfterAuthenticateEmail(afterAuthenticateEmail);
  initializer.registerBeforeWriteStorageObjects(beforeWriteStorageObjects);
  initializer.registerBeforeDeleteStorageObjects(beforeDeleteStorageObjects);
  // After the register calls: the server's scan of this function expects them first.
  checkRejoinConfig(ctx, logger);
  checkShopConfig(ctx, logger);
  logger.info('nakama-rejoin module loaded');
}

// Keeps InitModule in the bundle: nothing imports it, the server calls it by name.
!InitModule && InitModule.bind(null);
