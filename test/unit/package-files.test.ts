// What `npm publish` would upload: the built entries, the command line, the docs a user of the
// package reads, the changelog and license, and nothing else (no sources, tests, benchmarks or
// deploy files). Packed as npm packs (`npm pack --dry-run`), from the dist/ that `npm ci` built.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

function packedFiles(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path).sort();
}

/** Every file an `exports` condition or `bin` names. */
function targets(node: unknown): string[] {
  if (typeof node === 'string') return [node.replace(/^\.\//, '')];
  if (node === null || typeof node !== 'object') return [];
  return Object.values(node).flatMap(targets);
}

describe('npm package', () => {
  it.runIf(existsSync('dist'))('packs the built entries, the command line, the user docs, changelog and license, nothing else', () => {
    const files = packedFiles();
    const allowed = (f: string) => f.startsWith('dist/') || ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(f) || (f.startsWith('docs/') && pkg.files.includes(f));
    expect(files.filter((f) => !allowed(f))).toEqual([]);
    for (const f of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) expect(files).toContain(f);
    for (const f of pkg.files.filter((f: string) => f.endsWith('.md'))) expect(files).toContain(f);
    // Whatever the manifest points at is in the tarball.
    for (const t of [...targets(pkg.exports), ...targets(pkg.bin)]) expect(files, t).toContain(t);
    // Docs the packed docs link to are packed too, so their links work from the registry's copy.
    for (const doc of files.filter((f) => f.startsWith('docs/'))) {
      for (const [, link] of readFileSync(doc, 'utf8').matchAll(/\]\(([a-z-]+\.md)(?:#[^)]*)?\)/g)) expect(files, `${doc} links ${link}`).toContain(`docs/${link}`);
    }
  });

  it('has a changelog entry for its version, and says what it is to a registry', () => {
    expect(readFileSync('CHANGELOG.md', 'utf8')).toMatch(new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
    expect(readFileSync('CHANGELOG.md', 'utf8')).toMatch(/^## Version policy$/m);
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync('LICENSE', 'utf8')).toContain('Apache License');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['nakama']));
    expect(pkg.description.length).toBeGreaterThan(20);
    expect(pkg.private).toBeUndefined();
  });
});
