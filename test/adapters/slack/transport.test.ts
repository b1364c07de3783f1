import { rows } from '../../support/database';
import { BOT_USER } from '../../support/fake-slack';
import { useSlackRig } from '../../support/use-slack-rig';

const setup = useSlackRig({
  users: {
    U0ALICE: { name: 'alice', realName: 'Alice Adams', tz: 'Europe/Berlin' },
    U0BOB: { name: 'bob', realName: 'Bob Brown', tz: 'America/Chicago' },
  },
});

const stored = async () => ({
  events: (await rows(setup.database.db, 'inbound_events')).length,
  people: (await rows(setup.database.db, 'people')).length,
});

const helpCommand = (userId: string) =>
  new URLSearchParams({
    team_id: setup.rig.teamId,
    channel_id: 'C0GENERAL',
    user_id: userId,
    command: '/steady',
    text: 'help',
    response_url: setup.rig.slack.responseUrl(`${userId}-forged`),
    trigger_id: 'trigger-forged-1',
  }).toString();

describe('Slack transport: Bolt on /slack/events', () => {
  test('the Slack installation is checked with auth.test and recorded with its team', async () => {
    expect(setup.rig.slack.callsOf('auth.test')).toHaveLength(1);
    const [installation] = await rows(setup.database.db, 'slack_installations');
    expect(installation).toMatchObject({
      id: setup.rig.teamId,
      team_id: setup.rig.teamId,
      team_name: 'Acme Ops',
      enterprise_id: null,
      bot_user_id: BOT_USER,
    });
    expect(JSON.stringify(installation)).not.toContain('xoxb-');
    const workspace = await setup.database.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', `slack:${setup.rig.teamId}`)
      .executeTakeFirst();
    expect(workspace).toMatchObject({ platform: 'slack', name: 'Acme Ops' });
  });

  test('a slash command answered quickly is answered privately in its acknowledgement (no response_url call)', async () => {
    const res = await setup.rig.as('U0ALICE').command('/steady', 'help');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Steady commands') });
    expect(setup.rig.privateTo('U0ALICE').at(-1)).toContain('Steady commands');
    expect(setup.rig.privateTo('U0ALICE').at(-1)).toContain('/steady tz [zone]');
  });

  test('a request with a forged signature gets 401 and nothing is stored or sent', async () => {
    const before = await stored();
    const calls = setup.rig.slack.calls.length;
    const forged = await setup.rig.post(helpCommand('U0BOB'), 'application/x-www-form-urlencoded', { secret: 'not-the-signing-secret' });
    expect(forged.status).toBe(401);
    expect(await stored()).toEqual(before);
    expect(setup.rig.slack.calls.length).toBe(calls);
    expect(setup.rig.privateTo('U0BOB')).toEqual([]);
    expect(setup.rig.slack.responses.filter((r) => r.id === 'U0BOB-forged')).toEqual([]);
  });

  test('a request signed more than five minutes ago is refused; the same one signed now is served', async () => {
    const stale = await setup.rig.post(helpCommand('U0BOB'), 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 10,
    });
    expect(stale.status).toBe(401);
    expect(setup.rig.slack.responses.filter((r) => r.id === 'U0BOB-forged')).toEqual([]);

    const fresh = await setup.rig.post(helpCommand('U0BOB'), 'application/x-www-form-urlencoded');
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain('Steady commands');
  });

  test("Slack's url_verification challenge is answered", async () => {
    const res = await setup.rig.post(JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' }), 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });

  test('an event Slack re-sends (X-Slack-Retry-Num) is handled once', async () => {
    const dm = setup.rig.slack.dmChannel('U0ALICE');
    const before = setup.rig.slack.messagesIn(dm).length;
    expect((await setup.rig.as('U0ALICE').dm('hello?', { eventId: 'Ev0RETRY01' })).status).toBe(200);
    expect((await setup.rig.as('U0ALICE').dm('hello?', { eventId: 'Ev0RETRY01', retryNum: 1 })).status).toBe(200);
    expect((await setup.rig.as('U0ALICE').dm('hello?', { eventId: 'Ev0RETRY01', retryNum: 2 })).status).toBe(200);
    const replies = setup.rig.slack.messagesIn(dm).slice(before);
    expect(replies.map((m) => setup.rig.visible(m.blocks))).toEqual(['Hi! I work through commands. Try /steady help to see them.']);

    await setup.rig.as('U0ALICE').dm('hello again', { eventId: 'Ev0RETRY02' });
    expect(setup.rig.slack.messagesIn(dm).length - before).toBe(2);
  });

  test("edits, bot messages and the bot's own messages in its DM are not answered", async () => {
    const dm = setup.rig.slack.dmChannel('U0ALICE');
    const before = setup.rig.slack.messagesIn(dm).length;
    const ts = (Date.now() / 1000).toFixed(6);
    await setup.rig.sendEvent({
      type: 'message',
      subtype: 'message_changed',
      channel: dm,
      channel_type: 'im',
      ts,
      message: { text: 'edited' },
    });
    await setup.rig.sendEvent({
      type: 'message',
      channel: dm,
      channel_type: 'im',
      user: 'U0OTHERBOT',
      bot_id: 'B0OTHER',
      text: 'beep',
      ts,
    });
    await setup.rig.sendEvent({
      type: 'message',
      channel: dm,
      channel_type: 'im',
      user: BOT_USER,
      bot_id: 'B0BOT',
      text: 'my own words',
      ts,
    });
    expect(setup.rig.slack.messagesIn(dm).length).toBe(before);
  });

  test('an event from a workspace Steady is not installed in is dropped, nothing stored', async () => {
    const before = await stored();
    const calls = setup.rig.slack.calls.length;
    const res = await setup.rig.sendEvent(
      { type: 'message', channel: 'D0STRANGER', channel_type: 'im', user: 'U0STRANGER', text: 'let me in', ts: '1764489600.000001' },
      { teamId: 'T0ELSEWHERE' },
    );
    expect(res.status).toBe(200);
    expect(await stored()).toEqual(before);
    expect(setup.rig.slack.calls.length).toBe(calls);
  });
});
