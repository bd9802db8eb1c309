// `nakama-rejoin check-config`: the server's start-up checks, offline, with the same messages.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkConfigFiles } from '../../cli/check-config';
import { checkpointMaxAgeSec } from '../../src/runtime/env';

const dir = mkdtempSync(join(tmpdir(), 'check-config-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('check-config', () => {
  it('accepts the repository\'s own configs, alone and merged as the server merges them', () => {
    const prod = checkConfigFiles(['local.yml']);
    expect(prod.ok).toBe(true);
    expect(prod.lines[0]).toMatch(/^REJOIN_MODES: 3 modes \(ranked, coop, casual\)$/);
    const both = checkConfigFiles(['local.yml', 'test/nakama-test.yml']);
    expect(both.ok).toBe(true);
    expect(both.lines[0]).toMatch(/e2e/);
  });

  it('names the mode and the field of a bad mode table, as the server does when it refuses to start', () => {
    const bad = file('bad.yml', `runtime:\n  env:\n    - 'REJOIN_MODES={"duel":{"seats":2,"roundSec":60,"graceSec":-1}}'\n`);
    const r = checkConfigFiles([bad]);
    expect(r.ok).toBe(false);
    expect(r.lines.at(-1)).toBe('REJOIN_MODES mode "duel" field "graceSec": must be a number of seconds above 0 and at most 86400, or "manual" (got -1)');
  });

  it('checks the other settings too', () => {
    const bad = file('coins.yml', `runtime:\n  env:\n    - 'START_COINS=lots'\n`);
    const r = checkConfigFiles([bad]);
    expect(r.ok).toBe(false);
    expect(r.lines.at(-1)).toMatch(/START_COINS/);
  });

  it('refuses a checkpoint age limit shorter than a mode\'s lease and grace window', () => {
    // A crashed match is restored only after its lease; its players come back for their grace
    // window: a checkpoint refused as too old before then loses their seats.
    const modes = `'REJOIN_MODES={"duel":{"seats":2,"roundSec":600,"graceSec":20,"checkpointSec":1},"lobby":{"seats":4,"roundSec":600,"graceSec":"manual"}}'`;
    const short = checkConfigFiles([file('age.yml', `runtime:\n  env:\n    - ${modes}\n    - 'REJOIN_CHECKPOINT_MAX_AGE_SEC=20'\n`)]);
    expect(short.ok).toBe(false);
    expect(short.lines.at(-1)).toBe('REJOIN_CHECKPOINT_MAX_AGE_SEC (20) must be at least 23: a crashed match of mode "duel" is taken over 3 s after its last checkpoint, and its players may come back for 20 s');
    expect(checkConfigFiles([file('age-ok.yml', `runtime:\n  env:\n    - ${modes}\n    - 'REJOIN_CHECKPOINT_MAX_AGE_SEC=23'\n`)]).ok).toBe(true);
  });

  it('leaves the checkpoint age limit unset long enough for the longest window', () => {
    const env = { REJOIN_MODES: JSON.stringify({ long: { seats: 2, roundSec: 600, graceSec: 7200 } }) };
    expect(checkpointMaxAgeSec({ env } as unknown as nkruntime.Context)).toBe(7215);
    expect(checkpointMaxAgeSec({ env: {} } as unknown as nkruntime.Context)).toBe(1800);
    expect(checkConfigFiles([file('long.yml', `runtime:\n  env:\n    - 'REJOIN_MODES=${env.REJOIN_MODES}'\n`)]).ok).toBe(true);
  });

  describe('the built command', () => {
    beforeAll(() => {
      execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'pipe' });
    });

    it('exits 0 on a good config, 1 on a bad one, 2 on a usage error', () => {
      const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/nakama-rejoin.cjs', ...args], { encoding: 'utf8' });
      const good = run('check-config', 'local.yml');
      expect(good.status).toBe(0);
      expect(good.stdout).toMatch(/ok: local.yml/);
      const bad = run('check-config', file('bad2.yml', `runtime:\n  env:\n    - 'REJOIN_MODES={"x":{"seats":99,"roundSec":60,"graceSec":5}}'\n`));
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/mode "x" field "seats"/);
      expect(run('frobnicate').status).toBe(2);
      expect(run('check-config', join(dir, 'missing.yml')).status).toBe(2);
    });
  });
});
