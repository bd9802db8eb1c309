// The shape of build/index.js against the loading rules of Nakama's JavaScript runtime: the
// server compiles one file, finds InitModule at top level and reads the register calls from its
// syntax tree. A bundle that breaks these rules can pass every other test and still fail to load.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { Node } from 'acorn';
import { initModuleOf, parseScript, registerCallOf, scanRegistrations } from '../fakes/loader-scan';
import { beforeAll, describe, expect, it } from 'vitest';

type AnyNode = Node & Record<string, any>;

let code = '';
let program: AnyNode;

function walk(node: AnyNode, visit: (n: AnyNode, parent: AnyNode | null) => void, parent: AnyNode | null = null): void {
  visit(node, parent);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const v of value) if (v && typeof v.type === 'string') walk(v, visit, node);
    if (value && typeof value === 'object' && typeof (value as AnyNode).type === 'string') walk(value as AnyNode, visit, node);
  }
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' });
  code = readFileSync('build/index.js', 'utf8');
  // ecmaVersion 2020 as a script: any import/export or newer syntax (??=, ||=, private fields,
  // top-level await) fails to parse here, as it would in the server.
  program = parseScript(code);
});

/** Names the script declares at top level with `function` or `var`: properties of the global object. */
function globalNames(): Set<string> {
  const names = new Set<string>();
  for (const s of program.body as AnyNode[]) {
    if (s.type === 'FunctionDeclaration') names.add(s.id.name);
    if (s.type === 'VariableDeclaration' && s.kind === 'var') {
      walk(s, (n, parent) => {
        if (n.type !== 'Identifier' || parent === null) return;
        // Declared names: plain declarators, destructured values (the key of `{ a: b }` is not one).
        if ((parent.type === 'VariableDeclarator' && parent.id === n) || (parent.type === 'Property' && parent.value === n && parent.shorthand === false) || (parent.type === 'Property' && parent.shorthand)) names.add(n.name);
      });
    }
  }
  return names;
}

function initModule(): AnyNode {
  const fn = initModuleOf(program);
  if (!fn) throw new Error('no top-level function InitModule');
  return fn;
}

describe('built bundle', () => {
  it('parses as an ES2020 script with no import or export', () => {
    expect(program.type).toBe('Program');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('declares InitModule as a top-level function of four parameters', () => {
    expect(initModule().params.map((p: AnyNode) => p.name)).toEqual(['ctx', 'logger', 'nk', 'initializer']);
  });

  it('keeps InitModule from being tree-shaken', () => {
    expect(code).toContain('!InitModule && InitModule.bind(null);');
  });

  it('makes every register call a flat statement with a literal id naming a global of every VM', () => {
    const body = initModule().body.body as AnyNode[];
    const calls = body.map((stmt) => registerCallOf(stmt, 'initializer'));
    // Register calls come first: a statement before them can derail the server's scan.
    const firstOther = calls.findIndex((c) => c === null);
    expect(firstOther).toBeGreaterThan(0);
    expect(calls.slice(firstOther).every((c) => c === null)).toBe(true);
    const found = scanRegistrations(code);
    const globals = globalNames();
    const named = [...found.rpcs.values(), ...found.hooks.values(), ...[...found.matches.values()].flatMap((m) => [...m.values()])];
    for (const name of named) expect(globals.has(name), `${name} is a top-level function or var`).toBe(true);
    // Top-level `var`s and functions are made by running the bundle, in whichever VM runs it.
    const vmGlobals = vm.createContext({});
    vm.runInContext(code, vmGlobals);
    for (const name of named) expect(typeof vmGlobals[name], `${name} is a function once the bundle ran`).toBe('function');
    expect([...found.matches.keys()]).toEqual(['arena']);
    expect([...found.matches.get('arena')!.keys()].sort()).toEqual(['matchInit', 'matchJoin', 'matchJoinAttempt', 'matchLeave', 'matchLoop', 'matchSignal', 'matchTerminate']);
    expect([...found.rpcs.keys()].sort()).toEqual(['match_create', 'match_find', 'rejoin_admin_end', 'rejoin_admin_release', 'rejoin_admin_seats', 'rejoin_admin_sweep', 'session_resume', 'shop_purchase']);
    // No register call hides anywhere else (nested blocks, callbacks).
    let all = 0;
    walk(program, (n) => {
      if (n.type === 'ExpressionStatement' && registerCallOf(n, 'initializer')) all++;
    });
    expect(all).toBe(calls.filter((c) => c !== null).length);
  });

  it('leaves the benchmark-only RPC out of the deployed bundle', () => {
    expect(code).not.toMatch(/bench_purchase_plain|REJOIN_BENCH/);
  });

  it('uses no global the server does not have, and no const-enum leftovers', () => {
    const missing = new Set(['console', 'setTimeout', 'setInterval', 'process', 'require', 'TextEncoder', 'TextDecoder', 'crypto', 'atob', 'btoa', 'URL', 'Intl', 'structuredClone', 'nkruntime']);
    const used = new Set<string>();
    walk(program, (n, parent) => {
      if (n.type !== 'Identifier' || !missing.has(n.name)) return;
      const isProperty = parent && ((parent.type === 'MemberExpression' && parent.property === n && !parent.computed) || (parent.type === 'Property' && parent.key === n));
      if (!isProperty) used.add(n.name);
    });
    expect([...used]).toEqual([]);
  });

  it('has no async functions, async generators or RegExp named groups', () => {
    const bad: string[] = [];
    walk(program, (n) => {
      if ((n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') && n.async) bad.push('async function');
      if (n.type === 'ForOfStatement' && n.await) bad.push('for await');
      if (n.type === 'Literal' && n.regex && /\(\?<[a-zA-Z]/.test(n.regex.pattern)) bad.push(`named group /${n.regex.pattern}/`);
    });
    expect(bad).toEqual([]);
  });

  it('carries no source map: stack traces in RPC errors name only index.js', () => {
    expect(code).not.toMatch(/sourceMappingURL/);
  });

  it('the dev build carries its source map inline, never linked, in a folder of its own', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--dev'], { stdio: 'pipe' });
    const dev = readFileSync('build/dev/index.js', 'utf8');
    const map = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(dev);
    expect(map).not.toBeNull();
    expect(JSON.parse(Buffer.from(map![1], 'base64').toString('utf8')).sources).toContain('../../src/main.ts');
    // The production bundle beside it is untouched.
    expect(readFileSync('build/index.js', 'utf8')).toBe(code);
  });
});
