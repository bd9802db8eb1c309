// Bundles a TypeScript entry point to one ESM file Node runs, npm packages left external. Used by
// run-ts.mjs, and by a benchmark that forks workers: they run from bundles made the same way.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

/** The folder of the package.json nearest above `file`: the package the file belongs to. */
function packageDir(file) {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Bundles `entry` (a path from the project root) and returns the path of the bundle. */
export async function bundleTs(entry) {
  // Inside the entry's own package (bench/ has one), so that the bundle's imports resolve from
  // that package's node_modules and then the project's; one file an entry, so that a bundle
  // forked by another never overwrites it.
  const dir = join(packageDir(resolve(entry)), 'node_modules', '.cache', 'run-ts');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${relative(process.cwd(), resolve(entry)).replace(/\.[^./]+$/, '').replace(/[/\\]/g, '-')}.mjs`);
  await build({ entryPoints: [resolve(entry)], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning', absWorkingDir: process.cwd() });
  return out;
}
