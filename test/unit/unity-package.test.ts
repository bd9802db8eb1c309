// The Unity package as its ecosystem expects it: the npm package's version (one release, one
// contract), a changelog entry for that version, and the project's license.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; license: string };
const unity = JSON.parse(readFileSync('engines/unity/package.json', 'utf8')) as { version: string; license: string };
const changelog = readFileSync('engines/unity/CHANGELOG.md', 'utf8');

/** What is out of step between the npm package and the Unity package, one line each. */
function outOfStep(npm: { version: string; license: string }, upm: { version: string; license: string }, changes: string): string[] {
  const problems: string[] = [];
  if (upm.version !== npm.version) problems.push(`engines/unity/package.json: version ${upm.version}, package.json: ${npm.version}`);
  if (upm.license !== npm.license) problems.push(`engines/unity/package.json: license ${upm.license}, package.json: ${npm.license}`);
  const latest = /^## \[([^\]]+)\]/m.exec(changes)?.[1];
  if (latest !== npm.version) problems.push(`engines/unity/CHANGELOG.md: latest entry ${latest ?? '(none)'}, package.json: ${npm.version}`);
  return problems;
}

describe('engines/unity', () => {
  it('has the npm package version and license, and a changelog entry for that version', () => {
    expect(outOfStep(root, unity, changelog)).toEqual([]);
  });

  it('is found out of step when one version moves without the other', () => {
    expect(outOfStep({ ...root, version: '0.2.0' }, unity, changelog)).toEqual([
      `engines/unity/package.json: version ${unity.version}, package.json: 0.2.0`,
      `engines/unity/CHANGELOG.md: latest entry ${unity.version}, package.json: 0.2.0`,
    ]);
  });

  it('ships the project license (Apache-2.0) as LICENSE.md', () => {
    const license = readFileSync('LICENSE', 'utf8');
    expect(root.license).toBe('Apache-2.0');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(readFileSync('engines/unity/LICENSE.md', 'utf8')).toBe(license);
  });
});
