// Runs a TypeScript entry point (the demo) with Node: esbuild bundles it to an ESM file,
// leaving npm packages external, and the bundle runs with this process's arguments.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const entry = process.argv[2];
// Inside the project, so that the bundle's imports resolve from its node_modules.
mkdirSync('node_modules/.cache/run-ts', { recursive: true });
const out = join('node_modules/.cache/run-ts', 'main.mjs');
await build({ entryPoints: [resolve(entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning', absWorkingDir: process.cwd() });
const r = spawnSync(process.execPath, [out, ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
