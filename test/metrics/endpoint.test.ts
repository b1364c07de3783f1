import { Writable } from 'node:stream';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import pino from 'pino';
import type { Database } from '../../db/schema';
import { loadConfig } from '../../src/config';
import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { createMetrics, type SteadyMetrics } from '../../src/metrics/registry';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text';

const TOKEN = 'metrics-token-0123456789abcdef';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function serve(
  options: { metrics?: SteadyMetrics; token?: string; log?: pino.Logger; db?: TestDatabase['db'] } = {},
): Promise<RunningServer & { get(path: string, headers?: Record<string, string>): Promise<Response> }> {
  const server = await listen(
    createHttpApp({
      db: options.db ?? database.db,
      log: options.log ?? silentLog,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.token ? { metricsToken: options.token } : {}),
    }),
    '127.0.0.1',
    0,
  );
  return Object.assign(server, {
    get: (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${server.port}${path}`, { headers }),
  });
}

describe('GET /metrics', () => {
  test('answers in the Prometheus text format: process metrics, HTTP, jobs, platform calls, escalations, prompts', async () => {
    const server = await serve();
    try {
      const res = await server.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8/);
      const families = parsePrometheusText(await res.text());
      for (const [name, type] of [
        ['process_resident_memory_bytes', 'gauge'],
        ['nodejs_heap_size_used_bytes', 'gauge'],
        ['steady_http_requests_total', 'counter'],
        ['steady_http_request_duration_seconds', 'histogram'],
        ['steady_job_runs_started_total', 'counter'],
        ['steady_job_runs_total', 'counter'],
        ['steady_job_lag_seconds', 'histogram'],
        ['steady_jobs_pending', 'gauge'],
        ['steady_platform_calls_total', 'counter'],
        ['steady_platform_call_duration_seconds', 'histogram'],
        ['steady_platform_rate_limited_total', 'counter'],
        ['steady_platform_retry_after_seconds', 'histogram'],
        ['steady_outbox_posts', 'gauge'],
        ['steady_escalations_open', 'gauge'],
        ['steady_escalations_overdue', 'gauge'],
        ['steady_standup_prompts_today', 'gauge'],
        ['steady_metrics_database_up', 'gauge'],
      ] as const) {
        expect({ name, type: families.get(name)?.type, help: Boolean(families.get(name)?.help) }).toEqual({ name, type, help: true });
      }
      expect(sampleValue(families, 'steady_metrics_database_up')).toBe(1);
      expect(sampleValue(families, 'steady_standup_prompts_today', { state: 'sent' })).toBe(0);

      // Scrapes at once (two Prometheus servers) each get every figure.
      const texts = await Promise.all(Array.from({ length: 5 }, async () => (await server.get('/metrics')).text()));
      for (const text of texts) expect(sampleValue(parsePrometheusText(text), 'steady_escalations_open', { severity: 'SEV4' })).toBe(0);
    } finally {
      await server.close();
    }
  });

  test('HTTP requests are counted by the route pattern that matched and the status, never by the URL', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const server = await serve({ metrics });
    try {
      await server.get('/healthz');
      await server.get('/healthz');
      await server.get('/escalations/ESC-42?user=alice');
      const families = parsePrometheusText(await (await server.get('/metrics')).text());
      expect(sampleValue(families, 'steady_http_requests_total', { method: 'GET', route: '/healthz', status: '200' })).toBe(2);
      expect(sampleValue(families, 'steady_http_request_duration_seconds_count', { method: 'GET', route: '/healthz' })).toBe(2);
      expect(sampleValue(families, 'steady_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
      const routes = families.get('steady_http_requests_total')!.samples.map((s) => s.labels.route);
      expect(routes.some((r) => r!.includes('ESC-42') || r!.includes('alice'))).toBe(false);

      // The scrape itself is counted once it is answered: the next scrape shows it.
      const again = parsePrometheusText(await (await server.get('/metrics')).text());
      expect(sampleValue(again, 'steady_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('when the database cannot be read, the process figures are still served and say so', async () => {
    // Nothing listens on port 1: every query fails at once.
    const pool = new Pool({ connectionString: 'postgres://steady@127.0.0.1:1/steady', connectionTimeoutMillis: 2_000 });
    const unreachable = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const server = await serve({ db: unreachable });
    try {
      const res = await server.get('/metrics');
      expect(res.status).toBe(200);
      const families = parsePrometheusText(await res.text());
      expect(sampleValue(families, 'steady_metrics_database_up')).toBe(0);
      expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(sampleValue(families, 'steady_escalations_open', { severity: 'SEV1' })).toBeUndefined();
    } finally {
      await server.close();
      await unreachable.destroy();
    }
  });
});

describe('METRICS_TOKEN', () => {
  test('without the token, or with a wrong one, a bare 401; with it, the figures; other routes are not asked', async () => {
    const logged: string[] = [];
    const log = pino(
      { level: 'trace' },
      new Writable({
        write: (chunk, _enc, done) => {
          logged.push(String(chunk));
          done();
        },
      }),
    );
    const server = await serve({ token: TOKEN, log });
    try {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: 'Bearer wrong' },
        { authorization: `Basic ${TOKEN}` },
        { authorization: TOKEN },
        { authorization: 'Bearer ' },
      ]) {
        const res = await server.get('/metrics', headers);
        expect({ headers, status: res.status }).toEqual({ headers, status: 401 });
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(await res.text()).toBe('');
      }
      const ok = await server.get('/metrics', { authorization: `Bearer ${TOKEN}` });
      expect(ok.status).toBe(200);
      expect(sampleValue(parsePrometheusText(await ok.text()), 'steady_http_requests_total', { route: '/metrics', status: '401' })).toBe(6);
      expect((await server.get('/healthz')).status).toBe(200);
      expect(logged.join('')).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  test('is an optional setting, kept secret in error messages', () => {
    expect(loadConfig({}).env.METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).env.METRICS_TOKEN).toBe(TOKEN);
    expect(() => loadConfig({ METRICS_TOKEN: 'short secret' })).toThrow(
      /METRICS_TOKEN must be 16 to 256 printable characters without spaces/,
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short secret' })).not.toThrow(/short secret/);
  });
});
