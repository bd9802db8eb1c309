// Checks what docker-compose.yml gives a tester, for real: builds the images, brings up
// PostgreSQL, Nakama with this module and Prometheus, waits for health, logs a device in, finds a
// match with match_find and sits in it over a socket, reads a module metric back from Prometheus,
// stops Nakama gracefully and finds the match's shutdown checkpoint in its log, then runs the
// integration suite in its container (`--profile test run --rm tests`; a failed run is run once
// more, and the check fails if that one fails too) and checks that the runs left the checkout as
// it was. Removes the containers, network and volumes it made.
//
//   node scripts/compose-check.mjs
//
// Uses `docker compose` (v2) when the docker CLI has it, else `docker-compose` (v1); COMPOSE
// overrides ("docker-compose"). Images the files name that are not here are pulled; where they
// cannot be, STANDIN_IMAGES may name a script that builds local stand-ins with the same tags
// (run once, with NAKAMA_BIN set from PATH when unset). Where Docker cannot run or the images cannot
// be had it prints one line starting "COMPOSE CHECK NOT RUN:" and exits 0; a failed step exits 1.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
process.chdir(ROOT);
const PROJECT = 'rejoin-compose-check';
const SERVER_KEY = 'defaultkey';
const MODE = 'casual';

function notRun(why) {
  console.log(`\nCOMPOSE CHECK NOT RUN: ${why}\n`);
  process.exit(0);
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', ...opts });
}

function said(r) {
  return r.error ? r.error.message : (r.stderr || r.stdout || '').trim().split('\n').slice(-1)[0] || `exit ${r.status}`;
}

const t0 = Date.now();
const timings = [];
async function step(name, fn) {
  const start = Date.now();
  console.log(`\ncompose check: ${name}`);
  const out = await fn();
  const sec = (Date.now() - start) / 1000;
  timings.push(`${name}: ${sec.toFixed(1)} s`);
  console.log(`compose check: ${name}: ok (${sec.toFixed(1)} s)`);
  return out;
}

// --- Docker and Compose ------------------------------------------------------------------------
const engine = run('docker', ['version', '--format', '{{.Server.Version}}'], { timeout: 30_000 });
if (engine.error?.code === 'ENOENT') notRun('no docker command');
if (engine.status !== 0) notRun(`the Docker engine does not answer (${said(engine)})`);

function composeCommand() {
  if (process.env.COMPOSE) return process.env.COMPOSE.split(/\s+/);
  if (run('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (run('docker-compose', ['version']).status === 0) return ['docker-compose'];
  return null;
}
const composeCmd = composeCommand();
if (!composeCmd) notRun('neither `docker compose` (v2) nor `docker-compose` (v1) is installed');
const composeVersion = run(composeCmd[0], [...composeCmd.slice(1), 'version', '--short']).stdout.trim();

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}
const ports = {
  REJOIN_GRPC_PORT: await freePort(),
  REJOIN_HTTP_PORT: await freePort(),
  REJOIN_CONSOLE_PORT: await freePort(),
  REJOIN_PROMETHEUS_PORT: await freePort(),
  REJOIN_GRAFANA_PORT: await freePort(),
};
const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), COMPOSE_PROJECT_NAME: PROJECT };
// Without buildx the docker CLI and Compose v2 can only use the classic builder.
if (run('docker', ['buildx', 'version']).status !== 0) env.DOCKER_BUILDKIT = '0';
const httpUrl = `http://127.0.0.1:${ports.REJOIN_HTTP_PORT}`;
const promUrl = `http://127.0.0.1:${ports.REJOIN_PROMETHEUS_PORT}`;

/** Runs Compose with the project's settings; output shown unless `quiet`. Throws on failure. */
function compose(args, { quiet = false, timeout = 600_000 } = {}) {
  const r = run(composeCmd[0], [...composeCmd.slice(1), '--profile', 'test', ...args], { env, timeout, stdio: quiet ? 'pipe' : 'inherit' });
  if (r.status !== 0) throw new Error(`${composeCmd.join(' ')} ${args.join(' ')} failed: ${r.error?.message ?? `exit ${r.status}`}${quiet ? `\n${r.stderr}` : ''}`);
  return r.stdout ?? '';
}

// --- Images ------------------------------------------------------------------------------------
/** Every image the Dockerfile builds from and the started services run (not Grafana's). */
function upstreamImages() {
  const fromDockerfile = [...readFileSync('Dockerfile', 'utf8').matchAll(/^(?:FROM|COPY --from=)\s*(\S+:\S+)/gm)].map((m) => m[1]);
  const fromCompose = [...readFileSync('docker-compose.yml', 'utf8').matchAll(/^ {4}image: (\S+)$/gm)].map((m) => m[1]).filter((i) => /^(postgres|prom\/prometheus):/.test(i));
  return [...new Set([...fromDockerfile, ...fromCompose])];
}
const present = (img) => run('docker', ['image', 'inspect', img]).status === 0;
function missingImages() {
  return upstreamImages().filter((img) => !present(img) && run('docker', ['pull', img], { timeout: 600_000 }).status !== 0);
}
let missing = missingImages();
if (missing.length && process.env.STANDIN_IMAGES) {
  console.log(`compose check: ${missing.join(', ')} cannot be pulled; building stand-ins with ${process.env.STANDIN_IMAGES}`);
  const nakamaBin = process.env.NAKAMA_BIN || run('sh', ['-c', 'command -v nakama']).stdout.trim();
  const r = run(process.env.STANDIN_IMAGES, [], { env: { ...process.env, NAKAMA_BIN: nakamaBin }, stdio: 'inherit', timeout: 1_800_000 });
  if (r.status !== 0) console.log(`compose check: the stand-in script failed (exit ${r.status})`);
  missing = missingImages();
}
if (missing.length) notRun(`the images ${missing.join(', ')} are not here and cannot be pulled${process.env.STANDIN_IMAGES ? ' or stood in for' : ' (STANDIN_IMAGES names no script to build stand-ins)'}`);
const standins = upstreamImages().filter((img) => run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "standin.local"}}', img]).stdout.trim() !== '');

// --- The check ---------------------------------------------------------------------------------
async function until(what, ms, probe) {
  const end = Date.now() + ms;
  let last = null;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not within ${ms / 1000} s${last ? ` (${last.message})` : ''}`);
}

async function postJson(path, body, auth) {
  const r = await fetch(`${httpUrl}${path}`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`POST ${path}: HTTP ${r.status} ${text}`);
  return JSON.parse(text);
}

async function promValue(query) {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = await r.json();
  if (body.status !== 'success') throw new Error(`Prometheus: ${JSON.stringify(body)}`);
  return body.data.result.length ? Number(body.data.result[0].value[1]) : null;
}

/** A socket to the composed server, sitting in `matchId`. */
async function joinMatch(token, matchId) {
  const ws = new WebSocket(`${httpUrl.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}&format=json`);
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  const answer = new Promise((res, rej) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.cid === '1') (msg.match ? res(msg.match) : rej(new Error(`match_join: ${JSON.stringify(msg.error ?? msg)}`)));
    });
    setTimeout(() => rej(new Error('match_join: no answer in 10 s')), 10_000);
  });
  ws.send(JSON.stringify({ cid: '1', match_join: { match_id: matchId, metadata: {} } }));
  const match = await answer;
  return { ws, match };
}

/** Every path of the checkout (git's own data aside). */
function checkoutPaths() {
  return new Set(run('find', ['.', '-path', './.git', '-prune', '-o', '-print'], { maxBuffer: 256 * 1024 * 1024 }).stdout.split('\n').filter(Boolean));
}

/**
 * What a run left in the checkout: paths that appeared or went away, and files written since
 * `stamp` where installs and builds write (dist/, build/, node_modules, the examples' outputs).
 * Sources edited meanwhile are not counted.
 */
function leftBehind(before, stamp) {
  const after = checkoutPaths();
  const appeared = [...after].filter((p) => !before.has(p));
  const gone = [...before].filter((p) => !after.has(p)).map((p) => `${p} (removed)`);
  const outputs = ['./dist', './build', './node_modules', ...run('sh', ['-c', 'ls -d ./examples/*/build ./examples/*/vendor ./examples/*/node_modules ./bench/node_modules 2>/dev/null']).stdout.split('\n').filter(Boolean)];
  const existing = outputs.filter((p) => after.has(p));
  const written = existing.length ? run('find', [...existing, '-newer', stamp, '-print'], { maxBuffer: 256 * 1024 * 1024 }).stdout.split('\n').filter(Boolean) : [];
  return [...appeared, ...gone, ...written];
}

let socket = null;
let failed = null;
const stampDir = mkdtempSync(join(tmpdir(), 'compose-check-'));
/** Removes the project's containers, network and volumes: what this check made, or an interrupted one left. */
const down = () => run(composeCmd[0], [...composeCmd.slice(1), '--profile', 'test', 'down', '--volumes', '--remove-orphans', '--timeout', '30'], { env, stdio: 'ignore', timeout: 180_000 });
const cleanup = () => {
  socket?.terminate();
  down();
  rmSync(stampDir, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

console.log(`compose check: ${composeCmd.join(' ')} ${composeVersion}, Docker engine ${engine.stdout.trim()}, project ${PROJECT}, ports ${JSON.stringify(ports)}`);
if (standins.length) console.log(`compose check: LOCAL STAND-INS (not the upstream images) for ${standins.join(', ')}`);
try {
  down();
  await step('build (nakama and tests images)', () => compose(['build'], { timeout: 1_800_000 }));
  await step('up -d postgres nakama prometheus', () => compose(['up', '-d', 'postgres', 'nakama', 'prometheus'], { timeout: 300_000 }));
  await step('Nakama healthy', () => until('GET /healthcheck', 120_000, async () => (await fetch(`${httpUrl}/healthcheck`)).ok));
  await step('Prometheus scrapes the node', () => until('up{job="nakama"} == 1', 60_000, async () => (await promValue('up{job="nakama"}')) === 1));
  const token = await step('device login', async () => {
    const session = await postJson('/v2/account/authenticate/device?create=true', { id: `compose-check-${randomBytes(8).toString('hex')}` }, `Basic ${Buffer.from(`${SERVER_KEY}:`).toString('base64')}`);
    if (typeof session.token !== 'string') throw new Error('no session token');
    return session.token;
  });
  const found = await step(`match_find {"mode":"${MODE}"}`, async () => {
    const answer = await postJson('/v2/rpc/match_find', JSON.stringify({ mode: MODE }), `Bearer ${token}`);
    const payload = JSON.parse(answer.payload);
    if (typeof payload.matchId !== 'string' || !payload.matchId) throw new Error(`match_find answered ${answer.payload}`);
    return payload;
  });
  console.log(`compose check: match ${found.matchId} (created: ${found.created})`);
  const joinedAt = await step('join the match over a socket', async () => {
    socket = (await joinMatch(token, found.matchId)).ws;
    return Date.now();
  });
  const metric = `sum(nakama_custom_rejoin_joins_total{mode="${MODE}"})`;
  await step(`the join counted in Prometheus: ${metric} >= 1`, async () => {
    const value = await until(metric, 30_000, async () => {
      const v = await promValue(metric);
      return v !== null && v >= 1 ? v : null;
    });
    console.log(`compose check: ${metric} = ${value}, ${((Date.now() - joinedAt) / 1000).toFixed(1)} s after the join`);
  });
  await step('graceful stop of nakama: the match writes its shutdown checkpoint', () => {
    const id = compose(['ps', '-q', 'nakama'], { quiet: true }).trim();
    compose(['stop', 'nakama'], { timeout: 120_000 });
    const exit = run('docker', ['inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', id]).stdout.trim();
    const logs = compose(['logs', '--no-color', 'nakama'], { quiet: true });
    const line = logs.split('\n').find((l) => l.includes('arena match checkpointed for shutdown') && l.includes(found.matchId.split('.')[0]));
    if (!line) throw new Error(`no shutdown checkpoint of ${found.matchId} in the log; its last lines:\n${logs.split('\n').slice(-30).join('\n')}`);
    if (exit.split(' ')[0] !== '0') throw new Error(`nakama exited with ${exit} (not a graceful stop)`);
    console.log(`compose check: ${line.replace(/^.*?\|\s*/, '').slice(0, 240)}`);
  });
  socket?.terminate();
  socket = null;
  const stamp = join(stampDir, 'stamp');
  writeFileSync(stamp, '');
  const paths = checkoutPaths();
  await step('--profile test run --rm tests (the integration suite in its container)', async () => {
    try {
      return await compose(['run', '--rm', 'tests'], { timeout: 3_600_000 });
    } catch (e) {
      // The suite's servers close a socket that misses one pong for 2 s; a container on a busy
      // two-core machine has missed one (matchmaker test, both players' sockets at once). One
      // more run tells such a stall from a failure: a failure fails both.
      console.log(`compose check: the suite failed in its container (${e instanceof Error ? e.message : String(e)}); running it once more`);
      return compose(['run', '--rm', 'tests'], { timeout: 3_600_000 });
    }
  });
  await step('the checkout is as the tests run found it', () => {
    const changed = leftBehind(paths, stamp);
    if (changed.length) throw new Error(`the tests run changed the checkout: ${changed.slice(0, 20).join(', ')}`);
  });
} catch (e) {
  failed = e;
} finally {
  cleanup();
}
console.log(`\ncompose check: ${timings.join('; ')}; total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (failed) {
  console.log(`\nCOMPOSE CHECK FAILED: ${failed.message}\n`);
  process.exit(1);
}
console.log(`\nCOMPOSE CHECK PASSED (${composeCmd.join(' ')} ${composeVersion}${standins.length ? `; local stand-ins for ${standins.join(', ')}` : ''})\n`);
