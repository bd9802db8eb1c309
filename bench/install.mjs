// Installs the benchmarks' own dependencies (bench/package.json) from their lockfile, once: again
// only when bench/package-lock.json changed since. The root package's `npm run bench:*` scripts
// run it first, so a plain `npm ci` at the root never installs what only benchmarks use.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const installed = join(dir, 'node_modules', '.package-lock.json');
const lock = join(dir, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
}
