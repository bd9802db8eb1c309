// The Grafana dashboard (deploy/grafana/dashboards/rejoin.json) plots only metrics the module
// emits, with labels those metrics carry. What the module emits is read from its source: every
// counter (`fx.count`, `countTotal`) and timer (`fx.time`, `timeSeconds`) call, its name and the
// keys of its tags, published by Nakama as nakama_custom_<name>_total and
// nakama_custom_<name>_seconds (see src/runtime/metrics.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type Emitted = Map<string, Set<string>>; // Prometheus name → label names

/** Calls that emit a metric: callee → [kind, index of the name argument]. */
const EMITTERS: Record<string, ['counter' | 'timer', number]> = {
  'fx.count': ['counter', 0],
  'fx.time': ['timer', 0],
  countTotal: ['counter', 1],
  timeSeconds: ['timer', 1],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function emittedMetrics(): Emitted {
  const emitted: Emitted = new Map();
  for (const file of sourceFiles('src')) {
    if (file === join('src', 'runtime', 'metrics.ts')) continue; // the emitters themselves
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const consts = new Map<string, string>();
    const calls: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isStringLiteral(n.initializer)) consts.set(n.name.text, n.initializer.text);
      if (ts.isCallExpression(n) && EMITTERS[n.expression.getText(sf)]) calls.push(n);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    for (const call of calls) {
      const [kind, at] = EMITTERS[call.expression.getText(sf)];
      const nameArg = call.arguments[at];
      const tagsArg = call.arguments[at + 1];
      // Passed through (apply-effects.ts hands on the core's effects): counted at the core's call.
      if (ts.isPropertyAccessExpression(nameArg) && !ts.isObjectLiteralExpression(tagsArg)) continue;
      const name = ts.isStringLiteral(nameArg) ? nameArg.text : ts.isIdentifier(nameArg) ? consts.get(nameArg.text) : undefined;
      // A name or tags computed at run time would escape this check: the module has none, keep it so.
      expect(name, `${file}: ${call.getText(sf)}`).toMatch(/^rejoin_[a-z_]+$/);
      expect(ts.isObjectLiteralExpression(tagsArg), `${file}: ${call.getText(sf)}`).toBe(true);
      const labels = (tagsArg as ts.ObjectLiteralExpression).properties.map((p) => p.name!.getText(sf));
      const metric = `nakama_custom_${name}_${kind === 'counter' ? 'total' : 'seconds'}`;
      const known = emitted.get(metric) ?? new Set<string>();
      for (const l of labels) known.add(l);
      emitted.set(metric, known);
    }
  }
  return emitted;
}

interface Query {
  panel: string;
  expr: string;
}

function dashboardQueries(): Query[] {
  const dashboard = JSON.parse(readFileSync('deploy/grafana/dashboards/rejoin.json', 'utf8'));
  return (dashboard.panels as { title: string; targets?: { expr: string }[] }[]).flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

/** Labels every series of a name has besides its own: Nakama's node, and a summary's quantile. */
function implicitLabels(metric: string): string[] {
  return metric.endsWith('_seconds') ? ['node_name', 'quantile'] : ['node_name'];
}

describe('Grafana dashboard', () => {
  const emitted = emittedMetrics();
  const queries = dashboardQueries();

  it('reads the module\'s metrics from its source', () => {
    // The core's counters and the runtime's timers are both found, with their labels.
    expect(emitted.get('nakama_custom_rejoin_join_attempts_total')).toEqual(new Set(['mode', 'kind', 'outcome']));
    expect(emitted.get('nakama_custom_rejoin_checkpoint_write_seconds')).toEqual(new Set(['outcome']));
    expect(emitted.size).toBeGreaterThan(10);
  });

  it('has queries, each on at least one metric', () => {
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect(q.expr.match(/\bnakama_[a-z0-9_]+/g), q.panel).not.toBeNull();
  });

  it('plots only metrics the module emits, by labels those metrics carry', () => {
    const problems: string[] = [];
    for (const { panel, expr } of queries) {
      const metrics = expr.match(/\bnakama_[a-z0-9_]+/g) ?? [];
      for (const m of metrics) {
        // A summary is also read through its _sum and _count series.
        const base = emitted.has(m) ? m : m.replace(/_(sum|count)$/, '');
        if (!emitted.has(base)) {
          problems.push(`${panel}: ${m} is not a metric the module emits`);
          continue;
        }
        const labels = new Set([...emitted.get(base)!, ...implicitLabels(base)]);
        const matchers = [...expr.matchAll(new RegExp(`${m}\\{([^}]*)\\}`, 'g'))].flatMap((x) => x[1].split(',').map((s) => s.trim().split(/[=!~]/)[0]).filter(Boolean));
        for (const l of matchers) if (!labels.has(l)) problems.push(`${panel}: ${m} has no label ${l}`);
      }
      // Grouping labels must be carried by every metric the query groups.
      const grouped = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((x) => x[1].split(',').map((s) => s.trim()).filter(Boolean));
      for (const l of grouped) {
        for (const m of metrics) {
          const base = emitted.has(m) ? m : m.replace(/_(sum|count)$/, '');
          if (emitted.has(base) && !emitted.get(base)!.has(l) && !implicitLabels(base).includes(l)) problems.push(`${panel}: groups by ${l}, which ${m} does not carry`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
