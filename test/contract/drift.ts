// Checks a client's constants, and docs/protocol.md, against the wire contract (contract.json).
// Pure: each check takes the contract and file texts and returns problems, one line each, naming
// the file and the constant; none means in step.
import type { Contract } from '../../scripts/contract.mjs';

export interface SourceFile {
  path: string;
  text: string;
}

type Value = string | number;

/** ROUND_OVER → RoundOver; protocolVersion → ProtocolVersion. */
export function pascal(name: string): string {
  if (/^[A-Z0-9_]+$/.test(name)) return name.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  return name[0].toUpperCase() + name.slice(1);
}

/** SeatStatus → SEAT_STATUS; maxActionSeq → MAX_ACTION_SEQ. */
export function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

const SCALARS = ['protocolVersion', 'matchModule', 'maxActionSeq'] as const;

/** What a client must declare: its name for the constant → the value and the contract's name for it. */
type Expected = Map<string, { value: Value; contractName: string }>;

function expected(c: Contract, name: (group: string | null, key: string) => string): Expected {
  const out: Expected = new Map();
  for (const s of SCALARS) out.set(name(null, s), { value: c[s], contractName: s });
  for (const [group, entries] of Object.entries(c.constants)) for (const [key, value] of Object.entries(entries)) out.set(name(group, key), { value, contractName: `${group}.${key}` });
  return out;
}

/** C#: `Contract.MaxActionSeq`, `EndReason.RoundOver`. */
export function csharpNames(c: Contract): Expected {
  return expected(c, (group, key) => `${group ?? 'Contract'}.${pascal(key)}`);
}

/** GDScript's prefix for a group's constants: `END_REASON_`; op codes `OP_`. */
const gdPrefix = (group: string) => `${group === 'OpCode' ? 'OP' : upperSnake(group)}_`;

/** GDScript: `MAX_ACTION_SEQ`, `END_REASON_ROUND_OVER`, `OP_SNAPSHOT`. */
export function gdscriptNames(c: Contract): Expected {
  return expected(c, (group, key) => (group === null ? upperSnake(key) : gdPrefix(group) + key));
}

function literal(text: string): Value | undefined {
  const t = text.trim();
  const str = /^"((?:[^"\\]|\\.)*)"$/.exec(t);
  if (str) return JSON.parse(`"${str[1]}"`) as string;
  if (/^-?\d+$/.test(t)) return Number(t);
  return undefined;
}

const show = (v: Value | undefined) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** Compares what a file (or files) declares with what it must; `declared` maps a name to its value and file. */
function compare(want: Expected, declared: Map<string, { value: Value | undefined; path: string }>, fileFor: (name: string) => string): string[] {
  const problems: string[] = [];
  for (const [name, { value, contractName }] of want) {
    const got = declared.get(name);
    if (!got) problems.push(`${fileFor(name)}: ${name} is missing (contract ${contractName} = ${show(value)})`);
    else if (got.value !== value) problems.push(`${got.path}: ${name} is ${show(got.value)}, the contract's ${contractName} is ${show(value)}`);
  }
  return problems;
}

/** Constants of every C# `static class` without nested braces, as `Class.Name` → value and file. */
export function csharpConstants(files: SourceFile[]): { constants: Map<string, { value: Value | undefined; path: string }>; classes: Map<string, string> } {
  const constants = new Map<string, { value: Value | undefined; path: string }>();
  const classes = new Map<string, string>();
  for (const f of files) {
    const text = f.text.replace(/\/\/.*$/gm, '');
    for (const cls of text.matchAll(/\bstatic\s+class\s+(\w+)\s*\{([^{}]*)\}/g)) {
      classes.set(cls[1], f.path);
      for (const m of cls[2].matchAll(/\bconst\s+\w+\s+(\w+)\s*=\s*([^;]+);/g)) constants.set(`${cls[1]}.${m[1]}`, { value: literal(m[2]), path: f.path });
    }
  }
  return { constants, classes };
}

/** Every contract constant of the C# client, in the classes named after the contract's groups. */
export function checkCSharp(c: Contract, files: SourceFile[], home: string, clientOnly: string[] = []): string[] {
  const want = csharpNames(c);
  const { constants, classes } = csharpConstants(files);
  const problems = compare(want, constants, (name) => classes.get(name.split('.')[0]) ?? home);
  const groups = new Set([...want.keys()].map((n) => n.split('.')[0]));
  for (const [name, { path }] of constants) {
    if (groups.has(name.split('.')[0]) && !want.has(name) && !clientOnly.includes(name)) problems.push(`${path}: ${name} is not in the contract (removed or renamed there?)`);
  }
  return problems;
}

/** `const NAME = value` (also `const NAME := value`, `const NAME: T = value`) at the start of a line. */
export function gdscriptConstants(text: string): Map<string, Value | undefined> {
  const out = new Map<string, Value | undefined>();
  for (const m of text.matchAll(/^const\s+([A-Z][A-Z0-9_]*)\s*(?::\s*\w*\s*)?=\s*(.+?)\s*(?:#.*)?$/gm)) out.set(m[1], literal(m[2]));
  return out;
}

/**
 * Each GDScript client (a folder of .gd files): every file declaring a contract constant declares
 * all of them with the contract's values and nothing under a contract prefix that the contract
 * lacks; a client with no such file at all is missing the contract.
 */
export function checkGDScript(c: Contract, clients: { root: string; files: SourceFile[] }[]): string[] {
  const want = gdscriptNames(c);
  const prefixes = Object.keys(c.constants).map(gdPrefix);
  const problems: string[] = [];
  for (const { root, files } of clients) {
    let holders = 0;
    for (const f of files) {
      const consts = gdscriptConstants(f.text);
      if (![...consts.keys()].some((n) => want.has(n))) continue;
      holders++;
      const declared = new Map([...consts].map(([n, value]) => [n, { value, path: f.path }]));
      problems.push(...compare(want, declared, () => f.path));
      for (const n of consts.keys()) if (!want.has(n) && prefixes.some((p) => n.startsWith(p))) problems.push(`${f.path}: ${n} is not in the contract (removed or renamed there?)`);
    }
    if (holders === 0) problems.push(`${root}: no .gd file declares the contract's constants (${[...want.keys()].slice(0, 3).join(', ')}, …)`);
  }
  return problems;
}

// ---- docs/protocol.md ------------------------------------------------------------------------

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(md: string, heading: string): string | null {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) return null;
  const level = heading.indexOf(' ');
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(' ') <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** Rows (cells) of the first table in `text` whose first header cell is `first`. */
function table(text: string, first: string): string[][] | null {
  const lines = text.split('\n');
  const cells = (l: string) => l.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim());
  const at = lines.findIndex((l, i) => l.trim().startsWith('|') && cells(l)[0] === first && /^\|[-| :]+\|$/.test(lines[i + 1]?.trim() ?? ''));
  if (at < 0) return null;
  const rows: string[][] = [];
  for (let i = at + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) rows.push(cells(lines[i]));
  return rows;
}

const code = (cell: string) => /^`([^`]+)`$/.exec(cell.trim())?.[1] ?? cell.trim();

/** The `{a, b?, c: "x" | "y", ...}` groups of a table cell, each as the field names it lists (`...`: open). */
function objectsIn(cell: string): { names: string[]; open: boolean }[] {
  const out: { names: string[]; open: boolean }[] = [];
  const text = cell.replace(/`/g, '').replace(/\\\|/g, '|');
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '{') continue;
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      if (text[j] === '}' && --depth === 0) break;
    }
    const inner = text.slice(i + 1, j);
    const parts: string[] = [];
    let d = 0;
    let cur = '';
    for (const ch of inner) {
      if (ch === '{') d++;
      if (ch === '}') d--;
      if (ch === ',' && d === 0) {
        parts.push(cur);
        cur = '';
      } else cur += ch;
    }
    if (cur.trim()) parts.push(cur);
    const names = parts.map((p) => p.split(':')[0].trim()).filter((p) => p !== '');
    out.push({ names: names.filter((n) => n !== '...'), open: names.includes('...') });
    i = j;
  }
  return out;
}

/** A shape's fields as the docs write them: `name`, `name?` for optional ones. */
function docNames(shape: { fields?: { name: string; optional: boolean }[] }): string[] {
  return (shape.fields ?? []).map((f) => f.name + (f.optional ? '?' : ''));
}

function sameFields(where: string, doc: { names: string[]; open: boolean } | undefined, shape: { fields?: { name: string; optional: boolean }[]; open?: boolean }): string[] {
  const want = docNames(shape);
  if (!doc) return [`${where}: no {…} field list (the contract's: {${want.join(', ')}${shape.open ? ', ...' : ''}})`];
  const problems: string[] = [];
  for (const n of want) if (!doc.names.includes(n)) problems.push(`${where}: field ${n} is missing`);
  for (const n of doc.names) if (!want.includes(n)) problems.push(`${where}: field ${n} is not in the contract`);
  if (Boolean(shape.open) !== doc.open) problems.push(`${where}: ${shape.open ? 'the message may carry fields of its own: end the list with ...' : 'no ... : the message carries only these fields'}`);
  return problems;
}

/** Groups stated in a section's prose: every value must appear there in backticks. */
const PROSE: Record<string, string> = {
  SeatStatus: '### SEAT (op 2)',
  SeatReason: '### SEAT (op 2)',
  AckResult: '### Actions (op 100)',
  EndReason: '### END (op 5)',
  ResumeStatus: '### session_resume',
  IdempotencyError: '### shop_purchase: exactly once',
  RpcErrorReason: '## RPCs',
};
/** Groups stated as a table: its first column lists exactly the group's values. */
const TABLES: Record<string, { heading: string; first: string }> = {
  OpCode: { heading: '## Op codes', first: 'op' },
  RejectReason: { heading: '## Joining', first: 'rejectMessage' },
  MessageError: { heading: '### ERROR (op 6)', first: 'code' },
  Rpc: { heading: '## RPCs', first: 'RPC' },
};

/** docs/protocol.md against the contract: its version, tables, the groups in prose, and the messages' and RPCs' fields. */
export function checkDocs(c: Contract, md: string, path: string): string[] {
  const problems: string[] = [];
  const version = /^# Wire protocol, version (\d+)$/m.exec(md);
  if (Number(version?.[1]) !== c.protocolVersion) problems.push(`${path}: the title names version ${version?.[1] ?? '(none)'}, the contract is version ${c.protocolVersion}`);

  for (const [group, entries] of Object.entries(c.constants)) {
    if (PROSE[group]) {
      const text = section(md, PROSE[group]);
      if (text === null) problems.push(`${path}: no section "${PROSE[group]}" (where ${group} is stated)`);
      else for (const [key, value] of Object.entries(entries)) if (!text.includes(`\`${value}\``)) problems.push(`${path}: ${group}.${key} \`${value}\` is not stated in "${PROSE[group]}"`);
      continue;
    }
    const where = TABLES[group];
    if (!where) {
      problems.push(`${path}: the contract's ${group} has no place in the docs check (test/contract/drift.ts)`);
      continue;
    }
    const rows = table(section(md, where.heading) ?? '', where.first);
    if (rows === null) {
      problems.push(`${path}: no table with a "${where.first}" column in "${where.heading}" (where ${group} is stated)`);
      continue;
    }
    // Op codes are written `1 SNAPSHOT`; the other tables' first column is the value in backticks.
    const rowOf = (key: string, value: Value) => rows.find((r) => (group === 'OpCode' ? r[0] === `${value} ${key}` : code(r[0]) === value));
    for (const [key, value] of Object.entries(entries)) if (!rowOf(key, value)) problems.push(`${path}: ${group}.${key} (${group === 'OpCode' ? `${value} ${key}` : `\`${value}\``}) has no row in the "${where.first}" table of "${where.heading}"`);
    for (const r of rows) if (!Object.entries(entries).some(([key, value]) => rowOf(key, value) === r)) problems.push(`${path}: the "${where.first}" table of "${where.heading}" has a row ${r[0]} that is not in the contract's ${group}`);
  }

  // Message payloads: the op table's payload column, and SNAPSHOT's JSON example.
  const ops = table(section(md, TABLES.OpCode.heading) ?? '', TABLES.OpCode.first) ?? [];
  for (const [key, m] of Object.entries(c.messages)) {
    const row = ops.find((r) => r[0] === `${m.op} ${key}`);
    if (!row) continue;
    if (key === 'SNAPSHOT') {
      const example = /```json\n([\s\S]*?)```/.exec(section(md, '### SNAPSHOT (op 1)') ?? '');
      let keys: string[] = [];
      try {
        keys = Object.keys(JSON.parse(example?.[1] ?? 'null') ?? {});
      } catch {
        problems.push(`${path}: the SNAPSHOT example is not JSON`);
      }
      for (const f of m.fields ?? []) if (!f.optional && !keys.includes(f.name)) problems.push(`${path}: SNAPSHOT field ${f.name} is missing from the example in "### SNAPSHOT (op 1)"`);
      for (const k of keys) if (!(m.fields ?? []).some((f) => f.name === k)) problems.push(`${path}: the SNAPSHOT example's ${k} is not in the contract`);
      continue;
    }
    problems.push(...sameFields(`${path}: op ${m.op} ${key}'s payload`, objectsIn(row[2] ?? '')[0], m));
  }

  // RPCs: payload and answer columns; an answer that is a union lists one {…} per variant.
  const rpcs = table(section(md, TABLES.Rpc.heading) ?? '', TABLES.Rpc.first) ?? [];
  for (const [id, rpc] of Object.entries(c.rpcs)) {
    const row = rpcs.find((r) => code(r[0]) === id);
    if (!row) continue;
    problems.push(...sameFields(`${path}: RPC ${id}'s payload`, objectsIn(row[1] ?? '')[0], rpc.payload));
    const answers = objectsIn(row[2] ?? '');
    const variants = rpc.answer.variants ?? [rpc.answer];
    variants.forEach((v, i) => problems.push(...sameFields(`${path}: RPC ${id}'s answer${variants.length > 1 ? ` (variant ${i + 1})` : ''}`, answers[i], v)));
    if (answers.length > variants.length) problems.push(`${path}: RPC ${id}'s answer lists ${answers.length} shapes, the contract ${variants.length}`);
  }

  const actions = section(md, '### Actions (op 100)') ?? '';
  if (!actions.includes(String(c.maxActionSeq))) problems.push(`${path}: "### Actions (op 100)" does not state the largest actionSeq, ${c.maxActionSeq}`);
  return problems;
}
