// Bundles a TypeScript entry point to one ESM file Node runs, npm packages left external. Used by
// run-ts.mjs, and by a benchmark that forks workers: they run from bundles made the same way.
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

/** Bundles `entry` (a path from the project root) and returns the path of the bundle. */
export async function bundleTs(entry) {
  // Inside the project, so that the bundle's imports resolve from its node_modules; one file an
  // entry, so that a bundle forked by another never overwrites it.
  const dir = 'node_modules/.cache/run-ts';
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${relative(process.cwd(), resolve(entry)).replace(/\.[^./]+$/, '').replace(/[/\\]/g, '-')}.mjs`);
  await build({ entryPoints: [resolve(entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning', absWorkingDir: process.cwd() });
  return out;
}
