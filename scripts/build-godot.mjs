// `npm run build:godot`: writes the Godot 4 and Godot 3 addons users install (engines/godot/godot4,
// engines/godot/godot3) from their one source, engines/godot/src (see godot-assemble.mjs). Both
// are committed, so an addon is installed by copying one folder; a unit test fails when they are
// not what this writes. `--check` only reports the files that are out of date.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleGodot, staleGodotFiles } from './godot-assemble.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--check')) {
  const stale = staleGodotFiles(root);
  for (const s of stale) console.log(`out of date: ${s}`);
  process.exit(stale.length ? 1 : 0);
}
for (const v of ['godot3', 'godot4']) rmSync(join(root, 'engines', 'godot', v), { recursive: true, force: true });
const files = assembleGodot(root);
for (const f of files) {
  mkdirSync(dirname(join(root, f.path)), { recursive: true });
  writeFileSync(join(root, f.path), f.text);
}
console.log(`build:godot: wrote ${files.length} files under engines/godot/godot3 and engines/godot/godot4`);
