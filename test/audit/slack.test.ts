import { BERLIN_TEAM, BOB, ERIN, peopleOf } from '../support/slack-people';
import { useSlackRig } from '../support/use-slack-rig';

/**
 * `/steady audit` and `/steady forget` through Steady's real Slack app: answered only to the person
 * (response_url), the forget asks first with a Block Kit button, and the press does it.
 */
const setup = useSlackRig({ start: '2026-11-24T09:00:00Z', users: peopleOf(BERLIN_TEAM, ERIN, BOB) });

test('in Slack: the audit trail privately to an admin, a refusal for a member, and forget confirmed with its button', async () => {
  await setup.rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
  await setup.rig.as(ERIN).command('/escalate', 'settings chase 2h');
  await setup.rig.as(ERIN).command('/steady', 'audit');
  expect(setup.rig.privateTo(ERIN).at(-1)).toMatch(
    /^Admin changes in the last 7 days, newest first:\n.* · @Erin Evans · `settings\.changed` escalation settings\n\s+chaseMinutes: \(none\) → 120/,
  );
  await setup.rig.as(BOB).command('/steady', 'audit');
  expect(setup.rig.privateTo(BOB).at(-1)).toBe('Only workspace admins can read the audit trail. Ask one of them: @Erin Evans.');

  await setup.rig.as(ERIN).command('/steady', `forget <@${BOB}|bob>`);
  const answers = [...setup.rig.slack.responses.map((r) => r.body.blocks ?? []), ...setup.rig.slack.ephemerals.map((e) => e.blocks)];
  const asked = answers.find((blocks: any[]) => setup.rig.visible(blocks).startsWith('Forget @Bob Brown?'));
  expect(asked).toBeDefined();
  expect(await setup.database.db.selectFrom('people').select('user_id').where('user_id', '=', BOB).execute()).toHaveLength(1);
  await setup.rig.as(ERIN).press('Forget them', { ephemeral: asked! });
  expect(setup.rig.privateTo(ERIN).at(-1)).toMatch(/^Done: that person is forgotten\./);
  expect(await setup.database.db.selectFrom('people').select('user_id').where('user_id', '=', BOB).execute()).toEqual([]);
});
