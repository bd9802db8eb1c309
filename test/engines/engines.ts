// Finds each engine's SDK and toolchain, builds what has to be built in a temporary folder
// outside the repository, and says how to start the engine's driver.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { lowerUsingDeclarations } from './sdk-compat';
import { checkGodotScripts, sdkAddon } from './godot-check';
import { assembleDriver } from '../../scripts/godot-assemble.mjs';

export interface Prepared {
  command: string;
  args: string[];
  cwd?: string;
  /** Files the driver compiles and runs: the guide's snippets must come from these. */
  ranFiles: string[];
  /** Files not run by this engine (Unity glue compiled against stand-ins; the other Godot's addon). */
  parsedFiles: string[];
  notes: string[];
  checks: { passed: string[]; failed: string[] };
}

const root = (...p: string[]) => join(findRoot(), ...p);

/** The repository root, whether this file runs from test/engines or from a bundle elsewhere. */
export function findRoot(): string {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'engines', 'unity', 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('run from inside the nakama-rejoin repository');
    dir = up;
  }
  return dir;
}

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** An SDK checkout: the env var, or the default folder (a link to the tag in use). */
function sdkDir(envVar: string, fallback: string, marker: string): { dir: string | null; looked: string } {
  const fromEnv = process.env[envVar];
  const dir = fromEnv || fallback;
  const looked = fromEnv ? `${envVar}=${fromEnv}` : `${envVar} unset and no ${fallback}`;
  return { dir: existsSync(join(dir, marker)) ? realpathSync(dir) : null, looked };
}

/** The newest version a checkout's CHANGELOG names. */
function sdkVersion(dir: string): string {
  try {
    const m = /^## \[(\d+\.\d+\.\d+)\]/m.exec(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8'));
    return m ? m[1] : 'unknown';
  } catch {
    return 'unknown';
  }
}

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

function mcs(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('mcs', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l.includes('error'))
    .join('\n');
  return { ok: r.status === 0, out };
}

// ---- Unity ------------------------------------------------------------------------------------

export async function prepareUnity(): Promise<Prepared | { missing: string }> {
  const missing: string[] = [];
  if (!which('mcs') || !which('mono')) missing.push('Mono (mcs and mono: apt-get install mono-devel)');
  const sdk = sdkDir('NAKAMA_DOTNET_DIR', '/opt/sdk/nakama-dotnet', 'Nakama/Client.cs');
  if (!sdk.dir) missing.push(`nakama-dotnet (a checkout of heroiclabs/nakama-dotnet: ${sdk.looked})`);
  if (missing.length) return { missing: missing.join('; ') };
  const work = mkdtempSync(join(tmpdir(), 'rejoin-unity-'));
  const notes: string[] = [];
  const checks = { passed: [] as string[], failed: [] as string[] };

  // The SDK, as Unity users get it: compiled from its sources. C# 8 using declarations are
  // lowered to C# 7 using statements with the same scope, and `out var` in the one async method
  // that mcs cannot compile gets its type spelled out (see sdk-compat.ts).
  const sdkCopy = join(work, 'sdk');
  cpSync(join(sdk.dir!, 'Nakama'), sdkCopy, { recursive: true });
  const adapter = join(sdkCopy, 'HttpRequestAdapter.cs');
  if (existsSync(adapter)) {
    const src = readFileSync(adapter, 'utf8');
    const lowered = lowerUsingDeclarations(src).replace(/out var (value\d*)\)/g, 'out object $1)');
    if (lowered !== src) notes.push('nakama-dotnet: HttpRequestAdapter.cs lowered to C# 7 for mcs (using declarations, out var)');
    writeFileSync(adapter, lowered);
  }
  const sdkBuild = mcs([
    '-langversion:experimental',
    '-target:library',
    '-nowarn:1591,0618,0612,0414,0649,0169,0067,0108,0114,1998,4014',
    '-r:System.Net.Http.dll',
    '-r:System.Runtime.Serialization.dll',
    `-out:${join(work, 'Nakama.dll')}`,
    `-recurse:${sdkCopy}/*.cs`,
  ]);
  if (!sdkBuild.ok) return { missing: `nakama-dotnet ${sdkVersion(sdk.dir!)} at ${sdk.dir} does not compile with this mcs:\n${sdkBuild.out}` };
  notes.push(`nakama-dotnet ${sdkVersion(sdk.dir!)} from ${sdk.dir}, Mono ${spawnSync('mono', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}`);

  const runtime = files(root('engines/unity/Runtime'), '.cs');
  const core = runtime.filter((f) => !f.includes('/Runtime/Unity/'));
  const glue = runtime.filter((f) => f.includes('/Runtime/Unity/'));
  const sample = files(root('engines/unity/Samples~'), '.cs');
  const sampleLogic = sample.filter((f) => basename(f) !== 'QuickStart.cs');
  const driver = files(root('test/engines/unity'), '.cs').filter((f) => !f.includes('/stubs/'));

  // The core has no engine references (its asmdef says so): it must build without UnityEngine.
  const coreBuild = mcs(['-target:library', `-r:${join(work, 'Nakama.dll')}`, '-r:System.Net.Http.dll', `-out:${join(work, 'NakamaRejoin.dll')}`, ...core]);
  (coreBuild.ok ? checks.passed : checks.failed).push(`Runtime/ compiles against nakama-dotnet without UnityEngine${coreBuild.ok ? '' : `:\n${coreBuild.out}`}`);
  // The Unity glue and the sample's MonoBehaviour, against stand-ins of the UnityEngine and
  // nakama-unity members they use (test/engines/unity/stubs): a check of the calls, not of Unity.
  const stubs = files(root('test/engines/unity/stubs'), '.cs');
  const glueBuild = mcs(['-target:library', `-r:${join(work, 'Nakama.dll')}`, `-r:${join(work, 'NakamaRejoin.dll')}`, '-r:System.Net.Http.dll', `-out:${join(work, 'Glue.dll')}`, ...stubs, ...glue, ...sample]);
  (glueBuild.ok ? checks.passed : checks.failed).push(`Runtime/Unity and Samples~ compile against stand-ins of UnityEngine${glueBuild.ok ? '' : `:\n${glueBuild.out}`}`);

  const exe = join(work, 'driver.exe');
  const driverBuild = mcs(['-target:exe', `-r:${join(work, 'Nakama.dll')}`, '-r:System.Net.Http.dll', `-out:${exe}`, ...core, ...sampleLogic, ...driver]);
  if (!driverBuild.ok) {
    checks.failed.push(`the console driver does not compile:\n${driverBuild.out}`);
    return { command: 'true', args: [], ranFiles: [], parsedFiles: [], notes, checks };
  }
  // Nakama.dll beside the driver, as mono looks for it.
  return { command: 'mono', args: ['--debug', exe], cwd: work, ranFiles: [...core, ...sampleLogic, ...driver], parsedFiles: [...glue, ...sample.filter((f) => !sampleLogic.includes(f))], notes, checks };
}

// ---- Godot ------------------------------------------------------------------------------------

/** Godot 4: GODOT4_BIN, else `godot4` or `godot` on PATH, if it reports a 4.x version. */
function findGodot4(): { bin: string | null; looked: string } {
  const fromEnv = process.env.GODOT4_BIN;
  const candidates = fromEnv ? [fromEnv] : [which('godot4'), which('godot')].filter((c): c is string => c !== null);
  for (const bin of candidates) if (/^4\./.test(godotVersion(bin))) return { bin, looked: '' };
  const looked = fromEnv ? `GODOT4_BIN=${fromEnv} does not run as Godot 4.x (${godotVersion(fromEnv) || 'no version'})` : 'GODOT4_BIN unset and no godot4 or godot 4.x on PATH';
  return { bin: null, looked };
}

function godotVersion(bin: string): string {
  const r = spawnSync(bin, ['--headless', '--version'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim().split('\n').pop()!.trim() : '';
}

export const prepareGodot = () => prepareGodotVersion(3);
export const prepareGodot4 = () => prepareGodotVersion(4);

async function prepareGodotVersion(version: 3 | 4): Promise<Prepared | { missing: string }> {
  const missing: string[] = [];
  let godot: string | null;
  if (version === 3) {
    godot = which('godot3-server') ?? which('godot3');
    if (!godot) missing.push('Godot 3 (godot3-server: apt-get install godot3-server)');
  } else {
    const found = findGodot4();
    godot = found.bin;
    if (!godot) missing.push(`Godot 4 (${found.looked}; on these machines GODOT4_BIN=../shared/engines/godot4 after \`../shared/engines/godot4 install\`)`);
  }
  const sdk = version === 3 ? sdkDir('NAKAMA_GODOT_DIR', '/opt/sdk/nakama-godot', 'addons/com.heroiclabs.nakama/Nakama.gd') : sdkDir('NAKAMA_GODOT4_DIR', '/opt/sdk/nakama-godot4', 'addons/com.heroiclabs.nakama/Nakama.gd');
  if (!sdk.dir) missing.push(`nakama-godot, Godot ${version} line (a checkout of heroiclabs/nakama-godot ${version === 3 ? 'v3.3.1' : 'v3.4.0 or later'}: ${sdk.looked})`);
  if (missing.length) return { missing: missing.join('; ') };
  const notes: string[] = [];
  const assembled = root('engines', 'godot', `godot${version}`);
  const checks = checkGodotScripts(version, assembled, sdkAddon(sdk.dir!)!);
  const project = mkdtempSync(join(tmpdir(), `rejoin-godot${version}-`));
  // Installed the way a Godot team installs addons: both folders copied under addons/.
  cpSync(join(sdk.dir!, 'addons', 'com.heroiclabs.nakama'), join(project, 'addons', 'com.heroiclabs.nakama'), { recursive: true });
  cpSync(join(assembled, 'addons', 'nakama_rejoin'), join(project, 'addons', 'nakama_rejoin'), { recursive: true });
  for (const f of readdirSync(join(assembled, 'example'))) if (f.endsWith('.gd')) cpSync(join(assembled, 'example', f), join(project, f));
  // The driver: one source, translated for Godot 3 as the addon is.
  for (const f of assembleDriver(findRoot(), version)) writeFileSync(join(project, f.name), f.text);
  const versionLine = godotVersion(godot!);
  notes.push(`nakama-godot ${sdkVersion(sdk.dir!)} from ${sdk.dir}, Godot ${versionLine} (${godot}) headless`);
  const ranFiles = [...files(assembled, '.gd'), join(project, 'driver.gd')];
  // The guide shows both Godots' code: the other one's is run by that engine's run.
  const other = version === 3 ? 4 : 3;
  const otherDriver = join(project, `driver-godot${other}.txt`);
  writeFileSync(otherDriver, assembleDriver(findRoot(), other).find((f) => f.name === 'driver.gd')!.text);
  const otherFiles = [...files(root('engines', 'godot', `godot${other}`), '.gd'), otherDriver];
  if (version === 3) {
    writeFileSync(join(project, 'project.godot'), projectFile3(project));
  } else {
    writeFileSync(join(project, 'project.godot'), projectFile4());
    // Godot 4 reads global class names (class_name) from .godot/global_script_class_cache.cfg,
    // which the editor writes when it imports the project: done once, headless.
    const imported = spawnSync(godot!, ['--headless', '--path', project, '--import'], { encoding: 'utf8', timeout: 5 * 60_000 });
    const cache = join(project, '.godot', 'global_script_class_cache.cfg');
    const listed = existsSync(cache) ? readFileSync(cache, 'utf8') : '';
    if (!/"NakamaRejoinClient"/.test(listed)) {
      checks.failed.push(`the Godot 4 import did not list the addon's classes in .godot/global_script_class_cache.cfg (exit ${imported.status}):\n${`${imported.stdout}${imported.stderr}`.split('\n').filter((l) => /error/i.test(l)).slice(0, 20).join('\n')}`);
      return { command: 'true', args: [], ranFiles: [], parsedFiles: [], notes, checks };
    }
  }
  const args = version === 3 ? ['--path', project, '--script', 'res://driver.gd'] : ['--headless', '--path', project, '--script', 'res://driver.gd'];
  return { command: godot!, args, cwd: project, ranFiles, parsedFiles: otherFiles, notes, checks };
}

/**
 * project.godot for Godot 3. Running a script has no editor import to list the addons'
 * class_name scripts, so they are listed here as the editor would, and the Nakama singleton is
 * an autoload as nakama-godot's README asks.
 */
function projectFile3(project: string): string {
  const classes: { base: string; cls: string; path: string }[] = [];
  for (const f of files(join(project, 'addons'), '.gd')) {
    const src = readFileSync(f, 'utf8');
    const cls = /^class_name\s+(\w+)/m.exec(src);
    if (!cls) continue;
    const ext = /^extends\s+(\w+)/m.exec(src);
    classes.push({ base: ext ? ext[1] : 'Reference', cls: cls[1], path: `res://${relative(project, f)}` });
  }
  const list = classes.map((c) => `{\n"base": "${c.base}",\n"class": "${c.cls}",\n"language": "GDScript",\n"path": "${c.path}"\n}`).join(', ');
  const icons = classes.map((c) => `"${c.cls}": ""`).join(',\n');
  return `config_version=4\n\n_global_script_classes=[ ${list} ]\n_global_script_class_icons={\n${icons}\n}\n\n[application]\n\nconfig/name="nakama-rejoin engine test"\n\n[autoload]\n\nNakama="*res://addons/com.heroiclabs.nakama/Nakama.gd"\n`;
}

/** project.godot for Godot 4: the Nakama singleton as an autoload, as nakama-godot's README asks. */
function projectFile4(): string {
  return `config_version=5\n\n[application]\n\nconfig/name="nakama-rejoin engine test"\n\n[autoload]\n\nNakama="*res://addons/com.heroiclabs.nakama/Nakama.gd"\n`;
}
