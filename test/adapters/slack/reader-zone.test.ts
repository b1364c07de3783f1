import { openTestDatabase, type TestDatabase } from '../../support/database';
import { SlackRig } from '../../support/slack-rig';

/**
 * Slack shows a <!date> token in each reader's zone, but a notification shows the message's text as
 * written: a direct message's text must be written in its reader's zone, even for a stand-up that
 * asks everyone in its creator's zone.
 */
const BEN = 'U0BEN';
const CAROL = 'U0CAROL';
const TEAM = 'C0TEAM';

let database: TestDatabase;
let rig: SlackRig;
beforeAll(async () => {
  database = await openTestDatabase();
  rig = await SlackRig.start({
    database,
    start: '2026-11-30T16:00:00Z', // Monday: 16:00 in London, 10:00 in Chicago
    users: {
      [BEN]: { name: 'ben', realName: 'Ben Bell', tz: 'America/Chicago' },
      [CAROL]: { name: 'carol', realName: 'Carol Cole', tz: 'Europe/London' },
    },
  });
  rig.slack.channelNames.set(TEAM, 'team');
});
afterAll(async () => {
  await rig?.close();
  await database.close();
});

test("a stand-up in carol's fixed zone: ben's welcome notification gives its first time in his zone", async () => {
  await rig.as(CAROL, TEAM).command('/standup', 'create Daily');
  expect(await rig.as(CAROL).submit({ participants: [BEN], zoneMode: 'fixed', zone: 'Europe/London' })).toEqual({
    status: 200,
    body: undefined,
  });
  await rig.advance(0);
  const [welcome] = rig.slack.messagesIn(rig.slack.dmChannel(BEN));
  expect(rig.visible(welcome!.blocks)).toContain('at 09:30 Europe/London time; answers go to #team.');
  // The date token's fallback, which notifications show.
  expect(welcome!.text).toContain('The first is on <!date^1796117400^{date_short_pretty} {time}|Tue, 1 Dec 2026, 03:30 CST>.');
  expect(welcome!.text).not.toContain('GMT');
});
