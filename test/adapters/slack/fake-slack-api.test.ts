import { webApi } from '@slack/bolt';
import type { Installation } from '../../../adapters/slack/installations';
import { workspaceId } from '../../../adapters/slack/refs';
import { SlackApi } from '../../../adapters/slack/slack-api';
import { SlackPlatform } from '../../../adapters/slack/slack-platform';
import { systemClock } from '../../../src/core/clock';
import { section, message } from '../../../src/core/message';
import { silentLog } from '../../support/database';
import { BOT_USER, FakeSlackApi, WORKSPACE, generateUsers } from '../../support/fake-slack-api';
import { FakeSlackApiProcess } from '../../support/fake-slack-api-process';

/** Slack's own client, as Steady configures it: no retries, a 429 comes back as an error. */
function client(api: FakeSlackApi): webApi.WebClient {
  return new webApi.WebClient(WORKSPACE.token, {
    slackApiUrl: api.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
}

const prompt = (key: string) => ({ event_type: 'steady_outbox', event_payload: { kind: 'standup.prompt', key } });

describe('the fake Slack Web API for load and soak tests', () => {
  let api: FakeSlackApi;
  let now: number;
  beforeEach(async () => {
    now = Date.parse('2026-11-30T08:00:00Z');
    api = await FakeSlackApi.start({ users: generateUsers(3), now: () => now, seed: 7 });
  });
  afterEach(() => api.close());

  test('a post to a person lands in their DM with its metadata, and history finds it, newest first', async () => {
    const slack = client(api);
    const first = await slack.chat.postMessage({
      channel: 'U00000001',
      text: 'Stand-up time',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Stand-up time' } }],
      metadata: prompt('s1:prompt'),
    });
    now += 1000;
    const second = await slack.chat.postMessage({ channel: 'DU00000001', text: 'Reminder' });
    expect(first.channel).toBe('DU00000001');
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));

    const withMetadata = await slack.conversations.history({ channel: 'DU00000001', include_all_metadata: true });
    expect(withMetadata.messages!.map((m) => [m.text, m.metadata])).toEqual([
      ['Reminder', undefined],
      ['Stand-up time', prompt('s1:prompt')],
    ]);
    const plain = await slack.conversations.history({ channel: 'DU00000001', oldest: first.ts! });
    expect(plain.messages!.map((m) => [m.text, m.metadata])).toEqual([['Reminder', undefined]]);
    await expect(slack.conversations.history({ channel: 'U00000001' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });

    expect(api.store.to('U00000001').map((m) => [m.kind, m.key])).toEqual([
      ['standup.prompt', 's1:prompt'],
      ['message', 'Reminder'],
    ]);
    expect(api.store.all[0]!.blocks).toHaveLength(1);
  });

  test('history pages with a cursor; replies read a thread; update changes a message', async () => {
    const slack = client(api);
    for (let i = 1; i <= 5; i++) {
      now += 10;
      await slack.chat.postMessage({ channel: 'C0GENERAL', text: `card ${i}` });
    }
    const parent = api.store.to('C0GENERAL')[0]!;
    await slack.chat.postMessage({ channel: 'C0GENERAL', text: 'note', thread_ts: parent.ts });
    await slack.chat.update({ channel: 'C0GENERAL', ts: parent.ts, text: 'card 1 (acknowledged)' });

    const page1 = await slack.conversations.history({ channel: 'C0GENERAL', limit: 3 });
    const page2 = await slack.conversations.history({ channel: 'C0GENERAL', limit: 3, cursor: page1.response_metadata!.next_cursor! });
    expect(page1.messages!.map((m) => m.text)).toEqual(['card 5', 'card 4', 'card 3']);
    expect(page1.has_more).toBe(true);
    expect(page2.messages!.map((m) => m.text)).toEqual(['card 2', 'card 1 (acknowledged)']);
    expect(page2.has_more).toBe(false);

    const thread = await slack.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts });
    expect(thread.messages!.map((m) => m.text)).toEqual(['card 1 (acknowledged)', 'note']);
    expect(api.stats()).toMatchObject({ stored: 6, updated: 1 });
  });

  test('answers look-ups: auth.test, users.info with the time zone, conversations.open', async () => {
    const slack = client(api);
    expect(await slack.auth.test()).toMatchObject({ ok: true, team_id: WORKSPACE.id });
    const { user } = await slack.users.info({ user: 'U00000002' });
    expect(user).toMatchObject({ id: 'U00000002', name: 'person2', real_name: 'Person 2', tz: 'America/New_York', tz_offset: -18000 });
    expect(await slack.conversations.open({ users: 'U00000002' })).toMatchObject({ channel: { id: 'DU00000002' } });
    await expect(slack.users.info({ user: 'U99' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    expect(api.stats().calls).toEqual({ 'auth.test': 1, 'users.info': 2, 'conversations.open': 1 });
  });

  test('accepts JSON bodies as well as forms', async () => {
    const response = await fetch(`${api.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${WORKSPACE.token}` },
      body: JSON.stringify({ channel: 'U00000003', text: 'hi', metadata: prompt('s3:prompt') }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'DU00000003' });
    expect(api.store.has('U00000003', 'standup.prompt', 's3:prompt')).toBe(true);
  });

  test('a 500 after storing leaves a message the caller was not told about, and duplicates are counted', async () => {
    const slack = client(api);
    api.configure({ faults: { serverErrorRate: 1 } });
    let failed = 0;
    for (let i = 0; i < 40; i++)
      await slack.chat.postMessage({ channel: 'U00000001', text: 'x', metadata: prompt('once') }).catch(() => failed++);
    const { serverErrors, stored } = api.stats();
    expect(failed).toBe(40);
    expect(serverErrors.before + serverErrors.after).toBe(40);
    expect(serverErrors.after).toBeGreaterThan(5);
    expect(serverErrors.before).toBeGreaterThan(5);
    expect(stored).toBe(serverErrors.after);
    expect(api.store.all.every((m) => m.inDoubt)).toBe(true);
    expect(api.store.duplicates()).toEqual([{ recipient: 'U00000001', kind: 'standup.prompt', key: 'once', count: stored }]);
  });

  test('random 429s carry Retry-After and are counted apart from the enforced limits', async () => {
    const slack = client(api);
    api.configure({ faults: { rateLimitedRate: 1, retryAfterSeconds: 7 } });
    await expect(slack.chat.postMessage({ channel: 'U00000001', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    expect(api.stats().rateLimited).toEqual({ random: 1, workspaceLimit: 0, channelLimit: 0, methodLimit: 0 });
    expect(api.store.all).toHaveLength(0);
  });

  test('enforces a per-channel and a per-workspace rate with bursts', async () => {
    const slack = client(api);
    api.configure({ limits: { channel: { perSecond: 1, burst: 2 }, workspace: { perSecond: 2, burst: 3 } } });
    const post = (channel: string) =>
      slack.chat.postMessage({ channel, text: 'x' }).then(
        () => 'ok',
        (err: { retryAfter?: number }) => `429 after ${err.retryAfter}`,
      );
    expect([await post('U00000001'), await post('U00000001'), await post('U00000001')]).toEqual(['ok', 'ok', '429 after 1']);
    expect([await post('U00000002'), await post('U00000003')]).toEqual(['ok', '429 after 1']);
    now += 500;
    expect(await post('U00000003')).toBe('ok');
    expect(api.stats().rateLimited).toEqual({ random: 0, workspaceLimit: 1, channelLimit: 1, methodLimit: 0 });
    expect(api.minimumSecondsFor(1003)).toBe(500);
  });

  test('adds the configured latency to every answer', async () => {
    api.configure({ faults: { latencyMs: 60 } });
    const started = performance.now();
    await client(api).auth.test();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  test("Steady's own Slack platform sends and looks up through it, and reads its faults as Slack's", async () => {
    const installation: Installation = { teamId: WORKSPACE.id, isEnterpriseInstall: false, botUserId: BOT_USER, botToken: WORKSPACE.token };
    const platform = new SlackPlatform({
      api: new SlackApi({ apiUrl: api.apiUrl, log: silentLog }),
      installations: { admit: async () => installation, forWorkspace: async () => installation },
      clock: systemClock,
      log: silentLog,
    });
    const workspace = workspaceId(WORKSPACE.id);
    await platform.postDirect(workspace, 'U00000001', message([section('Time for stand-up')], 'Time for stand-up'));
    expect(api.store.to('U00000001').map((m) => m.text)).toEqual(['Time for stand-up']);
    expect(await platform.lookupUser(workspace, 'U00000003')).toMatchObject({ displayName: 'person3', timeZone: 'Europe/London' });

    api.configure({ faults: { rateLimitedRate: 1, retryAfterSeconds: 3 } });
    await expect(platform.postDirect(workspace, 'U00000001', message([section('again')], 'again'))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterMs: 3000,
    });
    api.configure({ faults: { rateLimitedRate: 0, serverErrorRate: 1 } });
    await expect(platform.postDirect(workspace, 'U00000001', message([section('again')], 'again'))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  test('keeps what is posted to a response_url it handed out, with when it arrived, once', async () => {
    const platform = new SlackPlatform({
      api: new SlackApi({ apiUrl: api.apiUrl, log: silentLog }),
      installations: { admit: async () => undefined, forWorkspace: async () => undefined },
      clock: systemClock,
      log: silentLog,
    });
    const before = Date.now();
    await platform.respond(api.responseUrl('run1-7'), message([section('Open escalations')], 'Open escalations'));
    const [arrival, ...more] = api.takeResponses();
    expect(more).toEqual([]);
    expect(arrival).toMatchObject({ id: 'run1-7', text: 'Open escalations' });
    expect(arrival!.at).toBeGreaterThanOrEqual(before);
    expect(arrival!.at).toBeLessThanOrEqual(Date.now());
    expect(api.takeResponses()).toEqual([]);
    expect(api.stats().calls.response_url).toBe(1);
  });
});

describe('the fake Slack Web API in a process of its own', () => {
  test('answers the same way, changes faults on request, and reports counts and its own CPU', async () => {
    const fake = await FakeSlackApiProcess.start({ users: generateUsers(2), seed: 1 });
    try {
      const slack = new webApi.WebClient(WORKSPACE.token, {
        slackApiUrl: fake.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      });
      await slack.chat.postMessage({ channel: 'U00000001', text: 'hi', metadata: prompt('s1:prompt') });
      await slack.chat.postMessage({ channel: 'U00000001', text: 'hi', metadata: prompt('s1:prompt') });
      await slack.chat.postMessage({ channel: 'U00000002', text: 'hi', metadata: prompt('s2:prompt') });
      await fake.configure({ faults: { rateLimitedRate: 1, retryAfterSeconds: 2 } });
      await expect(slack.chat.postMessage({ channel: 'U00000002', text: 'hi' })).rejects.toMatchObject({ retryAfter: 2 });

      expect(await fake.countPerKind()).toEqual({ 'standup.prompt': 3 });
      expect(await fake.countPerRecipient('standup.prompt')).toEqual(
        new Map([
          ['U00000001', 2],
          ['U00000002', 1],
        ]),
      );
      expect(await fake.duplicates()).toEqual([{ recipient: 'U00000001', kind: 'standup.prompt', key: 's1:prompt', count: 2 }]);
      expect((await fake.messages('U00000002')).map((m) => m.metadata)).toEqual([prompt('s2:prompt')]);
      expect(await fake.stats()).toMatchObject({ stored: 3, rateLimited: { random: 1 } });
      expect(await fake.cpuMicros()).toBeGreaterThan(0);
      expect((await fake.arrivals('standup.prompt')).length).toBe(3);

      const answered = await fetch(fake.responseUrl('r-1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'Done' }),
      });
      expect(answered.status).toBe(200);
      expect((await fake.takeResponses()).map((r) => [r.id, r.text])).toEqual([['r-1', 'Done']]);
    } finally {
      await fake.close();
    }
  });
});
