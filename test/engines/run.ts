// `npm run test:engines`: the Unity package and the Godot addons against a real Nakama with the
// module, each engine's client talking to it through a TCP fault proxy that this runner cuts,
// black-holes, partitions or heals when the engine's driver asks (HTTP on 127.0.0.1), and a
// server it restarts when asked.
//
// Unity: Mono's mcs compiles nakama-dotnet (NAKAMA_DOTNET_DIR, or /opt/sdk/nakama-dotnet) with
// the package's Runtime/, the quick-start sample and a console driver, and mono runs it.
// Godot 4: a headless Godot 4 (GODOT4_BIN, else godot4 or godot 4.x on PATH) runs the Godot 4
// addon with nakama-godot's Godot 4 line (NAKAMA_GODOT4_DIR, or /opt/sdk/nakama-godot4).
// Godot 3: godot3-server runs the Godot 3 addon with nakama-godot's Godot 3 line
// (NAKAMA_GODOT_DIR, or /opt/sdk/nakama-godot) headless. Both run the same driver and scenarios.
//
// Prints one line per engine: "unity: N passed, N failed", "godot: …" (Godot 3), "godot4: …". Where a
// prerequisite is missing, one line starting "ENGINE TESTS NOT RUN:" names it and that engine
// does not count; a failing check fails the run.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { FaultProxy } from '../../tools/fault-proxy';
import { discover, startServer, type StartedServer } from '../../tools/nakama-server.mjs';
import { checkPackageLayout, checkDocs } from './checks';
import { prepareGodot, prepareGodot4, prepareUnity, type Prepared } from './engines';

type Tally = { passed: string[]; failed: string[] };

const only = process.argv.slice(2);
const wanted = (engine: string) => only.length === 0 || only.includes(engine);

/** Runs a process, streams its output with a prefix, resolves with its exit code and output. */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; prefix: string }): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      out += text;
      for (const line of text.split('\n')) if (line.trim()) process.stdout.write(`${opts.prefix} ${line}\n`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      out += `\nFAIL driver: killed after ${opts.timeoutMs / 1000} s\n`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, out });
    });
  });
}

/** The PASS / FAIL lines a driver printed. */
function tallyOf(out: string): Tally {
  const t: Tally = { passed: [], failed: [] };
  for (const line of out.split('\n')) {
    const m = /^(PASS|FAIL) (.*)$/.exec(line.trim());
    if (m) (m[1] === 'PASS' ? t.passed : t.failed).push(m[2]);
  }
  return t;
}

/**
 * The control endpoint an engine driver calls to hurt its own link, restart the server, or start a
 * second node on the server's database (`/second-node` answers its name and port, as JSON).
 */
async function control(proxy: FaultProxy, restart: () => Promise<void>, secondNode: () => Promise<object>): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let answer = 'ok';
    try {
      switch (url.pathname) {
        case '/cut':
          proxy.cutAll();
          break;
        case '/blackhole':
          proxy.blackhole();
          break;
        case '/partition':
          proxy.partition();
          break;
        case '/heal':
          proxy.heal();
          proxy.setLatency(0);
          break;
        case '/latency':
          proxy.setLatency(Number(url.searchParams.get('ms') ?? 0));
          break;
        case '/restart':
          await restart();
          break;
        case '/second-node':
          answer = JSON.stringify(await secondNode());
          break;
        default:
          res.writeHead(404).end();
          return;
      }
      res.writeHead(200).end(answer);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${addr.port}` };
}

/** One engine: a fresh server, a proxy, the control endpoint, the driver. */
async function runEngine(name: string, bin: string, prepared: Prepared): Promise<Tally> {
  const server = await startServer(bin, { logPrefix: `nakama-${name}` });
  const port = Number(new URL(server.url).port);
  const proxy = await FaultProxy.start({ host: '127.0.0.1', port });
  // Started when a driver first asks: several open-source nodes on one database.
  let second: Promise<StartedServer> | null = null;
  const secondNode = async () => {
    second ??= startServer(bin, { logPrefix: `nakama-${name}-b`, database: server.database });
    const b = await second;
    return { first: server.name, name: b.name, port: Number(new URL(b.url).port) };
  };
  const ctl = await control(proxy, () => server.restart('SIGTERM'), secondNode);
  try {
    console.log(`${name}: server ${server.name} at ${server.url}, log ${server.logFile}`);
    const env = { ...process.env, NAKAMA_HOST: '127.0.0.1', NAKAMA_PORT: String(port), PROXY_PORT: String(proxy.port), CONTROL_URL: ctl.url };
    const r = await run(prepared.command, prepared.args, { env, cwd: prepared.cwd, timeoutMs: 10 * 60_000, prefix: `[${name}]` });
    const t = tallyOf(r.out);
    if (t.passed.length + t.failed.length === 0) t.failed.push(`the driver reported no scenario (exit code ${r.code})`);
    else if (r.code !== 0 && t.failed.length === 0) t.failed.push(`the driver exited with code ${r.code}`);
    // Reconnect tokens are bearer credentials: none may reach the client's output.
    if (/\b[0-9a-f]{64}\b/i.test(r.out)) t.failed.push('a reconnect token appeared in the client output');
    else t.passed.push('no reconnect token in the client output');
    if (t.failed.length) {
      const notable = server.tail(2000).split('\n').filter((l) => /"level":"(warn|error)"/.test(l)).slice(-30);
      console.log(`\n--- warnings and errors of the Nakama log (${server.logFile}) ---\n${notable.join('\n')}\n--- end ---`);
    }
    return t;
  } finally {
    ctl.server.close();
    await proxy.close();
    // Assigned inside secondNode, which the compiler cannot see from here.
    const started = second as Promise<StartedServer> | null;
    await started?.then((b) => b.stop()).catch(() => undefined);
    await server.stop();
  }
}

function merge(into: Tally, from: Tally): void {
  into.passed.push(...from.passed);
  into.failed.push(...from.failed);
}

const found = discover();
let failedAny = false;
const engines: { name: string; prepare: () => Promise<Prepared | { missing: string }> }[] = [
  { name: 'unity', prepare: prepareUnity },
  { name: 'godot', prepare: prepareGodot },
  { name: 'godot4', prepare: prepareGodot4 },
];
for (const engine of engines) {
  if (!wanted(engine.name)) continue;
  const tally: Tally = { passed: [], failed: [] };
  // Checks that need no engine: the package's layout and the guide's snippets.
  merge(tally, checkPackageLayout(engine.name));
  const notRun = (why: string) => {
    console.log(`\nENGINE TESTS NOT RUN: ${engine.name}: ${why}\n`);
    // The layout checks need no engine: they still decide.
    for (const f of tally.failed) console.log(`${engine.name}: FAILED ${f}`);
    if (tally.failed.length) failedAny = true;
  };
  if (found.kind !== 'binary') {
    notRun(`no nakama binary to start (NAKAMA_BIN or PATH)${found.kind === 'external' ? '; a running server (NAKAMA_URL) cannot be restarted by this runner' : ''}.`);
    continue;
  }
  const prepared = await engine.prepare();
  if ('missing' in prepared) {
    notRun(prepared.missing);
    continue;
  }
  for (const note of prepared.notes) console.log(`${engine.name}: ${note}`);
  merge(tally, prepared.checks);
  merge(tally, checkDocs(engine.name, prepared.ranFiles, prepared.parsedFiles));
  merge(tally, await runEngine(engine.name, found.bin, prepared));
  for (const f of tally.failed) console.log(`${engine.name}: FAILED ${f}`);
  console.log(`${engine.name}: ${tally.passed.length} passed, ${tally.failed.length} failed`);
  if (tally.failed.length) failedAny = true;
}
process.exit(failedAny ? 1 : 0);
