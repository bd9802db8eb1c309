// Storage hooks: clients may not create, change or delete anything in the module's collections
// (every collection whose name starts with MODULE_COLLECTION_PREFIX). Nakama checks an object's
// write permission only once it exists, so without these a client could create a receipt or an
// inventory under its own user id before the server does. The whole request is refused, so a
// batch that mixes the module's collections with the game's own changes nothing.

import { Code } from './codes.js';
import { rpcError } from './errors.js';
import { RpcErrorReason } from '../protocol.js';
import { MODULE_COLLECTION_PREFIX } from './storage.js';

function touchesModule(items: { collection?: string }[] | undefined): string | null {
  for (const o of items ?? []) {
    const c = typeof o?.collection === 'string' ? o.collection : '';
    if (c.toLowerCase().startsWith(MODULE_COLLECTION_PREFIX)) return c;
  }
  return null;
}

function refuse(collection: string): never {
  throw rpcError(Code.PERMISSION_DENIED, RpcErrorReason.SERVER_OWNED, `collection ${collection} is written by the server only`);
}

export function beforeWriteStorageObjects(
  _ctx: nkruntime.Context,
  _logger: nkruntime.Logger,
  _nk: nkruntime.Nakama,
  data: nkruntime.WriteStorageObjectsRequest,
): nkruntime.WriteStorageObjectsRequest {
  const hit = touchesModule(data?.objects);
  if (hit !== null) refuse(hit);
  return data;
}

export function beforeDeleteStorageObjects(
  _ctx: nkruntime.Context,
  _logger: nkruntime.Logger,
  _nk: nkruntime.Nakama,
  data: nkruntime.DeleteStorageObjectsRequest,
): nkruntime.DeleteStorageObjectsRequest {
  const hit = touchesModule(data?.objectIds);
  if (hit !== null) refuse(hit);
  return data;
}
