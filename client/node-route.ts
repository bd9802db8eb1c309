// Several open-source Nakama nodes on one database: a match lives on one node, and only that
// node takes joins for it. session_resume on another node answers `elsewhere` with the owner's
// name; a resolver the app gives turns that name into an address the client can reach.
import { Client } from '@heroiclabs/nakama-js';

/** Where a server node listens, as a nakama-js Client is configured. */
export interface NodeAddress {
  host: string;
  port: number | string;
  /** https and wss (default false). */
  useSSL?: boolean;
}

/** The node name of an `elsewhere` answer (its `--name`) to its address; null: not reachable by name. */
export type NodeResolver = (node: string) => NodeAddress | null | undefined;

/** The client the match's socket and RPCs use: the app's own (home), or a node's. */
export interface Route {
  /** null: the app's own client (a node, or a load balancer). */
  node: string | null;
  client: Client;
}

/**
 * A nakama-js Client for `address` with the app's server key and timeout. A login is valid on
 * every node that shares the database and the session key, so the same Session works there.
 */
export function nodeClient(home: Client, address: NodeAddress): Client {
  return new Client(home.serverkey, address.host, String(address.port), address.useSSL ?? false, home.timeout, home.autoRefreshSession);
}

/** A route to `node` through the resolver, or null when there is none (no resolver, unknown node, bad answer). */
export function routeTo(node: string, resolver: NodeResolver | undefined, make: (address: NodeAddress) => Client): Route | null {
  if (!resolver || !node) return null;
  const address = resolver(node);
  if (!address || typeof address.host !== 'string' || !address.host || address.port === undefined || address.port === null || address.port === '') return null;
  return { node, client: make(address) };
}
