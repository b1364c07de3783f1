import { hostname } from 'node:os';
import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { createLogger } from '../../src/logger';
import { openTestDatabase, type TestDatabase } from '../support/database';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const SIGN_IN_TOKEN = 'sign-in-token-fedcba9876543210';
const BODY_SECRET = 'xoxb-body-secret-1234';

let database: TestDatabase;
let server: RunningServer;
const lines: string[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  const log = createLogger({
    level: 'debug',
    instance: 'steady-42-abcdef01',
    destination: { write: (line: string) => void lines.push(line) },
  });
  server = await listen(createHttpApp({ db: database.db, log, metricsToken: METRICS_TOKEN }), '127.0.0.1', 0);
});
afterAll(async () => {
  await server.close();
  await database.close();
});

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const requestEntries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request');

/** The log line is written when the answer is finished, which the client may see first. */
async function entriesAfter(count: number): Promise<Record<string, unknown>[]> {
  for (let turn = 0; turn < 1000 && requestEntries().length < count; turn++) await new Promise((resolve) => setImmediate(resolve));
  return requestEntries();
}

describe('the request log (LOG_LEVEL=debug)', () => {
  test('each request: method, route pattern, status, duration and correlation id, on lines that name the host, process and instance; never a token, a query or a body', async () => {
    const signIn = await fetch(url(`/healthz?token=${SIGN_IN_TOKEN}`));
    const metrics = await fetch(url('/metrics'), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const refused = await fetch(url('/metrics'), { headers: { authorization: `Bearer ${SIGN_IN_TOKEN}` } });
    const unknown = await fetch(url(`/slack/oauth_redirect?code=${SIGN_IN_TOKEN}`), { method: 'POST', body: `token=${BODY_SECRET}` });
    expect([signIn.status, metrics.status, refused.status, unknown.status]).toEqual([200, 200, 401, 404]);

    const entries = await entriesAfter(4);
    expect(entries.map(({ method, route, status }) => ({ method, route, status }))).toEqual([
      { method: 'GET', route: '/healthz', status: 200 },
      { method: 'GET', route: '/metrics', status: 200 },
      { method: 'GET', route: '/metrics', status: 401 },
      { method: 'POST', route: 'unmatched', status: 404 },
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        level: 20,
        app: 'steady',
        hostname: hostname(),
        pid: process.pid,
        instance: 'steady-42-abcdef01',
        component: 'http',
      });
      expect(entry.ms).toEqual(expect.any(Number));
      expect(entry.correlationId).toMatch(/^[0-9a-f]{8}$/);
    }
    // The correlation id is the one the client was given back.
    expect(entries[0]!.correlationId).toBe(signIn.headers.get('x-request-id'));
    expect(new Set(entries.map((e) => e.correlationId)).size).toBe(4);

    const written = lines.join('\n');
    for (const secret of [SIGN_IN_TOKEN, METRICS_TOKEN, BODY_SECRET, '?']) expect(written).not.toContain(secret);
  });

  test("a proxy's X-Request-Id is kept when it is a plain short id, replaced when it is not", async () => {
    const before = requestEntries().length;
    const kept = await fetch(url('/healthz'), { headers: { 'x-request-id': 'lb-7f3a.92' } });
    const replaced = await fetch(url('/healthz'), { headers: { 'x-request-id': `<script>${'x'.repeat(80)}` } });
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a.92');
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}$/);
    const entries = (await entriesAfter(before + 2)).slice(before);
    expect(entries.map((e) => e.correlationId)).toEqual(['lb-7f3a.92', replaced.headers.get('x-request-id')]);
  });

  test('at info, requests are not logged', async () => {
    const quiet: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void quiet.push(line) } });
    const other = await listen(createHttpApp({ db: database.db, log }), '127.0.0.1', 0);
    try {
      expect((await fetch(`http://127.0.0.1:${other.port}/healthz`)).status).toBe(200);
    } finally {
      await other.close();
    }
    expect(quiet).toEqual([]);
  });
});
