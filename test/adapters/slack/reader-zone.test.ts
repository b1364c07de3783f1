import { BEN, CAROL, TEAM_ACROSS_ZONES, peopleOf } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';

/**
 * Slack shows a <!date> token in each reader's zone, but a notification shows the message's text as
 * written: a direct message's text must be written in its reader's zone, even for a stand-up that
 * asks everyone in its creator's zone.
 */
const TEAM = 'C0TEAM';

const setup = useSlackRig({
  start: '2026-11-30T16:00:00Z', // Monday: 16:00 in London, 10:00 in Chicago
  users: peopleOf(TEAM_ACROSS_ZONES, BEN, CAROL),
  channels: { [TEAM]: 'team' },
});

test("a stand-up in carol's fixed zone: ben's welcome notification gives its first time in his zone", async () => {
  await setup.rig.as(CAROL, TEAM).command('/standup', 'create Daily');
  expect(await setup.rig.as(CAROL).submit({ participants: [BEN], zoneMode: 'fixed', zone: 'Europe/London' })).toEqual({
    status: 200,
    body: undefined,
  });
  await setup.rig.advance(0);
  const [welcome] = setup.rig.slack.messagesIn(setup.rig.slack.dmChannel(BEN));
  expect(setup.rig.visible(welcome!.blocks)).toContain('at 09:30 Europe/London time; answers go to #team.');
  // The date token's fallback, which notifications show.
  expect(welcome!.text).toContain('The first is on <!date^1796117400^{date_short_pretty} {time}|Tue, 1 Dec 2026, 03:30 CST>.');
  expect(welcome!.text).not.toContain('GMT');
});
