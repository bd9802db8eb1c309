// The parts of the project and which may import which (docs/architecture.md), checked over every
// relative import and package import in the source. A new import across a line fails here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules' || f === 'build' || f === 'vendor') return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts|mjs)$/.test(f) ? [p] : [];
  });
}

/** Every import of a file: relative ones as repository paths without extension, packages by name. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const local: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)(['"])([^'"]+)\1/g)) {
    const spec = m[2];
    if (spec.startsWith('.')) local.push(normalize(join(dirname(file), spec)).replace(/\.(js|ts|mjs)$/, '').replace(/\/index$/, ''));
    else packages.push(spec);
  }
  return { local, packages };
}

/** The part a repository path belongs to, by the first rule whose prefix matches. */
const PARTS: [string, string][] = [
  ['src/protocol', 'protocol'],
  ['src/core/arena', 'core/arena'],
  ['src/core/shop', 'core/shop'],
  ['src/core/idempotency', 'core/idempotency'],
  ['src/core', 'core/base'],
  ['src/runtime/arena', 'runtime/arena'],
  ['src/runtime/shop', 'runtime/shop'],
  ['src/runtime/idempotency', 'runtime/idempotency'],
  ['src/runtime/startup', 'runtime/startup'],
  ['src/runtime', 'runtime/base'],
  ['src/server', 'server'],
  ['src/demo', 'demo entry'],
  ['src/main', 'demo module'],
  ['client', 'client'],
  ['cli', 'cli'],
  ['demo', 'demo script'],
  ['bench/nakama/purchase', 'bench purchase module'],
  ['bench', 'bench'],
  ['scripts', 'scripts'],
  ['tools', 'tools'],
  ['test/integration/harness', 'harness'],
];

function partOf(path: string): string {
  for (const [prefix, part] of PARTS) if (path === prefix || path.startsWith(`${prefix}/`)) return part;
  return `outside (${path})`;
}

const CORE = ['core/base', 'protocol'];
const RUNTIME = ['runtime/base', 'core/base', 'protocol'];

/** Which parts each part may import (itself always). */
const MAY: Record<string, string[]> = {
  protocol: [],
  'core/base': ['protocol'],
  'core/arena': CORE,
  'core/shop': CORE,
  'core/idempotency': CORE,
  'runtime/base': CORE,
  'runtime/idempotency': [...RUNTIME, 'core/idempotency'],
  'runtime/arena': [...RUNTIME, 'core/arena'],
  'runtime/shop': [...RUNTIME, 'runtime/idempotency', 'core/shop', 'core/idempotency'],
  'runtime/startup': [...RUNTIME, 'runtime/arena', 'runtime/idempotency'],
  server: [...RUNTIME, 'runtime/startup', 'runtime/arena', 'runtime/idempotency', 'core/arena', 'core/idempotency'],
  'demo entry': ['runtime/shop', 'core/base'],
  'demo module': ['server', 'demo entry'],
  client: ['protocol'],
  // The command line checks settings the way the server does at start-up.
  cli: ['runtime/startup', 'runtime/shop', 'runtime/base', 'core/base', 'protocol'],
  // Programs that run the built module against real servers: through the package's entries and
  // the server tools, never the source's insides.
  'demo script': ['client', 'protocol', 'tools'],
  bench: ['client', 'protocol', 'tools', 'scripts', 'server', 'demo entry'],
  // The purchase benchmark's module rebuilds the purchase without its idempotency layer from the
  // shop's own parts, to measure what that layer costs: it alone reaches inside.
  'bench purchase module': ['server', 'demo entry', 'runtime/shop', 'runtime/base', 'core/shop', 'core/base', 'protocol'],
  tools: [],
  harness: ['client', 'protocol', 'tools'],
};

const source = [...files('src'), ...files('client')];
/** Everything else that imports the source: the command line, the demo script, the benchmarks, the tools, the test harness. */
const programs = ['cli', 'demo', 'bench', 'tools', 'test/integration/harness'].filter((d) => existsSync(d)).flatMap(files);

describe('architecture', () => {
  it('each part imports only the parts it may', () => {
    const wrong: string[] = [];
    for (const file of [...source, ...programs]) {
      const from = partOf(file.replace(/\.(ts|mts|mjs)$/, ''));
      for (const target of importsOf(file).local) {
        const to = partOf(target);
        if (to !== from && !MAY[from].includes(to)) wrong.push(`${file} (${from}) imports ${target} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no file reaches itself through its imports (no import cycles)', () => {
    const key = (f: string) => f.replace(/\.(ts|mts|mjs)$/, '').replace(/\/index$/, '');
    const graph = new Map(source.map((f) => [key(f), importsOf(f).local]));
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (node: string, path: string[]): void => {
      const at = path.indexOf(node);
      if (at >= 0) {
        cycles.push([...path.slice(at), node].join(' -> '));
        return;
      }
      if (done.has(node) || !graph.has(node)) return;
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      done.add(node);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('only the client imports a package, and only nakama-js', () => {
    const wrong: string[] = [];
    for (const file of source) {
      for (const p of importsOf(file).packages) if (!(partOf(file) === 'client' && p === '@heroiclabs/nakama-js')) wrong.push(`${file} imports ${p}`);
    }
    expect(wrong).toEqual([]);
  });

  it('only the runtime names nkruntime: the core and the protocol are plain data', () => {
    const wrong = source.filter((f) => /^(protocol|core|client)$/.test(partOf(f.replace(/\.ts$/, ''))) && /\bnkruntime\b/.test(readFileSync(f, 'utf8')));
    expect(wrong).toEqual([]);
  });

  it('the examples reach this repository only through the package (tests may borrow the server tools)', () => {
    const wrong: string[] = [];
    for (const file of files('examples')) {
      const { local, packages } = importsOf(file);
      const example = file.split('/').slice(0, 2).join('/');
      for (const target of local) {
        const inside = !relative(example, target).startsWith('..');
        const harness = /\/test\//.test(file) && target.startsWith('tools/');
        if (!inside && !harness) wrong.push(`${file} imports ${target}`);
      }
      for (const p of packages) if (p.startsWith('nakama-rejoin') && !/^nakama-rejoin\/(server|demo|client|protocol)$/.test(p)) wrong.push(`${file} imports ${p}`);
    }
    expect(wrong).toEqual([]);
    // The example does use the package, from its entries.
    expect(files('examples/cards/src').some((f) => importsOf(f).packages.includes('nakama-rejoin/server'))).toBe(true);
  });
});
