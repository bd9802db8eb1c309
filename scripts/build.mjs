// Bundles src/main.ts into build/index.js, the one file Nakama's JavaScript runtime loads.
// The options follow the server's loading rules: ESM output (so InitModule stays a top-level
// function), target es2020, no minification (registration is found by reading the syntax
// tree), and an inline source map (a linked one is resolved against the server's cwd and fails).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

mkdirSync('build', { recursive: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'build/index.js',
  bundle: true,
  format: 'esm',
  target: 'es2020',
  platform: 'neutral',
  minify: false,
  sourcemap: 'inline',
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('built build/index.js');
