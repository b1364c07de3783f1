import { channel, team } from '../support/fake-teams-activities';
import { BERLIN_TEAM } from '../support/teams-people';
import { useTeamsRig } from '../support/use-teams-rig';

/**
 * The weekly digest as Teams people see it, with Steady's real workflows behind /api/messages: an
 * admin makes a channel the digest's (`steady digest channel here`), a preview in a 1:1 chat, and
 * Monday's digest posted proactively in the channel once. The workspace's zone is Berlin.
 */
const BERLIN = 'Europe/Berlin';
const { alice, bob } = BERLIN_TEAM;
const ops = team('Ops');
const leads = channel(ops, 'Leads');

// Tuesday 24 Nov 2026, 10:00 in Berlin.
const setup = useTeamsRig({ start: '2026-11-24T09:00:00Z', defaultTimeZone: BERLIN });
beforeAll(async () => {
  await setup.rig.install(alice);
  await setup.rig.install(bob);
  await setup.rig.addToTeam(ops, alice, ['Leads']);
});

describe('the weekly digest in Teams', () => {
  test('an admin names the channel; bob previews it in his chat; Monday 09:00 it is posted in the channel once', async () => {
    await setup.rig.say(alice, 'escalate admins add @Alice Adams', undefined, { mentions: [alice] });
    await setup.rig.say(bob, 'steady digest off');
    expect(setup.rig.textsIn(bob).at(-1)).toBe('Only workspace admins can change the weekly digest. Ask one of them: @Alice Adams.');
    // Said in the channel, answered privately in alice's chat.
    await setup.rig.say(alice, '@Steady steady digest channel here', leads);
    expect(setup.rig.textsIn(alice, BERLIN).at(-1)).toBe(
      'The weekly digest is posted in Ops › #Leads every Monday at 09:00 (Europe/Berlin); next on Mon, 30 Nov 2026, 09:00 CET.',
    );

    await setup.rig.say(bob, 'steady digest now');
    const preview = setup.rig.textsIn(bob, BERLIN).at(-1)!;
    expect(preview.split('\n').slice(0, 4)).toEqual([
      'Weekly digest: Tue, 17 Nov 2026 to Mon, 23 Nov 2026 (preview)',
      'The 7 days to Tue, 24 Nov 2026, 10:00 CET against the 7 days before: ▲ up, ▼ down, = the same.',
      'Escalations',
      'Raised 0 = · Resolved 0 = · Resolved late 0 = · Open now 0 · Overdue now 0',
    ]);

    const before = setup.rig.textsIn(leads).length;
    await setup.rig.advance('2026-12-01T09:00:00Z');
    const posted = setup.rig
      .textsIn(leads, BERLIN)
      .slice(before)
      .filter((t) => t.startsWith('Weekly digest'));
    expect(posted).toHaveLength(1);
    expect(posted[0]!.split('\n').slice(0, 2)).toEqual([
      'Weekly digest: Mon, 23 Nov 2026 to Sun, 29 Nov 2026',
      'The 7 days to Mon, 30 Nov 2026, 09:00 CET against the 7 days before: ▲ up, ▼ down, = the same.',
    ]);
    expect(posted[0]).toContain('Decisions made\nNo escalation was resolved this week.');
  });
});
