// Bundles src/main.ts into build/index.js, the one file Nakama's JavaScript runtime loads.
// The options follow the server's loading rules: ESM output (so InitModule stays a top-level
// function), target es2020, no minification (registration is found by reading the syntax tree).
//
// The production bundle carries no source map. Nakama answers every RPC error over HTTP with the
// JavaScript stack trace (`error.stackTrace`, which the module cannot turn off); with a source map
// its frames would name the module's source files (`../src/runtime/rpc-util.ts:34:25`), without
// one they name only `index.js` and a line.
//
// `--bench` (npm run build:bench) writes build/bench/index.js from bench/nakama/purchase/main.ts:
// the module of `npm run bench:purchase`, with the benchmark-only RPC no deployed bundle carries.
//
// `--dev` (npm run build:dev) writes build/dev/index.js instead, with the source map inline (a
// linked one is resolved against the server's working directory and fails), for a local server
// whose logs should point at the TypeScript: run it with `--runtime.path build/dev`. Never deploy
// it: its RPC errors tell every client where the source lives.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

const dev = process.argv.includes('--dev');
const bench = process.argv.includes('--bench');
const outdir = dev ? 'build/dev' : bench ? 'build/bench' : 'build';
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: [bench ? 'bench/nakama/purchase/main.ts' : 'src/main.ts'],
  outfile: `${outdir}/index.js`,
  bundle: true,
  format: 'esm',
  target: 'es2020',
  platform: 'neutral',
  minify: false,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(dev ? `built ${outdir}/index.js (DEV: inline source map, stack traces name source files; do not deploy)` : `built ${outdir}/index.js`);
