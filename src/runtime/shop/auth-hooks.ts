// After-authenticate hooks: every login makes sure the account has had its starting coins.

import { errorText } from '../errors.js';
import { shopSettings } from './shop.js';
import { ensureStartingGrant } from './starting-grant.js';
import { SYSTEM_USER } from '../storage.js';
import { logWith } from '../log.js';

/** Grants the starting balance if this account never had it. Never fails a login. */
function afterAuthenticate(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama): void {
  const userId = ctx.userId;
  if (typeof userId !== 'string' || userId === '' || userId === SYSTEM_USER) return;
  try {
    ensureStartingGrant(nk, userId, shopSettings(ctx).startCoins);
  } catch (err) {
    // Retried on the next login or purchase.
    logWith(logger, 'error', 'starting grant failed', { userId: userId, error: errorText(err) });
  }
}

export function afterAuthenticateCustom(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, _data: nkruntime.Session, _req: nkruntime.AuthenticateCustomRequest): void {
  afterAuthenticate(ctx, logger, nk);
}

export function afterAuthenticateDevice(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, _data: nkruntime.Session, _req: nkruntime.AuthenticateDeviceRequest): void {
  afterAuthenticate(ctx, logger, nk);
}

export function afterAuthenticateEmail(ctx: nkruntime.Context, logger: nkruntime.Logger, nk: nkruntime.Nakama, _data: nkruntime.Session, _req: nkruntime.AuthenticateEmailRequest): void {
  afterAuthenticate(ctx, logger, nk);
}
