import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createMetrics } from '../../src/metrics/registry';
import { parsePrometheusText } from '../support/prometheus-text';

const ROOT = join(__dirname, '..', '..');

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: { readonly expr: string }[];
}

describe('the sample Grafana dashboard (manifests/grafana/steady-dashboard.json)', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'manifests/grafana/steady-dashboard.json'), 'utf8')) as {
    title: string;
    uid: string;
    panels: Panel[];
  };

  test('asks only for metrics Steady exports, under their names', async () => {
    const metrics = createMetrics();
    metrics.recorder.jobs.started('k', 0);
    metrics.recorder.jobs.ended('k', 'done');
    metrics.recorder.platformCalls.called({ platform: 'slack', method: 'm', outcome: 'rate_limited', seconds: 0, retryAfterMs: 1000 });
    metrics.observeRequest({ method: 'GET', route: '/', status: 200, seconds: 0 });
    const exported = new Set(
      [
        ...parsePrometheusText(
          await metrics.render({
            outbox: { sent: 0, failed: 0, inDoubt: 0, foundInDoubt: 0, resentInDoubt: 0 },
            jobs: { due: 0, running: 0, later: 0 },
            escalations: {
              SEV1: { open: 0, overdue: 0 },
              SEV2: { open: 0, overdue: 0 },
              SEV3: { open: 0, overdue: 0 },
              SEV4: { open: 0, overdue: 0 },
            },
            prompts: { sent: 0, answered: 0 },
          }),
        ).values(),
      ].flatMap((f) => f.samples.map((s) => s.name)),
    );
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(queries.length).toBeGreaterThan(20);
    const asked = new Set(queries.flatMap((q) => q.match(/\b(?:steady|process|nodejs)_[a-z0-9_]+/g) ?? []));
    expect([...asked].filter((name) => !exported.has(name))).toEqual([]);
  });

  test('has a row of panels for each group, and every panel a query', () => {
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title.split(' (')[0]);
    expect(rows).toEqual(['Escalations', 'Stand-ups', 'Jobs', 'Platform calls', 'Delivery', 'HTTP', 'Process']);
    expect(dashboard.panels.filter((p) => p.type !== 'row').every((p) => (p.targets?.length ?? 0) > 0)).toBe(true);
  });
});

describe('boundary', () => {
  test('only src/metrics/registry.ts imports prom-client: the workflows, the scheduler and the adapters get the recorder', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
      });
    const importers = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'adapters'))]
      .filter((path) => /from 'prom-client'|require\('prom-client'\)/.test(readFileSync(path, 'utf8')))
      .map((path) => path.slice(ROOT.length + 1));
    expect(importers).toEqual(['src/metrics/registry.ts']);
  });
});
