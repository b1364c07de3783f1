import { rows } from '../../support/database';
import { GENERAL } from '../../support/slack-rig';
import { BERLIN_TEAM, BOB, ERIN, peopleOf } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';

/**
 * In Slack, people and channels come from pickers (user ids U…/W…, conversation ids C…/G…/D…) and
 * from Slack's own mention markup. A submission or a command carrying anything else (a forged
 * payload, a name typed as text) is refused at the edge and nothing is stored.
 */
const setup = useSlackRig({
  start: '2026-11-30T09:00:00Z',
  users: peopleOf(BERLIN_TEAM, ERIN, BOB),
  channels: { [GENERAL]: 'general', C0OPS: 'ops' },
});
beforeAll(async () => {
  await setup.rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
});

describe('people and channels in Slack come only from its pickers and mentions', () => {
  test('a policy level with people and a channel no picker gives stays open with the errors, and no policy is saved', async () => {
    await setup.rig.as(ERIN).command('/escalate', 'policy create Ops');
    const answer = await setup.rig.as(ERIN).submit({ l1_users: ['@10'], l1_channel: '2', l1_wait: '15' });
    expect(answer).toEqual({
      status: 200,
      body: {
        response_action: 'errors',
        errors: { l1_users: 'Choose people from the list.', l1_channel: 'Choose a channel from the list.' },
      },
    });
    expect(await rows(setup.database.db, 'escalation_policies')).toEqual([]);
  });

  test('an owner and a "Post in" no picker gives are refused on their fields; nothing is raised', async () => {
    await setup.rig.as(ERIN).command('/escalate', 'Printer down');
    const answer = await setup.rig.as(ERIN).submit({ impact: 'The floor cannot print', owner: 'nobody_here', channel: 'yesterday' });
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: { owner: 'Choose a person from the list.', channel: 'Choose a channel from the list.' },
    });
    expect(await rows(setup.database.db, 'escalations')).toEqual([]);

    const raised = await setup.rig.as(ERIN).submit({ impact: 'The floor cannot print', owner: BOB, channel: GENERAL });
    expect(raised).toEqual({ status: 200, body: undefined });
    expect((await rows(setup.database.db, 'escalations')).map((e) => [e.owner_id, e.conversation])).toEqual([
      [BOB, `slack:${setup.rig.teamId}:${GENERAL}`],
    ]);
  });

  test("a channel in a command must be Slack's mention of a real channel id", async () => {
    await setup.rig.as(ERIN).command('/escalate', 'settings channel <#yesterday|yesterday>');
    expect(setup.rig.privateTo(ERIN).at(-1)).toContain('Name the channel as a channel mention');
    expect((await rows(setup.database.db, 'escalation_settings')).map((s) => s.channel ?? null)).not.toContain(
      `slack:${setup.rig.teamId}:yesterday`,
    );

    await setup.rig.as(ERIN).command('/escalate', 'settings channel <#C0OPS|ops>');
    expect(setup.rig.privateTo(ERIN).at(-1)).toBe('New escalations are now posted in #ops unless the raiser picks another channel.');
  });
});
