import { openTestDatabase, type TestDatabase } from '../support/database';
import { SlackRig } from '../support/slack-rig';

/**
 * `/steady audit` and `/steady forget` through Steady's real Slack app: answered only to the person
 * (response_url), the forget asks first with a Block Kit button, and the press does it.
 */
const ERIN = 'U0ERIN';
const BOB = 'U0BOB';

let database: TestDatabase;
let rig: SlackRig;
beforeAll(async () => {
  database = await openTestDatabase();
  rig = await SlackRig.start({
    database,
    start: '2026-11-24T09:00:00Z',
    users: {
      [ERIN]: { name: 'erin', realName: 'Erin Evans', tz: 'Europe/Berlin' },
      [BOB]: { name: 'bob', realName: 'Bob Brown', tz: 'Europe/Berlin' },
    },
  });
});
afterAll(async () => {
  await rig?.close();
  await database.close();
});

test('in Slack: the audit trail privately to an admin, a refusal for a member, and forget confirmed with its button', async () => {
  await rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
  await rig.as(ERIN).command('/escalate', 'settings chase 2h');
  await rig.as(ERIN).command('/steady', 'audit');
  expect(rig.privateTo(ERIN).at(-1)).toMatch(
    /^Admin changes in the last 7 days, newest first:\n.* · @Erin Evans · `settings\.changed` escalation settings\n\s+chaseMinutes: \(none\) → 120/,
  );
  await rig.as(BOB).command('/steady', 'audit');
  expect(rig.privateTo(BOB).at(-1)).toBe('Only workspace admins can read the audit trail. Ask one of them: @Erin Evans.');

  await rig.as(ERIN).command('/steady', `forget <@${BOB}|bob>`);
  const answers = [...rig.slack.responses.map((r) => r.body.blocks ?? []), ...rig.slack.ephemerals.map((e) => e.blocks)];
  const asked = answers.find((blocks: any[]) => rig.visible(blocks).startsWith('Forget @Bob Brown?'));
  expect(asked).toBeDefined();
  expect(await database.db.selectFrom('people').select('user_id').where('user_id', '=', BOB).execute()).toHaveLength(1);
  await rig.as(ERIN).press('Forget them', { ephemeral: asked! });
  expect(rig.privateTo(ERIN).at(-1)).toMatch(/^Done: that person is forgotten\./);
  expect(await database.db.selectFrom('people').select('user_id').where('user_id', '=', BOB).execute()).toEqual([]);
});
