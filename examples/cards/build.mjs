// Bundles src/main.ts, with nakama-rejoin inside it, into build/index.js: the one file Nakama's
// JavaScript runtime loads. ESM output keeps InitModule a top-level function; no minification,
// because the server finds the register calls by reading the syntax tree.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'build/index.js',
  bundle: true,
  format: 'esm',
  target: 'es2020',
  platform: 'neutral',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('built build/index.js');
