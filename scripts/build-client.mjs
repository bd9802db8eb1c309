// Builds the client library to dist/client: ESM (index.mjs), CommonJS (index.cjs) and type
// declarations (index.d.ts and index.d.cts, re-exporting types/). nakama-js stays external: the app brings its
// own (a peer dependency). The wire contract (src/protocol.ts) is bundled in, one source of truth.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/client', { recursive: true, force: true });
const common = { entryPoints: ['client/index.ts'], bundle: true, platform: 'neutral', target: 'es2020', external: ['@heroiclabs/nakama-js'], sourcemap: true, logLevel: 'warning' };
await build({ ...common, format: 'esm', outfile: 'dist/client/index.mjs' });
await build({ ...common, format: 'cjs', outfile: 'dist/client/index.cjs' });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'client/tsconfig.json'], { stdio: 'inherit' });
// Entry points for both resolutions: index.d.ts (import) and index.d.cts (require).
writeFileSync('dist/client/index.d.ts', "export * from './types/client/index.js';\n");
writeFileSync('dist/client/index.d.cts', "export * from './types/client/index.js';\n");
console.log('built dist/client (index.mjs, index.cjs, index.d.ts)');
