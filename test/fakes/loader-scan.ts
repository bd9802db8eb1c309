// What Nakama's JavaScript loader reads from a bundle's syntax tree (server/runtime_javascript_
// init.go in 3.26.0): InitModule at top level, and in its body the flat `initializer.registerX`
// statements (or those inside a `try` block), each naming its handler by identifier. The server
// calls handlers by those names in every VM, never through the function objects InitModule saw:
// the fake server and the bundle test both read registrations this way.
import { parse, type Node } from 'acorn';

type AnyNode = Node & Record<string, any>;

export interface Registrations {
  /** RPC id → name of the global the server calls. */
  rpcs: Map<string, string>;
  /** Match name → callback (matchInit, ...) → name of the global. */
  matches: Map<string, Map<string, string>>;
  /** Hook register method (registerMatchmakerMatched, ...) → name of the global. */
  hooks: Map<string, string>;
  /** Names of the register methods, in the order of their statements. */
  order: string[];
}

export function parseScript(code: string): AnyNode {
  return parse(code, { ecmaVersion: 2020, sourceType: 'script' }) as AnyNode;
}

/** InitModule's function node (a declaration, or `var InitModule = function ...`). */
export function initModuleOf(program: AnyNode): AnyNode | null {
  for (const s of program.body as AnyNode[]) {
    if (s.type === 'FunctionDeclaration' && s.id.name === 'InitModule') return s;
    if (s.type === 'VariableDeclaration' && s.declarations[0]?.id?.name === 'InitModule' && s.declarations[0].init?.type === 'FunctionExpression') return s.declarations[0].init;
  }
  return null;
}

/** The top-level `var X = {...}` object literals, by name (what registerMatch(name, X) may name). */
function topLevelObjects(program: AnyNode): Map<string, AnyNode> {
  const out = new Map<string, AnyNode>();
  for (const s of program.body as AnyNode[]) {
    if (s.type !== 'VariableDeclaration' || s.kind !== 'var') continue;
    for (const d of s.declarations) if (d.id.type === 'Identifier' && d.init?.type === 'ObjectExpression') out.set(d.id.name, d.init);
  }
  return out;
}

/** A `initializer.registerX(...)` statement, or null. */
export function registerCallOf(stmt: AnyNode, initializer: string): AnyNode | null {
  const e = stmt.type === 'ExpressionStatement' ? stmt.expression : null;
  if (e?.type !== 'CallExpression' || e.callee.type !== 'MemberExpression' || e.callee.computed) return null;
  return e.callee.object.type === 'Identifier' && e.callee.object.name === initializer && /^register/.test(e.callee.property.name) ? e : null;
}

function handlerName(arg: AnyNode, what: string): string {
  if (arg?.type === 'Identifier') return arg.name;
  throw new Error(`${what}: the handler must be an identifier naming a top-level function (got ${arg?.type})`);
}

function literalId(arg: AnyNode, what: string): string {
  if (arg?.type === 'Literal' && typeof arg.value === 'string') return arg.value;
  throw new Error(`${what}: the id must be a string literal`);
}

export function scanRegistrations(code: string): Registrations {
  const program = parseScript(code);
  const init = initModuleOf(program);
  if (init === null) throw new Error('failed to find InitModule function');
  if (init.params.length < 4) throw new Error('InitModule function is missing params');
  const initializer = init.params[3].name as string;
  const objects = topLevelObjects(program);
  const found: Registrations = { rpcs: new Map(), matches: new Map(), hooks: new Map(), order: [] };
  const visit = (body: AnyNode[]): void => {
    for (const stmt of body) {
      if (stmt.type === 'TryStatement') {
        visit(stmt.block.body);
        continue;
      }
      const call = registerCallOf(stmt, initializer);
      if (call === null) continue;
      const method = call.callee.property.name as string;
      const args = call.arguments as AnyNode[];
      found.order.push(method);
      if (method === 'registerRpc') {
        found.rpcs.set(literalId(args[0], method), handlerName(args[1], method));
      } else if (method === 'registerMatch') {
        const name = literalId(args[0], method);
        const obj = args[1]?.type === 'Identifier' ? objects.get(args[1].name) : args[1];
        if (obj?.type !== 'ObjectExpression') throw new Error(`registerMatch ${name}: needs an object literal or a top-level var holding one`);
        const fns = new Map<string, string>();
        for (const prop of obj.properties as AnyNode[]) {
          if (prop.key?.type !== 'Identifier' || prop.computed) throw new Error(`registerMatch ${name}: keys must be unquoted`);
          fns.set(prop.key.name, handlerName(prop.value, `registerMatch ${name} ${prop.key.name}`));
        }
        found.matches.set(name, fns);
      } else {
        found.hooks.set(method, handlerName(args[0], method));
      }
    }
  };
  visit(init.body.body);
  return found;
}
