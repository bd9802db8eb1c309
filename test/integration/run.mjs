// Entry point of the integration suite: finds or starts a real Nakama, runs the vitest project
// "integration" against it, and cleans up whatever it started, also when a test fails or the
// run is interrupted.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { discover, startServer } from '../../tools/nakama-server.mjs';

const found = discover();
if (found.kind === 'none') {
  console.log(`\nINTEGRATION SUITE NOT RUN: ${found.reason}.\n`);
  process.exit(0);
}

let server = null;
let control = null;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  control?.close();
  if (server) await server.stop();
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanup();
    process.exit(130);
  });
}

const env = { ...process.env };
if (found.kind === 'external') {
  console.log(`integration suite: against the running server at ${found.url}`);
  console.log(
    'integration suite: SKIPPING the tests that restart the server or need 2 s login tokens (graceful and hard restarts, ' +
      'login expiry during a drop): they need a server the suite starts itself (a nakama binary via NAKAMA_BIN or PATH)',
  );
  env.NAKAMA_URL = found.url;
} else {
  console.log(`integration suite: starting ${found.bin} (from ${found.from}) in a fresh database`);
  server = await startServer(found.bin);
  env.NAKAMA_URL = server.url;
  env.NAKAMA_LOG_FILE = server.logFile;
  env.NAKAMA_DATABASE_URL = server.databaseUrl;
  // Lets tests start more nodes of their own (several nodes on one database).
  env.NAKAMA_BIN_FOUND = found.bin;
  // Lets tests restart the server they run against (graceful or hard), on the same ports and data.
  control = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'POST' || url.pathname !== '/restart') {
      res.writeHead(404).end();
      return;
    }
    const signal = url.searchParams.get('signal') === 'KILL' ? 'SIGKILL' : 'SIGTERM';
    try {
      await server.restart(signal);
      res.writeHead(200).end('restarted');
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise((r) => control.listen(0, '127.0.0.1', r));
  env.NAKAMA_CONTROL_URL = `http://127.0.0.1:${control.address().port}`;
  console.log(`integration suite: server ${server.name} at ${server.url}, log ${server.logFile}`);
}

const args = ['vitest', 'run', '--project', 'integration', ...process.argv.slice(2)];
const code = await new Promise((resolve) => {
  const child = spawn('npx', args, { stdio: 'inherit', env });
  child.on('exit', (c) => resolve(c ?? 1));
});
if (code !== 0 && server) {
  console.log(`\n--- last lines of the Nakama log (${server.logFile}) ---\n${server.tail(200)}\n--- end of Nakama log ---`);
}
await cleanup();
process.exit(code);
