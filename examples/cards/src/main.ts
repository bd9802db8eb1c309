// The cards module. The arena is made at the top level, so every VM the server runs has it;
// InitModule only registers, under this game's own names.
import { beforeDeleteStorageObjects, beforeWriteStorageObjects, checkRejoinConfig, rejoinArena, type nkruntime } from 'nakama-rejoin/server';
import { cardRules } from './cards';

var { matchInit, matchJoinAttempt, matchJoin, matchLeave, matchLoop, matchTerminate, matchSignal, rpcMatchFind, rpcSessionResume } = rejoinArena({ game: cardRules, matchName: 'cards' });

function InitModule(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, initializer: nkruntime.Initializer): void {
  initializer.registerMatch('cards', { matchInit, matchJoinAttempt, matchJoin, matchLeave, matchLoop, matchTerminate, matchSignal });
  initializer.registerRpc('cards_match_find', rpcMatchFind);
  initializer.registerRpc('cards_session_resume', rpcSessionResume);
  initializer.registerBeforeWriteStorageObjects(beforeWriteStorageObjects);
  initializer.registerBeforeDeleteStorageObjects(beforeDeleteStorageObjects);
  checkRejoinConfig(ctx, logger);
}

!InitModule && InitModule.bind(null);
