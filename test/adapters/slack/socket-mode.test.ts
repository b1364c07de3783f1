import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack';
import { FakeClock } from '../../../src/core/clock';
import { Platforms } from '../../../src/core/platform';
import { createSteady } from '../../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from '../../support/database';
import { BOT_TOKEN, BOT_USER, FakeSlack } from '../../support/fake-slack';
import { APP_TOKEN, FakeSocketMode } from '../../support/fake-slack-socket';
import { SIGNING_SECRET } from '../../support/slack-rig';

let database: TestDatabase;
let slack: FakeSlack;
let socket: FakeSocketMode;
let adapter: SlackAdapter;
beforeAll(async () => {
  database = await openTestDatabase();
  slack = await FakeSlack.start();
  slack.users.set('U0ALICE', { name: 'alice', tz: 'Europe/Berlin' });
  socket = await FakeSocketMode.attach(slack);
  const platforms = new Platforms();
  const clock = new FakeClock('2026-11-30T08:00:00Z');
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms, outbox: { wait: clock.waitUntil } });
  adapter = await createSlackAdapter(
    { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, appToken: APP_TOKEN, apiUrl: slack.apiUrl, postsPerSecond: 20 },
    { steady, db: database.db, clock: steady.services.clock, log: silentLog },
  );
  platforms.register(adapter.platform);
  await adapter.start!();
});
afterAll(async () => {
  await adapter?.stop?.();
  await socket.close();
  await slack.close();
  await database.close();
});

const dmEnvelope = (envelopeId: string, eventId: string, retryAttempt = 0) => ({
  envelope_id: envelopeId,
  type: 'events_api' as const,
  accepts_response_payload: false,
  retry_attempt: retryAttempt,
  retry_reason: retryAttempt ? 'timeout' : '',
  payload: {
    team_id: slack.team.id,
    api_app_id: 'A0STEADY',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1764489600,
    authorizations: [{ team_id: slack.team.id, user_id: BOT_USER, is_bot: true }],
    event: {
      type: 'message',
      channel: 'DU0ALICE',
      channel_type: 'im',
      user: 'U0ALICE',
      text: 'hello',
      ts: '1764489600.000100',
      event_ts: '1764489600.000100',
    },
  },
});

describe('Socket Mode (SLACK_APP_TOKEN)', () => {
  test('start() connects with the app token through apps.connections.open', () => {
    expect(socket.connected).toBe(true);
    expect(slack.callsOf('apps.connections.open').map((c) => c.token)).toEqual([APP_TOKEN]);
  });

  test('events are acked and handled; a re-delivery of the same event_id is handled once', async () => {
    expect(await socket.deliver(dmEnvelope('env-1', 'Ev0SOCKET1'))).toEqual({});
    await adapter.idle();
    expect(await socket.deliver(dmEnvelope('env-2', 'Ev0SOCKET1', 1))).toEqual({});
    await adapter.idle();
    expect(slack.messagesIn('DU0ALICE').map((m) => m.text)).toEqual(['Hi! I work through commands. Try /steady help to see them.']);
  });

  test("slash commands arrive over the socket and are answered in the acknowledgement's payload", async () => {
    const acknowledged = await socket.deliver({
      envelope_id: 'env-3',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        team_id: slack.team.id,
        channel_id: 'C0GENERAL',
        user_id: 'U0ALICE',
        command: '/steady',
        text: 'help',
        response_url: slack.responseUrl('socket-1'),
        trigger_id: 'trigger-socket-1',
      },
    });
    await adapter.idle();
    expect(acknowledged).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Steady commands') });
    expect(slack.responses.filter((r) => r.id === 'socket-1')).toEqual([]);
  });
});
