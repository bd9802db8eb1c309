// Checks that need no engine: each package has the layout its engine installs from, and every
// code snippet of docs/unity.md and docs/godot.md is a region of code the tests compile and run
// (marked `docs:begin NAME` … `docs:end` in that code).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { findRoot } from './engines';
import { staleGodotFiles } from '../../scripts/godot-assemble.mjs';

type Tally = { passed: string[]; failed: string[] };


function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out.push(p);
    if (statSync(p).isDirectory()) out.push(...walk(p));
  }
  return out;
}

function record(t: Tally, problems: string[], what: string): void {
  if (problems.length === 0) t.passed.push(what);
  else t.failed.push(`${what}:\n  ${problems.join('\n  ')}`);
}

/** Unity: a UPM package (package.json, asmdefs, a .meta with a unique GUID for every asset). */
function unityLayout(root: string, t: Tally): void {
  const pkg = join(root, 'engines', 'unity');
  const problems: string[] = [];
  let manifest: { name?: string; version?: string; unity?: string; samples?: { path: string }[] } = {};
  try {
    manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  } catch (e) {
    problems.push(`package.json: ${(e as Error).message}`);
  }
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+){2,}$/.test(manifest.name ?? '')) problems.push(`package name "${manifest.name}" is not a lowercase reverse-domain name`);
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(manifest.version ?? '')) problems.push(`version "${manifest.version}" is not semver`);
  if (!/^\d{4}\.\d+$/.test(manifest.unity ?? '')) problems.push(`unity "${manifest.unity}" is not a Unity version like 2021.3`);
  for (const s of manifest.samples ?? []) if (!existsSync(join(pkg, s.path))) problems.push(`sample path ${s.path} does not exist`);
  const guids = new Map<string, string>();
  for (const p of walk(pkg)) {
    const rel = relative(pkg, p);
    // Unity imports nothing in folders ending in ~ (the samples are copied into Assets/ when imported).
    if (rel.split('/').some((part) => part.endsWith('~'))) continue;
    if (p.endsWith('.meta')) {
      if (!existsSync(p.slice(0, -'.meta'.length))) problems.push(`${rel} belongs to no asset`);
      continue;
    }
    if (p.endsWith('.asmdef')) {
      try {
        if (!JSON.parse(readFileSync(p, 'utf8')).name) problems.push(`${rel} has no name`);
      } catch (e) {
        problems.push(`${rel}: ${(e as Error).message}`);
      }
    }
    const meta = `${p}.meta`;
    if (!existsSync(meta)) {
      // In a package installed from git, Unity ignores an asset without its .meta.
      problems.push(`${rel} has no .meta`);
      continue;
    }
    const guid = /^guid: ([0-9a-f]{32})$/m.exec(readFileSync(meta, 'utf8'))?.[1];
    if (!guid) problems.push(`${rel}.meta has no guid`);
    else if (guids.has(guid)) problems.push(`${rel}.meta shares its guid with ${guids.get(guid)}`);
    else guids.set(guid, rel);
  }
  const core = JSON.parse(readFileSync(join(pkg, 'Runtime', 'NakamaRejoin.asmdef'), 'utf8'));
  if (core.noEngineReferences !== true) problems.push('Runtime/NakamaRejoin.asmdef must keep the logic free of UnityEngine (noEngineReferences)');
  record(t, problems, `engines/unity is a UPM package (${manifest.name} ${manifest.version}): manifest, asmdefs, a .meta with its own GUID for each of ${guids.size} assets`);
}

/**
 * Godot: the addon is one folder under addons/ whose scripts load only files inside it, with its
 * LICENSE and class names prefixed so as not to clash with a game's own, and it is what
 * `npm run build:godot` assembles from engines/godot/src.
 */
function godotLayout(root: string, version: 3 | 4, t: Tally): void {
  const v = `godot${version}`;
  const addon = join(root, 'engines', 'godot', v, 'addons', 'nakama_rejoin');
  const problems: string[] = [];
  if (!existsSync(join(addon, 'rejoin_client.gd'))) problems.push('no rejoin_client.gd');
  else if (!/^class_name NakamaRejoinClient$/m.test(readFileSync(join(addon, 'rejoin_client.gd'), 'utf8'))) problems.push('rejoin_client.gd does not declare class_name NakamaRejoinClient');
  if (!existsSync(join(addon, 'LICENSE'))) problems.push('no LICENSE');
  for (const f of walk(addon).filter((p) => p.endsWith('.gd'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^class_name\s+(\w+)/gm)) if (!m[1].startsWith('NakamaRejoin')) problems.push(`${relative(addon, f)}: class_name ${m[1]} has no NakamaRejoin prefix`);
    for (const m of src.matchAll(/preload\("([^"]+)"\)/g)) {
      const target = m[1].startsWith('res://addons/nakama_rejoin/') ? join(addon, m[1].slice('res://addons/nakama_rejoin/'.length)) : m[1].startsWith('res://') ? null : join(dirname(f), m[1]);
      if (!target || !existsSync(target)) problems.push(`${relative(addon, f)} loads ${m[1]}, which is not in the addon`);
    }
  }
  problems.push(...staleGodotFiles(root).filter((p) => p.startsWith(join('engines', 'godot', v))).map((p) => `out of date with engines/godot/src (npm run build:godot): ${p}`));
  record(t, problems, `engines/godot/${v}/addons/nakama_rejoin is a self-contained addon folder with its LICENSE, assembled from engines/godot/src`);
}

export function checkPackageLayout(engine: string): Tally {
  const t: Tally = { passed: [], failed: [] };
  const root = findRoot();
  if (engine === 'unity') unityLayout(root, t);
  else godotLayout(root, engine === 'godot4' ? 4 : 3, t);
  return t;
}

/** The `docs:begin` … `docs:end` regions of a file, dedented. */
function regions(file: string): string[] {
  const out: string[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  let current: string[] | null = null;
  for (const line of lines) {
    if (/^\s*(\/\/|#) docs:begin\b/.test(line)) current = [];
    else if (/^\s*(\/\/|#) docs:end\b/.test(line)) {
      if (current) out.push(dedent(current.join('\n')));
      current = null;
    } else if (current) current.push(line);
  }
  return out;
}

function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** Every csharp / gdscript block of the engine's guide is a region of code the tests use. */
export function checkDocs(engine: string, ran: string[], parsed: string[]): Tally {
  const t: Tally = { passed: [], failed: [] };
  const root = findRoot();
  const guide = `docs/${engine === 'godot4' ? 'godot' : engine}.md`;
  const doc = join(root, guide);
  const lang = engine === 'unity' ? 'csharp' : 'gdscript';
  const blocks = [...readFileSync(doc, 'utf8').matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => dedent(m[1]));
  const fromRan = new Set(ran.flatMap(regions));
  const fromParsed = new Set(parsed.flatMap(regions));
  const problems: string[] = [];
  let onlyParsed = 0;
  for (const b of blocks) {
    if (fromRan.has(b)) continue;
    if (fromParsed.has(b)) onlyParsed++;
    else problems.push(`a ${lang} block is not a docs:begin region of tested code:\n${b.split('\n').slice(0, 3).join('\n')}\n  …`);
  }
  if (blocks.length === 0) problems.push(`${guide} has no ${lang} block`);
  const how = onlyParsed ? `${blocks.length - onlyParsed} run here, ${onlyParsed} the other Godot's` : `${blocks.length} run`;
  record(t, problems, `${guide}: every ${lang} snippet is tested code (${how})`);
  return t;
}
