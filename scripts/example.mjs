// Builds an example game exactly as a studio builds its own module: packs this package with
// `npm pack` (what a registry would serve), installs that tarball into examples/<name> with the
// example's own dependencies, then typechecks and bundles the example with its own esbuild.
//
//   node scripts/example.mjs cards      # → examples/cards/build/index.js
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
if (!name) throw new Error('usage: node scripts/example.mjs <example>');
const dir = join('examples', name);
const vendor = join(dir, 'vendor');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args, cwd) => execFileSync(npm, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
// `npm pack` runs `prepare`, which builds dist/ first.
const packed = execFileSync(npm, ['pack', '--silent', '--pack-destination', vendor], { encoding: 'utf8' }).trim().split('\n').pop();
renameSync(join(vendor, packed), join(vendor, 'nakama-rejoin.tgz'));
// A fresh copy of the package every time: the tarball's contents change, its path does not.
rmSync(join(dir, 'node_modules', 'nakama-rejoin'), { recursive: true, force: true });
run(['install', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline'], dir);
run(['run', 'typecheck'], dir);
run(['run', 'build'], dir);
