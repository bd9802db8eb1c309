// The soak's servers: NODES Nakama nodes on one PostgreSQL database, each reaching the database
// through a fault proxy of its own (so its link can be partitioned), started by the integration
// harness. Also what the checks read from them: the operator RPCs, the storage table, memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FaultProxy } from '../../tools/fault-proxy';
import { startServer, type StartedServer } from '../../tools/nakama-server.mjs';
import type { StorageRow } from './checker';

export interface SoakNode {
  index: number;
  server: StartedServer;
  name: string;
  port: number;
  db: FaultProxy;
  /** False while it is stopped or restarting: players are routed elsewhere. */
  up: boolean;
}

const HTTP_KEY = process.env.NAKAMA_HTTP_KEY ?? 'defaulthttpkey';

export async function startCluster(bin: string, count: number, env: Record<string, string>, args: string[]): Promise<SoakNode[]> {
  const admin = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const extraArgs = [...Object.entries(env).flatMap(([k, v]) => ['--runtime.env', `${k}=${v}`]), ...args];
  const nodes: SoakNode[] = [];
  for (let i = 0; i < count; i++) {
    const db = await FaultProxy.start({ host: admin.hostname, port: Number(admin.port || 5432) });
    const server = await startServer(bin, { extraArgs, logPrefix: `soak-node${i}`, databaseHostPort: `127.0.0.1:${db.port}`, database: i === 0 ? null : nodes[0].server.database });
    nodes.push({ index: i, server, name: server.name, port: Number(new URL(server.url).port), db, up: true });
  }
  return nodes;
}

export async function stopCluster(nodes: readonly SoakNode[]): Promise<void> {
  // The first node owns the database: it goes last, and drops it.
  for (const n of [...nodes].reverse()) {
    n.db.heal();
    await n.server.stop();
    await n.db.close();
  }
}

/** The nodes' database, straight to PostgreSQL (never through a node's proxy). */
export function directDatabaseUrl(nodes: readonly SoakNode[]): string {
  const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = `/${nodes[0].server.database}`;
  return u.toString();
}

/** One query, run without blocking this process (its proxies must keep forwarding); rows as printed. */
export function psql(url: string, query: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', query]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`psql: ${err}`))));
  });
}

export async function moduleStorage(url: string): Promise<StorageRow[]> {
  const text = await psql(url, "SELECT json_build_object('collection', collection, 'key', key, 'value', value::json) FROM storage WHERE collection IN ('rejoin_checkpoint', 'rejoin_restore', 'rejoin_seat')");
  return text ? text.split('\n').map((l) => JSON.parse(l) as StorageRow) : [];
}

/** An operator RPC (server to server, http key), on one node. */
export async function adminRpc<T = unknown>(node: SoakNode, id: string, body: object): Promise<{ status: number; body: T }> {
  const r = await fetch(`${node.server.url}/v2/rpc/${id}?http_key=${encodeURIComponent(HTTP_KEY)}&unwrap`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // kept as text
  }
  return { status: r.status, body: parsed as T };
}

/** Sweeps until the cursor runs out; answers the totals. */
export async function sweep(node: SoakNode): Promise<{ scanned: number; checkpointsRemoved: number; restoresRemoved: number }> {
  const total = { scanned: 0, checkpointsRemoved: 0, restoresRemoved: 0 };
  let cursor: string | null | undefined;
  do {
    const r = await adminRpc<{ scanned: number; checkpointsRemoved: number; restoresRemoved: number; cursor: string | null }>(node, 'rejoin_admin_sweep', cursor ? { cursor } : {});
    if (r.status !== 200) throw new Error(`rejoin_admin_sweep answered ${r.status}: ${JSON.stringify(r.body)}`);
    total.scanned += r.body.scanned;
    total.checkpointsRemoved += r.body.checkpointsRemoved;
    total.restoresRemoved += r.body.restoresRemoved;
    cursor = r.body.cursor;
  } while (cursor);
  return total;
}

/** Resident memory of a running node, MiB (NaN when it is not running). */
export function rssMiB(node: SoakNode): number {
  const pid = node.server.pid;
  if (!pid) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The node a match id names (`<uuid>.<node>`). */
export function nodeOf(matchId: string | null | undefined): string | null {
  if (!matchId) return null;
  const dot = matchId.indexOf('.');
  return dot < 0 ? null : matchId.slice(dot + 1);
}
