// The shape of build/index.js against the loading rules of Nakama's JavaScript runtime: the
// server compiles one file, finds InitModule at top level and reads the register calls from its
// syntax tree. A bundle that breaks these rules can pass every other test and still fail to load.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse, type Node } from 'acorn';
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
  program = parse(code, { ecmaVersion: 2020, sourceType: 'script' }) as AnyNode;
});

function topLevelFunctions(): Map<string, AnyNode> {
  const fns = new Map<string, AnyNode>();
  for (const s of program.body as AnyNode[]) if (s.type === 'FunctionDeclaration') fns.set(s.id.name, s);
  return fns;
}

function initModule(): AnyNode {
  const fn = topLevelFunctions().get('InitModule');
  if (!fn) throw new Error('no top-level function InitModule');
  return fn;
}

function registerCall(stmt: AnyNode): AnyNode | null {
  const e = stmt.type === 'ExpressionStatement' ? stmt.expression : null;
  if (e?.type !== 'CallExpression' || e.callee.type !== 'MemberExpression') return null;
  return e.callee.object.type === 'Identifier' && e.callee.object.name === 'initializer' && /^register/.test(e.callee.property.name) ? e : null;
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

  it('makes every register call a flat statement with a literal id and a top-level function', () => {
    const fns = topLevelFunctions();
    const body = initModule().body.body as AnyNode[];
    const calls = body.map(registerCall);
    // Register calls come first: a statement before them can derail the server's scan.
    const firstOther = calls.findIndex((c) => c === null);
    expect(firstOther).toBeGreaterThan(0);
    expect(calls.slice(firstOther).every((c) => c === null)).toBe(true);
    const registered: string[] = [];
    for (const call of calls.filter((c): c is AnyNode => c !== null)) {
      const method = call.callee.property.name as string;
      const args = call.arguments as AnyNode[];
      if (method === 'registerRpc' || method === 'registerMatch') {
        expect(args[0].type, `${method} id`).toBe('Literal');
        expect(typeof args[0].value).toBe('string');
        registered.push(`${method}:${args[0].value}`);
      }
      const handler = method === 'registerRpc' || method === 'registerMatch' ? args[1] : args[0];
      if (method === 'registerMatch') {
        expect(handler.type).toBe('ObjectExpression');
        const keys: string[] = [];
        for (const prop of handler.properties as AnyNode[]) {
          expect(prop.key.type, 'unquoted key').toBe('Identifier');
          expect(prop.value.type).toBe('Identifier');
          expect(fns.has(prop.value.name), `${prop.value.name} is a top-level function`).toBe(true);
          keys.push(prop.key.name);
        }
        expect(keys.sort()).toEqual(['matchInit', 'matchJoin', 'matchJoinAttempt', 'matchLeave', 'matchLoop', 'matchSignal', 'matchTerminate']);
      } else {
        expect(handler.type).toBe('Identifier');
        expect(fns.has(handler.name), `${handler.name} is a top-level function`).toBe(true);
      }
    }
    expect(registered).toEqual(expect.arrayContaining(['registerMatch:arena', 'registerRpc:match_create', 'registerRpc:match_find']));
    // No register call hides anywhere else (nested blocks, callbacks).
    let all = 0;
    walk(program, (n) => {
      if (n.type === 'ExpressionStatement' && registerCall(n)) all++;
    });
    expect(all).toBe(calls.filter((c) => c !== null).length);
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
