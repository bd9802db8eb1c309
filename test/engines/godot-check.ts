// Checks of a Godot addon that need no Godot: it uses no construct of the other Godot version, and
// every call it makes into nakama-godot (`*_async`, the Nakama singleton's factories, the socket's
// signals) exists in that version's SDK checkout with that many arguments. Where the engine runs,
// these name the cause of a failure before the run; where it does not, they are what is checked.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export function gdFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...gdFiles(p));
    else if (p.endsWith('.gd')) out.push(p);
  }
  return out.sort();
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

/** The addon folder of a nakama-godot checkout, or null. */
export function sdkAddon(dir: string): string | null {
  const addon = join(dir, 'addons', 'com.heroiclabs.nakama');
  return existsSync(join(addon, 'Nakama.gd')) ? realpathSync(addon) : null;
}

/** The checks above for one assembled addon and example (engines/godot/godot3 or godot4). */
export function checkGodotScripts(version: 3 | 4, dir: string, sdk: string): { passed: string[]; failed: string[] } {
  const passed: string[] = [];
  const failed: string[] = [];
  const files = gdFiles(dir);
  const record = (errors: string[], what: string) => (errors.length === 0 ? passed.push(what) : failed.push(`${what}:\n  ${errors.join('\n  ')}`));
  const other = version === 4 ? GODOT3_ONLY : GODOT4_ONLY;
  const mixed = files.flatMap((f) => {
    const code = codeOnly(readFileSync(f, 'utf8'));
    return other.filter(([re]) => re.test(code)).map(([, what]) => `${basename(f)}: ${what}`);
  });
  record(mixed, `the Godot ${version} addon uses no Godot ${version === 4 ? 3 : 4} construct`);
  record(sdkCallErrors(files, sdk), `every nakama-godot call of the Godot ${version} addon exists in its nakama-godot with that many arguments`);
  return { passed, failed };
}
