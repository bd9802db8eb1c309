// What every benchmark shares: percentiles, a description of the machine, the server to measure,
// and the results written as JSON and drawn as a PNG (Vega-Lite rendered to SVG, then sharp).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import sharp from 'sharp';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { discover, startServer } from '../../tools/nakama-server.mjs';

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim() || 100);

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}

/**
 * The server's own CPU profile over `seconds` (Nakama serves Go's pprof on its console port, behind
 * the console's login): where the server spends the time, the JavaScript engine included. Written
 * to `file`; read it with `go tool pprof -top <file>`.
 */
export async function goProfile(logFile, seconds, file) {
  const port = /"Starting Console server gateway for HTTP requests","port":(\d+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
  if (!port) return;
  const r = await fetch(`http://127.0.0.1:${port}/debug/pprof/profile?seconds=${seconds}`, { headers: { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` } });
  if (r.ok) writeFileSync(file, Buffer.from(await r.arrayBuffer()));
}

/** The number one query prints, or NaN when none can be had (under full load Nakama's pool may hold every connection). */
export function dbNumber(databaseUrl, query) {
  const r = spawnSync('psql', [databaseUrl, '-Atc', query], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? Number(r.stdout.trim()) : Number.NaN;
}

/**
 * Bytes of write-ahead log PostgreSQL has written so far: every row Nakama writes shows here at
 * once (its statistics views lag by up to seconds). The server is this machine's own.
 */
export function walBytes(databaseUrl) {
  return dbNumber(databaseUrl, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')");
}

/**
 * Rows inserted or updated in Nakama's storage table so far (PostgreSQL's statistics, flushed
 * about once a second): storage upserts, counted over a window.
 */
export function storageUpserts(databaseUrl) {
  return dbNumber(databaseUrl, "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables WHERE relname = 'storage'");
}

/** Nearest-rank percentile of an ascending array. */
export function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** n, mean and the percentiles quoted everywhere, in the samples' unit. */
export function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { n: s.length, mean, min: s[0], p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1] };
}

export function machine(bin = null) {
  const cpus = os.cpus();
  const nakama = bin ? spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim() : null;
  const pg = spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? null;
  return { cpu: `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}`, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, nakama, postgres: pg };
}

/**
 * The server to measure: a nakama binary started here (fresh database, this module, `env` added
 * to runtime.env, `args` after the harness's own flags so they win), or the one at NAKAMA_URL when
 * `external` is allowed. Exits when there is none.
 */
export async function benchServer({ env = {}, args = [], external = true, logPrefix = 'bench', moduleFile } = {}) {
  const found = discover();
  if (found.kind === 'external' && external) return { url: found.url, bin: null, server: null, stop: async () => {} };
  if (found.kind !== 'binary') {
    console.log(`BENCHMARK NOT RUN: ${found.kind === 'none' ? found.reason : 'this benchmark starts its own server: set NAKAMA_BIN or put nakama on PATH (NAKAMA_URL is not enough)'}.`);
    process.exit(1);
  }
  const extraArgs = [...Object.entries(env).flatMap(([k, v]) => ['--runtime.env', `${k}=${v}`]), ...args];
  const server = await startServer(found.bin, { extraArgs, logPrefix, ...(moduleFile ? { moduleFile } : {}) });
  return { url: server.url, bin: found.bin, server, stop: () => server.stop() };
}

async function png(spec, file) {
  const compiled = vl.compile(spec).spec;
  const svg = await new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG(2);
  await sharp(Buffer.from(svg)).png().toFile(file);
}

/**
 * Writes bench/results/<name>-<time>.json and, for a Vega-Lite `chart`, the .png beside it.
 * Returns the paths written.
 */
export async function writeResults(name, data, chart = null) {
  mkdirSync('bench/results', { recursive: true });
  const base = `bench/results/${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  writeFileSync(`${base}.json`, JSON.stringify(data, null, 2));
  const out = [`${base}.json`];
  if (chart !== null) {
    await png({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white', ...chart }, `${base}.png`);
    out.push(`${base}.png`);
  }
  for (const f of out) console.log(`wrote ${f}`);
  return out;
}

/** A fixed-width text table: `cols` are [header, (row) => string] pairs. */
export function table(rows, cols) {
  const cells = [cols.map(([h]) => h), ...rows.map((r) => cols.map(([, f]) => String(f(r))))];
  const widths = cols.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ')).join('\n');
}
