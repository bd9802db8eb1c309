// The Godot addons are written once, in engines/godot/src, in Godot 4 GDScript. This assembles the
// two folders users install: engines/godot/godot4 (the source as it is) and engines/godot/godot3
// (the source translated to Godot 3 GDScript), each with the version's godot_api.gd (the few API
// calls that differ, not syntax) and the LICENSE. The translation is line by line and covers only
// the forms the source uses; anything else Godot 4-only stops the build, so it never guesses.
//
//   await f(x)                 -> yield(f(x), "completed")
//   await obj.sig              -> yield(obj, "sig")        (process_frame -> idle_frame)
//   var v = await f.call(x)    -> v = f.call_func(x), then yield on it if it is a coroutine
//   a.sig.connect(o.m.bind(x)) -> a.connect("sig", o, "m", [x])   (also disconnect, is_connected)
//   coroutine(x) as a statement -> _keep(coroutine(x)): Godot 3 frees a coroutine nothing holds
//   var p: T: get = g, set = s -> var p: T setget s, g   (one line; Godot 3 runs accessors only
//                                  from outside the script, so the script itself must not use p)
//   RefCounted, Packed*Array, JSON.stringify / parse_string, Callable(), .call()
//                              -> Reference, Pool*Array, to_json / parse_json, funcref(), .call_func()
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const GENERATED = (from, version) => `# Godot ${version} addon, generated from engines/godot/src/${from} by \`npm run build:godot\`: edit that file.\n`;

/** Index where the comment of a line starts (outside strings), or the line's length. */
function commentStart(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return i;
  }
  return line.length;
}

/** End (exclusive) of the bracket group opening at `open`. */
function closeOf(code, open) {
  let depth = 0;
  let quote = null;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced brackets in: ${code}`);
}

/** A postfix expression (name, .member, (call), [index]) from `at`: its end and last part. */
function postfix(code, at) {
  const head = /^[A-Za-z_]\w*/.exec(code.slice(at));
  if (!head) return null;
  let end = at + head[0].length;
  let last = { kind: 'name', start: at };
  for (;;) {
    const member = /^\.([A-Za-z_]\w*)/.exec(code.slice(end));
    if (member) {
      last = { kind: 'member', start: end, name: member[1] };
      end += member[0].length;
    } else if (code[end] === '(' || code[end] === '[') {
      last = { kind: code[end] === '(' ? 'call' : 'index', start: end };
      end = closeOf(code, end);
    } else return { end, last };
  }
}

function translateAwaits(code, where) {
  for (let i = code.search(/\bawait\s/); i >= 0; i = code.search(/\bawait\s/)) {
    const at = i + /^await\s+/.exec(code.slice(i))[0].length;
    const e = postfix(code, at);
    if (!e || e.last.kind === 'name' || e.last.kind === 'index') throw new Error(`${where}: cannot translate this await: ${code.trim()}`);
    let replacement;
    if (e.last.kind === 'member') {
      const signal = e.last.name === 'process_frame' ? 'idle_frame' : e.last.name;
      replacement = `yield(${code.slice(at, e.last.start)}, "${signal}")`;
    } else replacement = `yield(${code.slice(at, e.end)}, "completed")`;
    code = code.slice(0, i) + replacement + code.slice(e.end);
  }
  return code;
}

/** Expression ending just before `end`, scanning back over names, dots and bracket groups. */
function postfixBefore(code, end) {
  let i = end;
  while (i > 0) {
    const c = code[i - 1];
    if (/\w|\./.test(c)) i--;
    else if (c === ')' || c === ']') {
      let depth = 0;
      for (i--; i >= 0; i--) {
        if (code[i] === ')' || code[i] === ']') depth++;
        else if ((code[i] === '(' || code[i] === '[') && --depth === 0) break;
      }
    } else break;
  }
  return i;
}

function translateSignals(code, where) {
  const re = /\.([A-Za-z_]\w*)\.(connect|disconnect|is_connected)\(/;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const open = m.index + m[0].length - 1;
    const close = closeOf(code, open);
    const arg = code.slice(open + 1, close - 1).trim();
    const t = /^(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)(?:\.bind\((.*)\))?$/.exec(arg);
    if (!t || t[2] === 'bind') throw new Error(`${where}: cannot translate this signal call: ${code.trim()}`);
    const start = postfixBefore(code, m.index);
    const target = code.slice(start, m.index);
    const args = [`"${m[1]}"`, t[1] ?? 'self', `"${t[2]}"`];
    if (t[3] !== undefined && m[2] === 'connect') args.push(`[${t[3]}]`);
    code = `${code.slice(0, start)}${target}${target ? '.' : ''}${m[2]}(${args.join(', ')})${code.slice(close)}`;
  }
  return code;
}

const SIMPLE = [
  [/\bextends RefCounted\b/g, 'extends Reference'],
  [/\bPacked(\w+)Array\b/g, 'Pool$1Array'],
  [/\bJSON\.stringify\(/g, 'to_json('],
  [/\bJSON\.parse_string\(/g, 'parse_json('],
  [/\bCallable\(/g, 'funcref('],
  [/\.call\(/g, '.call_func('],
];

// What must not be left in Godot 3 code (the translation does not know it).
const GODOT4_LEFT = [/:\s*(?:get|set)\s*=/, /^\s*(?:get|set)\s*(?:\(\w*\))?\s*:/, /\bawait\b/, /\.bind\(/, /\bRefCounted\b/, /\bTime\./, /^\s*@/, /\bfunc\s*\(/, /\bsuper\b/, /\.emit\(/, /\bis not\b/, /\bnot in\b/];

/** Names of the functions of a script that await (coroutines). */
function coroutines(src) {
  const names = new Set();
  let current = null;
  for (const line of src.split('\n')) {
    const f = /^(?:static\s+)?func\s+(\w+)/.exec(line);
    if (f) current = f[1];
    else if (/^\S/.test(line)) current = null;
    if (current && /\bawait\b/.test(line.slice(0, commentStart(line)))) names.add(current);
  }
  return names;
}

// A property with accessors on one line: `var p[: T][ = v]: get = g[, set = s]` (either order).
const PROPERTY = /^(\s*var\s+(\w+)(?:\s*:\s*\w+)?(?:\s*:?=\s*[^:]*?)?)\s*:\s*(get|set)\s*=\s*(\w+)(?:\s*,\s*(get|set)\s*=\s*(\w+))?\s*$/;

/** `var p: T: get = g, set = s` as Godot 3's `var p: T setget s, g`, or null for another line. */
function property(code) {
  const m = PROPERTY.exec(code);
  if (!m || m[3] === m[5]) return null;
  const acc = { [m[3]]: m[4], ...(m[5] ? { [m[5]]: m[6] } : {}) };
  return { name: m[2], code: `${m[1]} setget ${acc.set ?? ''}${acc.get ? `, ${acc.get}` : ''}${code.slice(code.trimEnd().length)}` };
}

/**
 * Godot 4 runs a property's accessors also inside its own script, Godot 3 only from outside (or
 * through self.): a script that used its own property would read and write the bare field in
 * Godot 3. Refuse that; the script uses the field behind the accessors.
 */
function checkOwnProperties(lines, where) {
  const names = lines.map((l) => property(l.slice(0, commentStart(l)))?.name).filter(Boolean);
  for (const name of names) {
    const bare = new RegExp(`(?<![.\\w])${name}\\b`);
    for (const [n, line] of lines.entries()) {
      const code = line.slice(0, commentStart(line)).replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
      if (property(code)?.name === name || /^\s*signal\s/.test(code)) continue;
      if (bare.test(code)) throw new Error(`${where}:${n + 1}: uses its own property ${name}, whose accessors Godot 3 skips inside the script: use the field behind them`);
    }
  }
}

/** One Godot 4 script as Godot 3 GDScript. */
export function toGodot3(src, where = 'script') {
  const co = coroutines(src);
  checkOwnProperties(src.split('\n'), where);
  let kept = false;
  const out = [];
  for (const [n, line] of src.split('\n').entries()) {
    const cut = commentStart(line);
    let code = line.slice(0, cut);
    const comment = line.slice(cut);
    const at = `${where}:${n + 1}`;
    const indent = /^\s*/.exec(code)[0];
    // A Callable that may or may not be a coroutine: Godot 3 yields only on a function state.
    const maybe = /^(\s*)var (\w+) = await ([\w.]+)\.call\((.*)\)\s*$/.exec(code);
    if (maybe) {
      const [, ind, v, f, args] = maybe;
      out.push(`${ind}var ${v} = ${f}.call_func(${args})${comment}`, `${ind}if ${v} is GDScriptFunctionState:`, `${ind}\t${v} = yield(${v}, "completed")`);
      continue;
    }
    const prop = property(code);
    if (prop) {
      out.push(prop.code + comment);
      continue;
    }
    const statement = /^(\w+)\(.*\)\s*$/.exec(code.trim());
    if (statement && co.has(statement[1]) && closeOf(code, code.indexOf('(')) === code.trimEnd().length) {
      code = `${indent}_keep(${code.trim()})`;
      kept = true;
    }
    code = translateAwaits(code, at);
    code = translateSignals(code, at);
    for (const [re, to] of SIMPLE) code = code.replace(re, to);
    const bare = code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    for (const re of GODOT4_LEFT) if (re.test(bare)) throw new Error(`${at}: Godot 4 code the Godot 3 translation does not know: ${line.trim()}`);
    out.push(code + comment);
  }
  let text = out.join('\n');
  if (kept) {
    text = `${text.replace(/\n+$/, '')}\n\n\n# Godot 3 frees a running coroutine that nothing holds: fire-and-forget ones are kept here.\nvar _running := []\n\n\nfunc _keep(coroutine) -> void:\n\tif coroutine is GDScriptFunctionState:\n\t\tvar alive := []\n\t\tfor c in _running:\n\t\t\tif c.is_valid():\n\t\t\t\talive.append(c)\n\t\talive.append(coroutine)\n\t\t_running = alive\n`;
  }
  return text;
}

function gdFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...gdFiles(p));
    else if (p.endsWith('.gd')) out.push(p);
  }
  return out;
}

/**
 * Every file of both assembled addons and examples: [{path (from the repository root), text}].
 * `root` is the repository root.
 */
export function assembleGodot(root) {
  const src = join(root, 'engines', 'godot', 'src');
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  const out = [];
  for (const version of ['4', '3']) {
    const dest = join('engines', 'godot', `godot${version}`);
    const add = (from, to, text) => out.push({ path: join(dest, to), text: GENERATED(from, version) + (version === '3' ? toGodot3(text, from) : text) });
    for (const f of gdFiles(join(src, 'addons'))) add(relative(src, f), relative(src, f), readFileSync(f, 'utf8'));
    for (const f of gdFiles(join(src, 'example'))) add(relative(src, f), relative(src, f), readFileSync(f, 'utf8'));
    // Only the API calls that differ: already in that version's GDScript.
    const api = join(src, `godot${version}`, 'godot_api.gd');
    out.push({ path: join(dest, 'addons', 'nakama_rejoin', 'godot_api.gd'), text: GENERATED(relative(src, api), version) + readFileSync(api, 'utf8') });
    out.push({ path: join(dest, 'addons', 'nakama_rejoin', 'LICENSE'), text: license });
  }
  return out;
}

/** The test driver's scripts for one Godot version: [{name, text}] (test/engines/godot). */
export function assembleDriver(root, version) {
  const dir = join(root, 'test', 'engines', 'godot');
  const files = [{ name: 'driver.gd', text: readFileSync(join(dir, 'driver.gd'), 'utf8') }];
  files.push({ name: 'driver_api.gd', text: readFileSync(join(dir, `godot${version}`, 'driver_api.gd'), 'utf8') });
  return files.map((f) => ({ name: f.name, text: version === 3 && f.name === 'driver.gd' ? toGodot3(f.text, f.name) : f.text }));
}

/** Files of the assembled addons that differ from what assembleGodot writes, missing, or extra. */
export function staleGodotFiles(root) {
  const want = new Map(assembleGodot(root).map((f) => [f.path, f.text]));
  const stale = [];
  for (const [path, text] of want) {
    const p = join(root, path);
    if (!existsSync(p)) stale.push(`${path} (missing)`);
    else if (readFileSync(p, 'utf8') !== text) stale.push(path);
  }
  for (const v of ['godot3', 'godot4']) {
    const dir = join(root, 'engines', 'godot', v);
    if (!existsSync(dir)) continue;
    for (const f of allFiles(dir)) if (!want.has(relative(root, f))) stale.push(`${relative(root, f)} (not from the source)`);
  }
  return stale;
}

function allFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}
