import { channel, team } from '../../support/fake-teams-activities';
import { cardOf } from '../../support/fake-teams-cards';
import type { PostedMessage } from '../../support/fake-teams-connector';
import { TEAM_ACROSS_ZONES } from '../../support/teams-people';
import { useTeamsRig } from '../../support/use-teams-rig';

/**
 * Teams shows card times in each reader's zone, but a notification (the activity's summary) and the
 * card's fallback text show them as written: a direct message must be written in its reader's zone,
 * even when the stand-up asks everyone in its creator's zone.
 */
const { carol, ben } = TEAM_ACROSS_ZONES;
const ops = team('Ops');
const standups = channel(ops, 'Standups');

// Monday 30 Nov 2026: 18:00 in London, 12:00 in Chicago.
const setup = useTeamsRig({ start: '2026-11-30T18:00:00Z' });
beforeAll(async () => {
  await setup.rig.install(ben);
  await setup.rig.addToTeam(ops, carol, ['Standups']);
});

/** What Teams shows without drawing the card: the notification, and the card's fallback text. */
function unrendered(message: PostedMessage): { summary: string; fallback: string } {
  const activity = message.versions.at(-1);
  return { summary: activity.summary, fallback: cardOf(activity).fallbackText };
}

async function create(name: string, values: Record<string, string | (typeof ben)[]>): Promise<PostedMessage> {
  await setup.rig.say(carol, `@Steady standup create ${name}`, standups);
  await setup.rig.submit(carol, setup.rig.last(standups), { Participants: [ben], ...values });
  await setup.rig.advance(1000);
  return setup.rig.last(ben);
}

test("a stand-up in its creator's fixed zone: ben's welcome notification gives its first time in his zone", async () => {
  const welcome = await create('London sync', { 'Time zone': 'One fixed time zone for everyone', 'Fixed time zone': 'Europe/London' });
  expect(setup.rig.text(welcome, 'America/Chicago')).toContain(
    'at 09:30 Europe/London time; answers go to Ops › #Standups. The first is on Tue, 1 Dec 2026, 03:30 CST.',
  );
  const { summary, fallback } = unrendered(welcome);
  expect(summary).toContain('The first is on Tue, 1 Dec 2026, 03:30 CST.');
  expect(fallback).toContain('The first is on Tue, 1 Dec 2026, 03:30 CST.');
  expect(summary).not.toContain('GMT');
});

test("in each participant's own zone: the welcome's time zone hint names ben's zone, not anyone else's", async () => {
  const welcome = await create('Daily', {});
  const { summary, fallback } = unrendered(welcome);
  expect(summary).toContain('The first is on Tue, 1 Dec 2026, 09:30 CST.');
  for (const text of [setup.rig.text(welcome, 'America/Chicago'), fallback]) {
    expect(text).toContain('The first is on Tue, 1 Dec 2026, 09:30 CST.');
    expect(text).toContain('Not in America/Chicago? Set your zone with /steady tz <Area/City>.');
    expect(text).not.toMatch(/Europe\/(Berlin|London)/);
  }
});
