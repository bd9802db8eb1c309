// Several open-source Nakama nodes on one database: a match lives on one node, and only that
// node takes joins for it. session_resume on another node answers `elsewhere` with the owner's
// name; a resolver the app gives turns that name into an address the client can reach.
import { Client } from '@heroiclabs/nakama-js';
import type { ResumeAnswer } from '../src/protocol.js';
import { reasonOf } from './errors.js';

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

/** How many `elsewhere` answers in a row to follow (the match may move once more meanwhile). */
const MAX_NODE_HOPS = 2;

/**
 * session_resume where the match was last found (`from`: the node followed last, or null for the
 * app's own client), following an `elsewhere` answer to the node it names when `route` knows it.
 * Returns the answer and the route it came from: the match's socket goes there.
 */
export async function resumeAcrossNodes(
  ask: (client: Client | undefined) => Promise<ResumeAnswer>,
  from: Route | null,
  route: (node: string) => Route | null,
  log: (message: string, fields: Record<string, unknown>) => void,
): Promise<{ answer: ResumeAnswer; route: Route | null }> {
  let answer = await ask(from?.client);
  let at = from;
  for (let hop = 0; answer.status === 'elsewhere' && hop < MAX_NODE_HOPS; hop++) {
    const next = route(answer.node);
    if (!next || next.node === at?.node) break;
    log('following the match to its node', { matchId: answer.matchId, node: answer.node });
    try {
      answer = await ask(next.client);
    } catch (err) {
      // Not reachable from here (or gone: then the match is restored once its lease runs out).
      log('node did not answer', { node: next.node, reason: reasonOf(err) });
      break;
    }
    at = next;
  }
  return { answer, route: at };
}
