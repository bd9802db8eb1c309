// Finds each engine's SDK and toolchain, builds what has to be built in a temporary folder
// outside the repository, and says how to start the engine's driver.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { lowerUsingDeclarations } from './sdk-compat';
import { checkGodot4, sharedGodotFiles } from './godot4-check';

export interface Prepared {
  command: string;
  args: string[];
  cwd?: string;
  /** Files the driver compiles and runs: the guide's snippets must come from these. */
  ranFiles: string[];
  /** Files only parsed and checked (the Godot 4 addon): snippets from these are labelled so. */
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

export async function prepareGodot(): Promise<Prepared | { missing: string }> {
  const missing: string[] = [];
  const godot = which('godot3-server') ?? which('godot3');
  if (!godot) missing.push('Godot 3 (godot3-server: apt-get install godot3-server)');
  const sdk = sdkDir('NAKAMA_GODOT_DIR', '/opt/sdk/nakama-godot', 'addons/com.heroiclabs.nakama/Nakama.gd');
  if (!sdk.dir) missing.push(`nakama-godot, Godot 3 line (a checkout of heroiclabs/nakama-godot v3.3.1: ${sdk.looked})`);
  if (missing.length) return { missing: missing.join('; ') };
  const notes: string[] = [];
  const checks = { passed: [] as string[], failed: [] as string[] };
  const project = mkdtempSync(join(tmpdir(), 'rejoin-godot-'));
  // Installed the way a Godot team installs addons: both folders copied under addons/.
  cpSync(join(sdk.dir!, 'addons', 'com.heroiclabs.nakama'), join(project, 'addons', 'com.heroiclabs.nakama'), { recursive: true });
  cpSync(root('engines/godot/godot3/addons/nakama_rejoin'), join(project, 'addons', 'nakama_rejoin'), { recursive: true });
  for (const dir of [root('engines/godot/godot3/example'), root('test/engines/godot')]) for (const f of readdirSync(dir)) if (f.endsWith('.gd')) cpSync(join(dir, f), join(project, f));
  writeFileSync(join(project, 'project.godot'), projectFile(project));
  notes.push(`nakama-godot ${sdkVersion(sdk.dir!)} from ${sdk.dir}, ${spawnSync(godot!, ['--version'], { encoding: 'utf8' }).stdout.trim()} headless`);

  // The files both addons share must stay the same file: Godot 4 runs exactly what ran here.
  const shared = sharedGodotFiles(root('engines/godot'));
  (shared.different.length === 0 ? checks.passed : checks.failed).push(
    shared.different.length === 0 ? `the Godot 3 and Godot 4 addons share ${shared.same.length} files byte for byte (${shared.same.join(', ')})` : `shared files differ between the addons: ${shared.different.join(', ')}`,
  );
  const g4 = checkGodot4(root('engines/godot/godot4/addons/nakama_rejoin'), root('engines/godot/godot4'));
  notes.push(...g4.notes);
  checks.passed.push(...g4.passed);
  checks.failed.push(...g4.failed);

  const ranFiles = [...files(root('engines/godot/godot3'), '.gd'), ...files(root('test/engines/godot'), '.gd')];
  return { command: godot!, args: ['--path', project, '--script', 'res://driver.gd'], cwd: project, ranFiles, parsedFiles: g4.files, notes, checks };
}

/**
 * project.godot for a headless run. Running a script has no editor import to list the addons'
 * class_name scripts, so they are listed here as the editor would, and the Nakama singleton is
 * an autoload as nakama-godot's README asks.
 */
function projectFile(project: string): string {
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
