import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack';
import { AuthenticatingTeamsAdapter } from '../../adapters/teams/authenticating-adapter';
import { TeamsConnector, type ConversationSite } from '../../adapters/teams/connector';
import type { OutgoingActivity } from '../../adapters/teams/render/message-activity';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { createMetrics, type SteadyMetrics } from '../../src/metrics/registry';
import { createSteady } from '../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { BOT_TOKEN, FakeSlack } from '../support/fake-slack';
import { FakeTeamsConnector } from '../support/fake-teams-connector';
import { parsePrometheusText, sampleValue, type MetricFamily } from '../support/prometheus-text';

/**
 * Platform calls on /metrics: Steady's real Slack and Teams clients against the fakes, which answer
 * 429 with Retry-After, errors and successes on demand.
 */
let database: TestDatabase;
let metrics: SteadyMetrics;
let server: RunningServer;
const clock = new FakeClock('2026-11-30T08:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  metrics = createMetrics({ processMetrics: false });
  server = await listen(createHttpApp({ db: database.db, log: silentLog, clock, metrics }), '127.0.0.1', 0);
});
afterEach(async () => {
  await server.close();
});

async function scrape(): Promise<Map<string, MetricFamily>> {
  return parsePrometheusText(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text());
}

describe('Slack Web API calls', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter;
  beforeEach(async () => {
    slack = await FakeSlack.start();
    const steady = createSteady({ db: database.db, clock, log: silentLog, platforms: new Platforms(), metrics: metrics.recorder });
    adapter = await createSlackAdapter(
      { botToken: BOT_TOKEN, signingSecret: 'test-signing-secret-0123456789', apiUrl: slack.apiUrl, postsPerSecond: 20 },
      { steady, db: database.db, clock, log: silentLog },
    );
  });
  afterEach(async () => {
    await adapter.stop?.();
    await slack.close();
  });

  test('are counted by method and outcome; a 429 counts as rate limited, with the pause Slack asked for', async () => {
    const channel = `slack:${slack.team.id}:C0OPS`;
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 30 }, { error: 'channel_not_found' });
    await expect(adapter.platform.post(channel, { blocks: [{ type: 'section', text: 'hello' }] })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    await expect(adapter.platform.post(channel, { blocks: [{ type: 'section', text: 'hello' }] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await adapter.platform.post(channel, { blocks: [{ type: 'section', text: 'hello' }] });

    const figures = await scrape();
    const calls = (outcome: string) =>
      sampleValue(figures, 'steady_platform_calls_total', { platform: 'slack', method: 'chat.postMessage', outcome });
    expect([calls('ok'), calls('rate_limited'), calls('failed')]).toEqual([1, 1, 1]);
    expect(sampleValue(figures, 'steady_platform_rate_limited_total', { platform: 'slack', method: 'chat.postMessage' })).toBe(1);
    expect(sampleValue(figures, 'steady_platform_retry_after_seconds_count', { platform: 'slack' })).toBe(1);
    expect(sampleValue(figures, 'steady_platform_retry_after_seconds_sum', { platform: 'slack' })).toBe(30);
    expect(sampleValue(figures, 'steady_platform_call_duration_seconds_count', { platform: 'slack', method: 'chat.postMessage' })).toBe(3);
    // The check of the token at start-up is a call too.
    expect(sampleValue(figures, 'steady_platform_calls_total', { platform: 'slack', method: 'auth.test', outcome: 'ok' })).toBe(1);
  });
});

describe('Teams connector calls', () => {
  let connector: FakeTeamsConnector;
  beforeEach(async () => {
    connector = await new FakeTeamsConnector().start();
  });
  afterEach(async () => {
    await connector.stop();
  });

  test('are counted by operation and outcome; a 429 counts as rate limited, with its Retry-After', async () => {
    const teams = new TeamsConnector(new AuthenticatingTeamsAdapter({}), '', clock, silentLog, metrics.recorder.platformCalls);
    const site: ConversationSite = {
      tenantId: 'tenant-1',
      serviceUrl: connector.url,
      botId: '28:steady',
      conversationId: 'a:personal-amy',
    };
    const activity = { type: 'message', text: 'hello' } as OutgoingActivity;
    connector.failNext('send', 429, { 'Retry-After': '120' });
    await expect(teams.send(site, activity)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 120_000 });
    connector.failNext('send', 503);
    await expect(teams.send(site, activity)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const id = await teams.send(site, activity);
    await teams.update(site, id, activity);

    const figures = await scrape();
    const calls = (method: string, outcome: string) =>
      sampleValue(figures, 'steady_platform_calls_total', { platform: 'teams', method, outcome });
    expect([calls('sendToConversation', 'ok'), calls('sendToConversation', 'rate_limited'), calls('sendToConversation', 'failed')]).toEqual(
      [1, 1, 1],
    );
    expect(calls('updateActivity', 'ok')).toBe(1);
    expect(sampleValue(figures, 'steady_platform_rate_limited_total', { platform: 'teams', method: 'sendToConversation' })).toBe(1);
    expect(sampleValue(figures, 'steady_platform_retry_after_seconds_sum', { platform: 'teams' })).toBe(120);
    expect(sampleValue(figures, 'steady_platform_retry_after_seconds_bucket', { platform: 'teams', le: '60' })).toBe(0);
    expect(sampleValue(figures, 'steady_platform_retry_after_seconds_bucket', { platform: 'teams', le: '120' })).toBe(1);
  });
});
