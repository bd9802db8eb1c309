// Runs a TypeScript entry point (a benchmark, the demo) with Node: bundled by bundle-ts.mjs, the
// bundle runs with this process's arguments.
import { spawnSync } from 'node:child_process';
import { bundleTs } from './bundle-ts.mjs';

const out = await bundleTs(process.argv[2]);
const r = spawnSync(process.execPath, [out, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
