// The wire contract as data (dist/protocol/contract.json), for client authors and for the tests
// that hold the C# and GDScript clients and docs/protocol.md to it.
//
// Values come from the protocol module itself (its exported constant objects and numbers); field
// lists come from the declarations in src/protocol.ts's syntax tree: the `Messages` map (op code →
// payload interface), the `RpcCalls` map (RPC id → payload and answer) and `JoinMetadata`.
// Plain JavaScript so that build-lib.mjs can use it without a TypeScript step.
import ts from 'typescript';

/** Exported constant groups (`OpCode`, `EndReason`, …) and scalars (`PROTOCOL_VERSION`, …) of the module. */
function valuesOf(module) {
  const constants = {};
  const scalars = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'number' || typeof value === 'string') scalars[name] = value;
    else if (value !== null && typeof value === 'object' && Object.values(value).every((v) => typeof v === 'number' || typeof v === 'string')) constants[name] = { ...value };
  }
  return { constants, scalars };
}

/**
 * The contract: `source` is src/protocol.ts's text, `module` the same file loaded (its exports).
 * Throws when the declarations and the constants disagree (an op code without a payload type, an
 * RPC without an answer), so that a build never ships a partial contract.
 */
export function contractOf(source, module) {
  const { constants, scalars } = valuesOf(module);
  const file = ts.createSourceFile('protocol.ts', source, ts.ScriptTarget.ES2020, true);
  const declarations = new Map();
  for (const s of file.statements) if ((ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) declarations.set(s.name.text, s);

  const need = (name) => {
    const d = declarations.get(name);
    if (!d) throw new Error(`src/protocol.ts: no exported type ${name}`);
    return d;
  };
  /** `Group.KEY` (in `[OpCode.SEAT]` or `typeof ResumeStatus.ACTIVE`) → [group, key, value]. */
  const constantAt = (expr) => {
    const [group, key] = expr.getText().split('.');
    const value = constants[group]?.[key];
    if (value === undefined) throw new Error(`src/protocol.ts: ${expr.getText()} is not a constant of the module`);
    return [group, key, value];
  };
  const typeText = (node) => {
    if (ts.isUnionTypeNode(node)) return node.types.map(typeText).join(' | ');
    if (ts.isTypeQueryNode(node)) return JSON.stringify(constantAt(node.exprName)[2]);
    if (ts.isTypeLiteralNode(node)) return 'object';
    return node.getText().replace(/\s+/g, ' ');
  };
  /** Fields of an interface or type literal; `open` when it allows fields of its own (`[field: string]: unknown`). */
  const shapeOf = (members) => {
    const fields = [];
    let open = false;
    for (const m of members) {
      if (ts.isIndexSignatureDeclaration(m)) open = true;
      else if (ts.isPropertySignature(m)) {
        const field = { name: m.name.getText(), type: typeText(m.type), optional: m.questionToken !== undefined };
        if (ts.isTypeLiteralNode(m.type)) Object.assign(field, shapeOf(m.type.members));
        fields.push(field);
      }
    }
    return open ? { fields, open } : { fields };
  };
  /** A named type as data: an interface's fields, or a union's variants (each a type literal). */
  const typeOf = (name) => {
    const d = need(name);
    if (ts.isInterfaceDeclaration(d)) return shapeOf(d.members);
    if (ts.isUnionTypeNode(d.type) && d.type.types.every(ts.isTypeLiteralNode)) return { variants: d.type.types.map((t) => shapeOf(t.members)) };
    if (ts.isTypeLiteralNode(d.type)) return shapeOf(d.type.members);
    throw new Error(`src/protocol.ts: ${name} is neither an interface nor a union of object types`);
  };
  /** Entries of a map interface keyed by `[Group.KEY]`. */
  const mapOf = (name, group) => {
    const entries = new Map();
    for (const m of need(name).members) {
      if (!ts.isPropertySignature(m) || !ts.isComputedPropertyName(m.name)) throw new Error(`src/protocol.ts: ${name} must key every entry by [${group}.KEY]`);
      const [g, key, value] = constantAt(m.name.expression);
      if (g !== group) throw new Error(`src/protocol.ts: ${name} keys ${m.name.getText()}, not a ${group}`);
      entries.set(key, { value, type: m.type });
    }
    for (const key of Object.keys(constants[group] ?? {})) if (!entries.has(key)) throw new Error(`src/protocol.ts: ${name} has no entry for ${group}.${key}`);
    return entries;
  };
  /** Referenced by name, listed under `types`, with everything it refers to in turn. */
  const types = {};
  const refer = (node) => {
    node.forEachChild(refer);
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      const d = declarations.get(name);
      if (!d || types[name] || constants[name]) return;
      types[name] = typeOf(name);
      refer(d);
    }
  };
  const named = (name) => {
    refer(need(name));
    return { type: name, ...typeOf(name) };
  };

  const messages = {};
  for (const [key, { value, type }] of mapOf('Messages', 'OpCode')) messages[key] = { op: value, ...named(type.getText()) };
  const rpcs = {};
  for (const [key, { value, type }] of mapOf('RpcCalls', 'Rpc')) {
    const part = (p) => {
      const m = ts.isTypeLiteralNode(type) && type.members.find((x) => ts.isPropertySignature(x) && x.name.getText() === p);
      if (!m) throw new Error(`src/protocol.ts: RpcCalls[Rpc.${key}] has no ${p}`);
      return named(m.type.getText());
    };
    rpcs[value] = { name: key, payload: part('payload'), answer: part('answer') };
  }
  const joinMetadata = named('JoinMetadata');

  const SCALARS = { PROTOCOL_VERSION: 'protocolVersion', MATCH_MODULE: 'matchModule', MAX_ACTION_SEQ: 'maxActionSeq' };
  for (const name of Object.keys(scalars)) if (!(name in SCALARS)) throw new Error(`src/protocol.ts: ${name} is not in contract.json; name it in scripts/contract.mjs`);
  return {
    ...Object.fromEntries(Object.entries(SCALARS).map(([name, key]) => [key, scalars[name]])),
    constants,
    messages,
    joinMetadata,
    rpcs,
    types,
  };
}
