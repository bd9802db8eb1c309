// What can be checked of the Godot 4 addon without a Godot 4: no Godot 4 build installs on these
// machines, so its GDScript is not run. It is parsed with tree-sitter-gdscript (a GDScript 4
// grammar), searched for Godot 3 constructs that Godot 4 refuses, and every call it makes into
// nakama-godot 4 (`*_async`, the Nakama singleton's factories, the socket's signals) is looked up
// by name and argument count in a nakama-godot 4 checkout. The same lookup runs on the Godot 3
// addon against the Godot 3 SDK, where the code also runs, so the lookup itself is tested.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';

const require = createRequire(import.meta.url);

export const SAME_FILE_MARK = 'The same file in the Godot 3 and Godot 4 addons.';

function gdFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...gdFiles(p));
    else if (p.endsWith('.gd')) out.push(p);
  }
  return out.sort();
}

/** Files marked as shared must be byte for byte the same in both addons. */
export function sharedGodotFiles(godotDir: string): { same: string[]; different: string[] } {
  const same: string[] = [];
  const different: string[] = [];
  const g3 = join(godotDir, 'godot3', 'addons', 'nakama_rejoin');
  const g4 = join(godotDir, 'godot4', 'addons', 'nakama_rejoin');
  for (const f of gdFiles(g3)) {
    const text = readFileSync(f, 'utf8');
    if (!text.includes(SAME_FILE_MARK)) continue;
    const twin = join(g4, relative(g3, f));
    if (existsSync(twin) && readFileSync(twin, 'utf8') === text) same.push(basename(f));
    else different.push(basename(f));
  }
  for (const f of gdFiles(g4)) if (readFileSync(f, 'utf8').includes(SAME_FILE_MARK) && !existsSync(join(g3, relative(g4, f)))) different.push(basename(f));
  return { same, different };
}

/** Syntax errors tree-sitter-gdscript finds: "file:line: text". */
function parseErrors(file: string): string[] {
  const Parser = require('tree-sitter');
  const GDScript = require('tree-sitter-gdscript');
  const parser = new Parser();
  parser.setLanguage(GDScript);
  const src = readFileSync(file, 'utf8');
  const tree = parser.parse(src, undefined, { bufferSize: src.length * 2 + 1024 });
  const errors: string[] = [];
  const walk = (n: { type: string; isMissing: boolean; hasError: boolean; startPosition: { row: number }; text: string; children: unknown[] }) => {
    if (n.type === 'ERROR' || n.isMissing) {
      errors.push(`${basename(file)}:${n.startPosition.row + 1}: ${n.isMissing ? `missing ${n.type}` : n.text.split('\n')[0].slice(0, 80)}`);
      return;
    }
    if (n.hasError) for (const c of n.children) walk(c as typeof n);
  };
  walk(tree.rootNode);
  return errors;
}

const GODOT3_ONLY: [RegExp, string][] = [
  [/\byield\s*\(/, 'yield (Godot 4: await)'],
  [/^\s*(export|onready|tool)\b/m, 'export/onready/tool keywords (Godot 4: annotations)'],
  [/\bfuncref\(|\.call_func\(|GDScriptFunctionState/, 'FuncRef or GDScriptFunctionState'],
  [/\bextends\s+Reference\b/, 'Reference (Godot 4: RefCounted)'],
  [/\bPool\w+Array\b/, 'Pool*Array (Godot 4: Packed*Array)'],
  [/\bto_json\(|\bparse_json\(|JSON\.print\(|JSON\.parse\(/, 'Godot 3 JSON functions'],
  [/\.connect\("/, 'connect("signal", target, "method")'],
  [/\bsetget\b/, 'setget'],
  [/"idle_frame"|OS\.get_ticks_msec|OS\.get_system_time/, 'Godot 3 frame signal or clock'],
];
const GODOT4_ONLY: [RegExp, string][] = [
  [/\bawait\b/, 'await (Godot 3: yield)'],
  [/^\s*@\w+/m, 'annotations'],
  [/\bRefCounted\b/, 'RefCounted'],
  [/\bPacked\w+Array\b/, 'Packed*Array'],
  [/JSON\.stringify|JSON\.parse_string|\bTime\./, 'Godot 4 JSON or Time'],
  [/\.bind\(|\bfunc\s*\(/, 'Callable.bind or lambdas'],
];

/** Code with comments and strings blanked, so that patterns match code only. */
function codeOnly(src: string): string {
  return src
    .split('\n')
    .map((line) => {
      let out = '';
      let quote: string | null = null;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
          if (c === '\\') i++;
          else if (c === quote) {
            quote = null;
            out += c;
          }
          continue;
        }
        if (c === '#') break;
        if (c === '"' || c === "'") quote = c;
        out += c;
      }
      return out;
    })
    .join('\n');
}

/** The SDK's functions by name: fewest and most arguments. */
function sdkFunctions(sdkAddon: string): { funcs: Map<string, { min: number; max: number }>; signals: Set<string> } {
  const funcs = new Map<string, { min: number; max: number }>();
  const signals = new Set<string>();
  for (const f of gdFiles(sdkAddon)) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^\s*(?:static\s+)?func\s+(\w+)\s*\(([^)]*)\)/gm)) {
      const params = m[2].split(',').map((p) => p.trim()).filter(Boolean);
      const min = params.filter((p) => !p.includes('=')).length;
      const prev = funcs.get(m[1]);
      funcs.set(m[1], { min: Math.min(min, prev?.min ?? min), max: Math.max(params.length, prev?.max ?? 0) });
    }
    for (const m of src.matchAll(/^signal\s+(\w+)/gm)) signals.add(m[1]);
  }
  return { funcs, signals };
}

/** Number of top-level arguments in the call whose '(' is at `open`. */
function argCount(code: string, open: number): number {
  let depth = 0;
  let count = 0;
  let any = false;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return any ? count + 1 : 0;
    } else if (depth === 1 && c === ',') count++;
    else if (depth === 1 && c.trim()) any = true;
  }
  return -1;
}

const SDK_ENTRY_POINTS = new Set(['create_socket_from', 'create_client', 'create_socket']);

/** Calls into the SDK that it does not define, or with a number of arguments it does not take. */
export function sdkCallErrors(files: string[], sdkAddon: string): string[] {
  const { funcs, signals } = sdkFunctions(sdkAddon);
  const errors: string[] = [];
  for (const f of files) {
    const code = codeOnly(readFileSync(f, 'utf8'));
    for (const m of code.matchAll(/\.(\w+)\s*\(/g)) {
      const name = m[1];
      if (!name.endsWith('_async') && !SDK_ENTRY_POINTS.has(name)) continue;
      const line = code.slice(0, m.index).split('\n').length;
      const sig = funcs.get(name);
      if (!sig) {
        errors.push(`${basename(f)}:${line}: nakama-godot has no ${name}()`);
        continue;
      }
      const n = argCount(code, m.index! + m[0].length - 1);
      if (n < sig.min || n > sig.max) errors.push(`${basename(f)}:${line}: ${name}() takes ${sig.min}..${sig.max} arguments, given ${n}`);
    }
    for (const m of code.matchAll(/socket\.(received_\w+|closed|connected)\b/g)) {
      if (!signals.has(m[1])) errors.push(`${basename(f)}:${code.slice(0, m.index).split('\n').length}: NakamaSocket has no signal ${m[1]}`);
    }
    for (const m of code.matchAll(/\bconnect\("(received_\w+|closed|connected)"/g)) {
      if (!signals.has(m[1])) errors.push(`${basename(f)}:${code.slice(0, m.index).split('\n').length}: NakamaSocket has no signal ${m[1]}`);
    }
  }
  return errors;
}

function sdk(envVar: string, fallback: string): string | null {
  const dir = process.env[envVar] || fallback;
  const addon = join(dir, 'addons', 'com.heroiclabs.nakama');
  return existsSync(join(addon, 'Nakama.gd')) ? realpathSync(addon) : null;
}

export function checkGodot4(_addon: string, godot4Dir: string): { passed: string[]; failed: string[]; notes: string[]; files: string[] } {
  const passed: string[] = [];
  const failed: string[] = [];
  const notes: string[] = [];
  const g4Files = gdFiles(godot4Dir);
  const g3Files = gdFiles(join(godot4Dir, '..', 'godot3'));
  const record = (ok: boolean, what: string, errors: string[]) => (ok ? passed.push(what) : failed.push(`${what}:\n  ${errors.join('\n  ')}`));

  let parseErr: string[] = [];
  try {
    parseErr = g4Files.flatMap(parseErrors);
    notes.push(`Godot 4 addon: NOT RUN (no Godot 4 here); parsed with tree-sitter-gdscript ${require('tree-sitter-gdscript/package.json').version}, ${g4Files.length} files`);
    record(parseErr.length === 0, 'the Godot 4 addon and example parse as GDScript 4 (tree-sitter-gdscript)', parseErr);
  } catch (e) {
    failed.push(`the GDScript parser could not run (npm ci installs tree-sitter and tree-sitter-gdscript): ${(e as Error).message}`);
  }
  const mixed = (files: string[], rules: [RegExp, string][]) =>
    files.flatMap((f) => {
      const code = codeOnly(readFileSync(f, 'utf8'));
      return rules.filter(([re]) => re.test(code)).map(([, what]) => `${basename(f)}: ${what}`);
    });
  const in4 = mixed(g4Files, GODOT3_ONLY);
  record(in4.length === 0, 'the Godot 4 addon uses no Godot 3 construct', in4);
  const in3 = mixed(g3Files, GODOT4_ONLY);
  record(in3.length === 0, 'the Godot 3 addon uses no Godot 4 construct', in3);

  const sdk4 = sdk('NAKAMA_GODOT4_DIR', '/opt/sdk/nakama-godot4');
  if (sdk4) {
    notes.push(`Godot 4 addon: calls checked against nakama-godot at ${sdk4}`);
    const errs = sdkCallErrors(g4Files, sdk4);
    record(errs.length === 0, 'every nakama-godot call of the Godot 4 addon exists in nakama-godot 4 with that many arguments', errs);
  } else {
    failed.push('no nakama-godot 4 checkout to check the Godot 4 addon against (NAKAMA_GODOT4_DIR, or /opt/sdk/nakama-godot4)');
  }
  const sdk3 = sdk('NAKAMA_GODOT_DIR', '/opt/sdk/nakama-godot');
  if (sdk3) {
    const errs = sdkCallErrors(g3Files, sdk3);
    record(errs.length === 0, 'every nakama-godot call of the Godot 3 addon exists in nakama-godot 3 with that many arguments', errs);
  }
  return { passed, failed, notes, files: g4Files };
}
