// Builds what the npm package ships, to dist/: four entries (server, demo, client, protocol), each as
// ESM (index.mjs) and CommonJS (index.cjs) with type declarations for both (index.d.ts and
// index.d.cts). Run by `npm run build:lib` and by npm itself before packing and after an install
// from a git URL (`prepare`).
//
// The server entry (and the demo entry, the demo's game and shop apart from the library) is
// bundled again by the game's own esbuild into its one module file, so it is plain ES2020 with
// nothing external. The client keeps nakama-js external: the app brings its own
// (a peer dependency). The wire contract (src/protocol.ts) is bundled into both sides.
//
// The protocol entry also ships the wire contract as data, dist/protocol/contract.json
// (scripts/contract.mjs: the constants as the built module holds them, the fields as
// src/protocol.ts declares them).
//
// Declarations are emitted once by tsc and written twice: as .d.ts for import and as .d.cts for
// require, each tree referring only to its own kind. Nakama's runtime types (the `nkruntime`
// namespace the server entry's signatures use) ship as a module of their own, so a game needs
// no other copy of them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { contractOf } from './contract.mjs';

const ENTRIES = { server: 'src/server.ts', demo: 'src/demo.ts', client: 'client/index.ts', protocol: 'src/protocol.ts' };

rmSync('dist', { recursive: true, force: true });
for (const [name, entry] of Object.entries(ENTRIES)) {
  const common = { entryPoints: [entry], bundle: true, platform: 'neutral', target: 'es2020', external: ['@heroiclabs/nakama-js'], legalComments: 'none', logLevel: 'warning' };
  await build({ ...common, format: 'esm', outfile: `dist/${name}/index.mjs` });
  await build({ ...common, format: 'cjs', outfile: `dist/${name}/index.cjs` });
}

const protocol = await import(pathToFileURL(resolve('dist/protocol/index.mjs')).href);
writeFileSync('dist/protocol/contract.json', `${JSON.stringify(contractOf(readFileSync(ENTRIES.protocol, 'utf8'), protocol), null, 2)}\n`);

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.lib.json'], { stdio: 'inherit' });

function files(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

// The runtime types as a module: `export declare namespace nkruntime`.
const runtimeTypes = readFileSync('types/nakama-runtime/index.d.ts', 'utf8').replace(/^declare namespace nkruntime/m, 'export declare namespace nkruntime');
if (!/^export declare namespace nkruntime/m.test(runtimeTypes)) throw new Error('types/nakama-runtime/index.d.ts: no `declare namespace nkruntime` found');
writeFileSync('dist/types/nakama-runtime.d.ts', runtimeTypes);

const cjsTree = (path) => path.replace(/^dist\/types\//, 'dist/types-cjs/').replace(/\.d\.ts$/, '.d.cts');
for (const file of files('dist/types')) {
  let text = readFileSync(file, 'utf8');
  if (/\bnkruntime\./.test(text) && !file.endsWith('nakama-runtime.d.ts')) {
    let rel = relative(dirname(file), 'dist/types/nakama-runtime.js');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    text = `import type { nkruntime } from '${rel}';\n${text}`;
    writeFileSync(file, text);
  }
  const out = cjsTree(file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.js\2/g, '$1$2$3.cjs$2'));
}

for (const [name, entry] of Object.entries(ENTRIES)) {
  const target = entry.replace(/\.ts$/, '');
  // The server entry also names the runtime types its signatures use, for a game without its own.
  const runtime = (ext) => (name === 'server' ? `export type { nkruntime } from '../types${ext === 'js' ? '' : '-cjs'}/nakama-runtime.${ext}';\n` : '');
  writeFileSync(`dist/${name}/index.d.ts`, `export * from '../types/${target}.js';\n${runtime('js')}`);
  writeFileSync(`dist/${name}/index.d.cts`, `export * from '../types-cjs/${target}.cjs';\n${runtime('cjs')}`);
}
console.log(`built dist/ (${Object.keys(ENTRIES).join(', ')}: index.mjs, index.cjs, index.d.ts, index.d.cts; protocol/contract.json)`);
