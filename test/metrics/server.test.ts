import { start } from '../../src/main';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { parsePrometheusText, sumOf, sampleValue } from '../support/prometheus-text';
import { capture, script } from '../support/streams';

const TOKEN = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';

let database: TestDatabase | undefined;
beforeAll(async () => {
  // On PostgreSQL the server gets a database of its own; on PGlite it keeps one in memory.
  if (process.env.DATABASE_URL) database = await openTestDatabase({ migrate: false });
});
afterAll(async () => {
  await database?.close();
});

describe('npm start with METRICS_TOKEN', () => {
  test('/metrics asks for the token; with it, the scheduler and the server are counted in one registry', async () => {
    const env = database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: ':memory:' };
    const logs = capture();
    const running = await start({
      env: { ...env, CONSOLE: 'off', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', METRICS_TOKEN: TOKEN },
      stdin: script([]),
      stdout: logs.stream,
      stderr: logs.stream,
    });
    try {
      const url = `http://127.0.0.1:${running.httpPort}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
      await fetch(`http://127.0.0.1:${running.httpPort}/healthz`);
      const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      const families = parsePrometheusText(await res.text());
      expect(sampleValue(families, 'steady_metrics_database_up')).toBe(1);
      expect(sampleValue(families, 'steady_http_requests_total', { route: '/healthz', status: '200' })).toBe(1);
      expect(sumOf(families, 'steady_http_requests_total', { route: '/metrics', status: '401' })).toBe(2);
      expect(sampleValue(families, 'process_start_time_seconds')).toBeGreaterThan(0);
    } finally {
      await running.stop();
    }
    expect(await running.done).toBe(0);
  });
});
