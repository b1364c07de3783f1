import { z } from 'zod';
import { PlatformError } from '../../src/core/errors';
import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { createMetrics, type SteadyMetrics } from '../../src/metrics/registry';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { parsePrometheusText, sumOf, sampleValue, type MetricFamily } from '../support/prometheus-text';
import { TEAM, raise, resetDatabase } from '../escalation/support';
import { createStandup, lastDm } from '../standup/support';

/**
 * /metrics moves when Steady works: the figures read from the database (escalations, prompts) and
 * those counted by this process (job runs and their lag), through Steady's own workflows and scheduler.
 */
let database: TestDatabase;
let metrics: SteadyMetrics;
let h: Harness;
let server: RunningServer;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await resetDatabase(database);
  await database.db.deleteFrom('standups').execute();
  metrics = createMetrics({ processMetrics: false });
  h = new Harness(database, {
    start: '2026-11-30T08:00:00Z',
    people: { ...TEAM, amy: { displayName: 'Amy', timeZone: 'UTC' }, ben: { displayName: 'Ben', timeZone: 'UTC' } },
    steady: { metrics: metrics.recorder, scheduler: { maxAttempts: 2, random: () => 0.5 } },
  });
  server = await listen(createHttpApp({ db: database.db, log: silentLog, clock: h.clock, metrics }), '127.0.0.1', 0);
});
afterEach(async () => {
  await server.close();
});

async function scrape(): Promise<Map<string, MetricFamily>> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

describe('/metrics moves when work is done', () => {
  test('raising escalations raises the open gauge of their severity; past the due time they count as overdue', async () => {
    const before = await scrape();
    for (const severity of ['SEV1', 'SEV2', 'SEV3', 'SEV4']) {
      expect(sampleValue(before, 'steady_escalations_open', { severity })).toBe(0);
      expect(sampleValue(before, 'steady_escalations_overdue', { severity })).toBe(0);
    }
    await raise(h, 'alice', { title: 'Printer down', owner: 'bob', severity: 'SEV1', due: '2026-11-30T10:00:00.000Z' });
    await raise(h, 'alice', { title: 'VPN flaky', owner: 'bob', severity: 'SEV1', due: '2026-12-01T10:00:00.000Z' });
    await raise(h, 'carol', { title: 'Badge reader', owner: 'dave', severity: 'SEV3', due: '2026-11-30T12:00:00.000Z' });

    const raised = await scrape();
    expect(sampleValue(raised, 'steady_escalations_open', { severity: 'SEV1' })).toBe(2);
    expect(sampleValue(raised, 'steady_escalations_open', { severity: 'SEV3' })).toBe(1);
    expect(sampleValue(raised, 'steady_escalations_open', { severity: 'SEV2' })).toBe(0);
    expect(sampleValue(raised, 'steady_escalations_overdue', { severity: 'SEV1' })).toBe(0);
    // No label carries an escalation, a person or a title.
    const text = [...raised.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels))).join(' ');
    expect(text).not.toMatch(/ESC-|Printer|alice|bob|test:W1/);

    await h.advance('2026-11-30T11:00:00Z');
    const late = await scrape();
    expect(sampleValue(late, 'steady_escalations_overdue', { severity: 'SEV1' })).toBe(1);
    expect(sampleValue(late, 'steady_escalations_overdue', { severity: 'SEV3' })).toBe(0);

    await h.as('bob').command('escalate', 'resolve ESC-1 Replaced the fuser');
    const resolved = await scrape();
    expect(sampleValue(resolved, 'steady_escalations_open', { severity: 'SEV1' })).toBe(1);
    expect(sampleValue(resolved, 'steady_escalations_overdue', { severity: 'SEV1' })).toBe(0);
  });

  test('job runs are counted by kind and outcome, with their lag behind the due time', async () => {
    let failures = 2;
    h.steady.scheduler.register({
      kind: 'test.flaky',
      payload: z.object({}),
      run: async () => {
        if (failures-- > 0) throw new PlatformError('UNAVAILABLE', 'the platform is down');
      },
    });
    h.steady.scheduler.register({
      kind: 'test.broken',
      payload: z.object({}),
      run: async () => {
        throw new PlatformError('NOT_FOUND', 'no such channel');
      },
    });
    const start = h.clock.now().getTime();
    await h.steady.scheduler.enqueue({ kind: 'test.flaky', payload: {}, runAt: new Date(start + 60_000), maxAttempts: 3 });
    await h.steady.scheduler.enqueue({ kind: 'test.broken', payload: {}, runAt: new Date(start + 60_000) });
    expect(sampleValue(await scrape(), 'steady_jobs_pending', { state: 'later' })).toBe(2);

    // Due in a minute; the instance comes round to them 90 seconds late.
    h.clock.set(new Date(start + 150_000));
    expect(sampleValue(await scrape(), 'steady_jobs_pending', { state: 'due' })).toBe(2);
    await h.tick();
    let figures = await scrape();
    expect(sampleValue(figures, 'steady_job_runs_total', { kind: 'test.flaky', outcome: 'retried' })).toBe(1);
    expect(sampleValue(figures, 'steady_job_runs_total', { kind: 'test.broken', outcome: 'failed' })).toBe(1);
    expect(sampleValue(figures, 'steady_job_lag_seconds_bucket', { kind: 'test.broken', le: '60' })).toBe(0);
    expect(sampleValue(figures, 'steady_job_lag_seconds_bucket', { kind: 'test.broken', le: '120' })).toBe(1);

    await h.advance(10 * 60_000);
    figures = await scrape();
    expect(sampleValue(figures, 'steady_job_runs_started_total', { kind: 'test.flaky' })).toBe(3);
    expect(sampleValue(figures, 'steady_job_runs_total', { kind: 'test.flaky', outcome: 'retried' })).toBe(2);
    expect(sampleValue(figures, 'steady_job_runs_total', { kind: 'test.flaky', outcome: 'done' })).toBe(1);
    expect(sampleValue(figures, 'steady_job_lag_seconds_count', { kind: 'test.flaky' })).toBe(3);
    expect(sampleValue(figures, 'steady_jobs_pending', { state: 'due' })).toBe(0);
    // The workflows' own jobs are counted too (the housekeeping, a card post), under their kinds.
    await raise(h, 'alice', { title: 'Printer down', owner: 'bob', severity: 'SEV2' });
    figures = await scrape();
    expect(sumOf(figures, 'steady_job_runs_total', { outcome: 'done' })).toBeGreaterThan(1);
    const kinds = new Set(figures.get('steady_job_runs_total')!.samples.map((s) => s.labels.kind));
    expect([...kinds].every((kind) => /^[a-z][a-z-]*(\.[a-z-]+)*$/.test(kind!))).toBe(true);
  });

  test('stand-up prompts sent and answered today', async () => {
    expect(await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'] })).toEqual({ status: 'done' });
    await h.tick();
    let figures = await scrape();
    expect(sampleValue(figures, 'steady_standup_prompts_today', { state: 'sent' })).toBe(0);

    await h.advance('2026-11-30T09:31:00Z');
    expect(lastDm(h, 'amy').text).toContain('It is time for Daily');
    figures = await scrape();
    expect(sampleValue(figures, 'steady_standup_prompts_today', { state: 'sent' })).toBe(2);
    expect(sampleValue(figures, 'steady_standup_prompts_today', { state: 'answered' })).toBe(0);

    const amy = h.as('amy', 'test:D-amy');
    await amy.directMessage('Shipped the login fix');
    await amy.directMessage('Review PRs');
    await amy.directMessage('skip');
    figures = await scrape();
    expect(sampleValue(figures, 'steady_standup_prompts_today', { state: 'sent' })).toBe(2);
    expect(sampleValue(figures, 'steady_standup_prompts_today', { state: 'answered' })).toBe(1);

    // A new UTC day starts from nothing.
    await h.advance('2026-12-01T00:01:00Z');
    figures = await scrape();
    expect(sampleValue(figures, 'steady_standup_prompts_today', { state: 'sent' })).toBe(0);
    expect(sampleValue(figures, 'steady_standup_prompts_today', { state: 'answered' })).toBe(0);
  });
});
