import { openTestDatabase, rows, type TestDatabase } from '../../support/database';
import { GENERAL, SlackRig } from '../../support/slack-rig';

/**
 * In Slack, people and channels come from pickers (user ids U…/W…, conversation ids C…/G…/D…) and
 * from Slack's own mention markup. A submission or a command carrying anything else (a forged
 * payload, a name typed as text) is refused at the edge and nothing is stored.
 */
const ERIN = 'U0ERIN';
const BOB = 'U0BOB';

let database: TestDatabase;
let rig: SlackRig;
beforeAll(async () => {
  database = await openTestDatabase();
  rig = await SlackRig.start({
    database,
    start: '2026-11-30T09:00:00Z',
    users: {
      [ERIN]: { name: 'erin', realName: 'Erin Evans', tz: 'Europe/Berlin' },
      [BOB]: { name: 'bob', realName: 'Bob Brown', tz: 'Europe/Berlin' },
    },
  });
  rig.slack.channelNames.set(GENERAL, 'general');
  rig.slack.channelNames.set('C0OPS', 'ops');
  await rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
});
afterAll(async () => {
  await rig?.close();
  await database.close();
});

describe('people and channels in Slack come only from its pickers and mentions', () => {
  test('a policy level with people and a channel no picker gives stays open with the errors, and no policy is saved', async () => {
    await rig.as(ERIN).command('/escalate', 'policy create Ops');
    const answer = await rig.as(ERIN).submit({ l1_users: ['@10'], l1_channel: '2', l1_wait: '15' });
    expect(answer).toEqual({
      status: 200,
      body: {
        response_action: 'errors',
        errors: { l1_users: 'Choose people from the list.', l1_channel: 'Choose a channel from the list.' },
      },
    });
    expect(await rows(database.db, 'escalation_policies')).toEqual([]);
  });

  test('an owner and a "Post in" no picker gives are refused on their fields; nothing is raised', async () => {
    await rig.as(ERIN).command('/escalate', 'Printer down');
    const answer = await rig.as(ERIN).submit({ impact: 'The floor cannot print', owner: 'nobody_here', channel: 'yesterday' });
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: { owner: 'Choose a person from the list.', channel: 'Choose a channel from the list.' },
    });
    expect(await rows(database.db, 'escalations')).toEqual([]);

    const raised = await rig.as(ERIN).submit({ impact: 'The floor cannot print', owner: BOB, channel: GENERAL });
    expect(raised).toEqual({ status: 200, body: undefined });
    expect((await rows(database.db, 'escalations')).map((e) => [e.owner_id, e.conversation])).toEqual([
      [BOB, `slack:${rig.teamId}:${GENERAL}`],
    ]);
  });

  test("a channel in a command must be Slack's mention of a real channel id", async () => {
    await rig.as(ERIN).command('/escalate', 'settings channel <#yesterday|yesterday>');
    expect(rig.privateTo(ERIN).at(-1)).toContain('Name the channel as a channel mention');
    expect((await rows(database.db, 'escalation_settings')).map((s) => s.channel ?? null)).not.toContain(`slack:${rig.teamId}:yesterday`);

    await rig.as(ERIN).command('/escalate', 'settings channel <#C0OPS|ops>');
    expect(rig.privateTo(ERIN).at(-1)).toBe('New escalations are now posted in #ops unless the raiser picks another channel.');
  });
});
