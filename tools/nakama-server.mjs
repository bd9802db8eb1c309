// Finds or starts the Nakama server the integration suite and the benchmarks run against.
//
// Order: NAKAMA_URL (a running server, e.g. `docker compose up`); else a nakama binary
// (NAKAMA_BIN or PATH; else the one inside the Dockerfile's pinned heroiclabs/nakama image,
// copied out once with Docker) started here against a fresh PostgreSQL database with the freshly
// built module, free ports and short ping timeouts; else nothing, with the reason why.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

/**
 * The project's root: the folder above this file whose package.json is this package's. Found by
 * name, not by depth, because this file also runs bundled into another folder (scripts/bundle-ts.mjs).
 */
function projectRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'nakama-rejoin') return dir;
    if (dirname(dir) === dir) throw new Error(`no nakama-rejoin package.json above ${fileURLToPath(import.meta.url)}`);
    dir = dirname(dir);
  }
}
const ROOT = projectRoot();

function findOnPath() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'nakama');
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** The server image the Dockerfile builds on (its `FROM heroiclabs/nakama:<version>`). */
function pinnedImage() {
  const m = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').match(/^FROM\s+(heroiclabs\/nakama:\S+)\s*$/m);
  if (!m) throw new Error('Dockerfile names no heroiclabs/nakama image');
  return m[1];
}

function docker(args, opts = {}) {
  return spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000, ...opts });
}

/** The first line of what a failed command said, for a one-line reason. */
function said(r) {
  return r.error ? r.error.message : ((r.stderr || r.stdout || '').trim().split('\n')[0] || `exit ${r.status}`);
}

/**
 * The nakama binary of the pinned image, copied out with `docker create` and `docker cp` into a
 * cache outside the project (one folder per image id, so a re-pulled image is copied again):
 * { bin } or { why }. The image's binary is a Linux one; elsewhere the suite runs in compose.
 */
function binaryFromDocker() {
  const image = pinnedImage();
  if (process.platform !== 'linux') return { why: `the nakama binary in ${image} runs on Linux only; run the suite in a container instead: docker compose --profile test run --rm tests` };
  const version = docker(['version', '--format', '{{.Server.Version}}'], { timeout: 30_000 });
  if (version.error?.code === 'ENOENT') return { why: 'no docker command to take nakama from the pinned image ' + image };
  if (version.status !== 0) return { why: `Docker cannot run here, so no nakama from ${image} (docker version: ${said(version)})` };
  let id = docker(['image', 'inspect', '--format', '{{.Id}}', image]);
  if (id.status !== 0) {
    console.log(`integration harness: pulling ${image} for its nakama binary`);
    const pull = docker(['pull', image], { timeout: 900_000, stdio: ['ignore', 'ignore', 'pipe'] });
    if (pull.status !== 0) return { why: `${image} is not here and cannot be pulled (${said(pull)})` };
    id = docker(['image', 'inspect', '--format', '{{.Id}}', image]);
    if (id.status !== 0) return { why: `${image}: docker image inspect failed (${said(id)})` };
  }
  const cache = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  const dir = join(cache, 'nakama-rejoin', `${image.replace(/[/:]/g, '-')}-${id.stdout.trim().replace(/^sha256:/, '').slice(0, 12)}`);
  const bin = join(dir, 'nakama');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const created = docker(['create', image]);
    if (created.status !== 0) return { why: `docker create ${image} failed (${said(created)})` };
    const container = created.stdout.trim();
    // Copied beside its final name, then renamed: two runs at once never see half a file.
    const part = `${bin}.${process.pid}`;
    const cp = docker(['cp', `${container}:/nakama/nakama`, part], { timeout: 300_000 });
    docker(['rm', container]);
    if (cp.status !== 0) return { why: `docker cp of /nakama/nakama from ${image} failed (${said(cp)})` };
    chmodSync(part, 0o755);
    renameSync(part, bin);
  }
  const runs = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (runs.status !== 0) return { why: `the nakama binary from ${image} (${bin}) does not run here (${said(runs)})` };
  return { bin, image };
}

/** Whether a listener can bind `port` on every interface, as Nakama's listeners do. */
function canListen(port) {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, () => s.close(() => res(true)));
  });
}

/**
 * A TCP port nobody listens on, whose neighbour below is free too (Nakama uses port - 1). Drawn
 * below the kernel's ephemeral range: a port from that range can be taken by any outgoing
 * connection (Nakama's own to PostgreSQL among them) between this check and Nakama's listen.
 */
async function freePortPair() {
  let low = 32_768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // Not Linux: assume the usual range.
  }
  const top = Math.max(12_000, low - 1);
  for (let i = 0; i < 200; i++) {
    const port = 10_001 + Math.floor(Math.random() * (top - 10_001));
    if ((await canListen(port)) && (await canListen(port - 1))) return port;
  }
  throw new Error('no free port pair found');
}

async function waitHealthy(url, ms, isAlive) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (isAlive && !isAlive()) throw new Error('nakama exited during start-up');
    try {
      const r = await fetch(`${url}/healthcheck`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nakama did not answer ${url}/healthcheck within ${ms} ms`);
}

function psql(adminUrl, sql) {
  const r = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr || r.error}`);
}

/**
 * Describes where the server is, or why there is none: { kind: 'external', url } |
 * { kind: 'binary', bin, from } | { kind: 'none', reason }.
 */
export function discover() {
  if (process.env.NAKAMA_URL) return { kind: 'external', url: process.env.NAKAMA_URL.replace(/\/$/, '') };
  if (process.env.NAKAMA_BIN) {
    if (existsSync(process.env.NAKAMA_BIN)) return { kind: 'binary', bin: process.env.NAKAMA_BIN, from: 'NAKAMA_BIN' };
    return { kind: 'none', reason: `NAKAMA_BIN=${process.env.NAKAMA_BIN} does not exist` };
  }
  const onPath = findOnPath();
  if (onPath) return { kind: 'binary', bin: onPath, from: 'PATH' };
  const fromDocker = binaryFromDocker();
  if (fromDocker.bin) return { kind: 'binary', bin: fromDocker.bin, from: `the Docker image ${fromDocker.image}` };
  return {
    kind: 'none',
    reason:
      `no NAKAMA_URL, no nakama binary (NAKAMA_BIN or PATH), and ${fromDocker.why}. ` +
      'Run `docker compose up` and set NAKAMA_URL=http://127.0.0.1:7350, or put a Nakama 3.26 binary on PATH with PostgreSQL reachable at DATABASE_URL',
  };
}

/**
 * Starts a nakama binary in a fresh database, with the built module (or `moduleFile`). Returns a handle with url, logFile, restart(signal)
 * and stop(); stop() removes the process, its ports and the database.
 */
export async function startServer(bin, { extraArgs = [], logPrefix = 'nakama', moduleFile = join(ROOT, 'build', 'index.js'), database = null, databaseHostPort = null } = {}) {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new URL(adminUrl);
  // `database`: join another node's database (several nodes, one database) and leave it in place.
  const ownsDatabase = database === null;
  const db = database ?? `rejoin_it_${randomBytes(4).toString('hex')}`;
  // `databaseHostPort`: reach PostgreSQL through something in between (a fault proxy).
  const hostPort = databaseHostPort ?? `${admin.hostname}:${admin.port || 5432}`;
  const cred = admin.username ? `${decodeURIComponent(admin.username)}${admin.password ? ':' + decodeURIComponent(admin.password) : ''}@` : '';
  // sslmode=disable: the local server speaks no TLS, and a refused TLS attempt per new pooled
  // connection slows every burst of new connections.
  const address = `${cred}${hostPort}/${db}?sslmode=disable`;
  const work = mkdtempSync(join(tmpdir(), `${logPrefix}-`));
  const modules = join(work, 'modules');
  mkdirSync(modules);
  copyFileSync(moduleFile, join(modules, 'index.js'));
  const logFile = join(work, 'server.log');
  // The server writes its log straight to the file: piped through this process, every log line
  // would wake the event loop that the tests and benchmarks time their clients on.
  const log = openSync(logFile, 'a');
  const port = await freePortPair();
  const consolePort = await freePortPair();
  const name = `it${randomBytes(3).toString('hex')}`;

  // Straight to PostgreSQL: a proxy in this process could not forward while spawnSync blocks it.
  const directAddress = `${cred}${admin.hostname}:${admin.port || 5432}/${db}?sslmode=disable`;
  const migrate = spawnSync(bin, ['migrate', 'up', '--database.address', directAddress], { encoding: 'utf8' });
  if (migrate.status !== 0) throw new Error(`nakama migrate failed: ${migrate.stderr}${migrate.stdout}`);

  const args = [
    '--config', join(ROOT, 'local.yml'),
    '--config', join(ROOT, 'test', 'nakama-test.yml'),
    '--name', name,
    '--data_dir', join(work, 'data'),
    '--database.address', address,
    '--runtime.path', modules,
    '--socket.port', String(port),
    '--console.port', String(consolePort),
    // Dead sockets noticed in about 3 s instead of 40.
    '--socket.ping_period_ms', '1000',
    '--socket.pong_wait_ms', '2000',
    // Matchmaker rounds every second instead of every 15.
    '--matchmaker.interval_sec', '1',
    ...extraArgs,
  ];
  let child = null;
  let exited = false;
  const launch = async () => {
    exited = false;
    child = spawn(bin, args, { cwd: work, stdio: ['ignore', log, log] });
    child.once('exit', () => {
      exited = true;
    });
    await waitHealthy(`http://127.0.0.1:${port}`, 30_000, () => !exited);
  };
  const halt = async (signal) => {
    if (!child || exited) return;
    const done = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await done;
    clearTimeout(timer);
  };
  /** Stops the server and removes what it was given: nothing is left behind. */
  let tornDown = false;
  const teardown = async (signal) => {
    if (tornDown) return;
    tornDown = true;
    await halt(signal);
    closeSync(log);
    if (ownsDatabase) {
      try {
        psql(adminUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      } catch (e) {
        console.error(`could not drop database ${db}: ${e.message}`);
      }
    }
    rmSync(modules, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (err) {
    await teardown('SIGKILL');
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`${err.message}; last lines of ${logFile}:\n${tail}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    logFile,
    name,
    /** The database's name, for more nodes to join it. */
    database: db,
    /** The database's own URL, for benchmarks that read PostgreSQL's statistics. */
    databaseUrl: `postgres://${cred}${hostPort}/${db}?sslmode=disable`,
    /** Process id of the running server, for benchmarks that read its CPU and memory. */
    get pid() {
      return child?.pid ?? null;
    },
    /** Stops the process as a crash or an operator would, keeping its database and files. */
    async kill(signal = 'SIGKILL') {
      await halt(signal);
    },
    async restart(signal = 'SIGTERM') {
      await halt(signal);
      await launch();
    },
    stop() {
      return teardown('SIGTERM');
    },
    tail(lines = 200) {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}
