// Builds the command line, dist/cli/nakama-rejoin.cjs (CommonJS, as the YAML parser is): one file with the module's own start-up
// checks and the YAML parser bundled in, so `npx nakama-rejoin` needs nothing else installed.
import { build } from 'esbuild';

await build({
  entryPoints: ['cli/nakama-rejoin.ts'],
  outfile: 'dist/cli/nakama-rejoin.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
console.log('built dist/cli/nakama-rejoin.cjs');
