import { GENERAL } from '../support/slack-rig';
import { ALICE, BERLIN_TEAM, BOB, ERIN, peopleOf } from '../support/slack-people';
import { useSlackRig } from '../support/use-slack-rig';

/**
 * The weekly digest through Steady's real Slack app: an admin names #ops-leads, alice raises
 * "Printer down", bob resolves it with the decision, and on Monday at 09:00 (the workspace's zone:
 * UTC here) the digest is posted in #ops-leads once, with the decision; `/steady digest now`
 * shows anyone the same privately.
 */
const LEADS = 'C0LEADS';

const setup = useSlackRig({
  start: '2026-11-24T09:00:00Z',
  users: peopleOf(BERLIN_TEAM, ALICE, BOB, ERIN),
  channels: { [GENERAL]: 'general', [LEADS]: 'ops-leads' },
});

describe('the weekly digest in Slack', () => {
  test('set by an admin, refused to anyone else, previewed privately, posted in #ops-leads on Monday at 09:00 once', async () => {
    await setup.rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
    await setup.rig.as(ALICE).command('/steady', `digest channel <#${LEADS}|ops-leads>`);
    expect(setup.rig.privateTo(ALICE).at(-1)).toBe('Only workspace admins can change the weekly digest. Ask one of them: @Erin Evans.');
    await setup.rig.as(ERIN).command('/steady', `digest channel <#${LEADS}|ops-leads>`);
    expect(setup.rig.privateTo(ERIN).at(-1)).toMatch(/^The weekly digest is posted in #ops-leads every Monday at 09:00 \(UTC\); next on /);

    await setup.rig.as(ALICE).command('/escalate', 'Printer down');
    await setup.rig.as(ALICE).submit({ impact: 'The whole floor cannot print', severity: 'SEV2', owner: BOB });
    await setup.rig.advance('2026-11-24T09:20:00Z');
    await setup.rig.as(BOB).command('/escalate', 'resolve ESC-1 Bought a new printer');
    await setup.rig.advance('2026-11-24T09:21:00Z');

    await setup.rig.as(ALICE).command('/steady', 'digest now');
    const preview = setup.rig.privateTo(ALICE).at(-1)!;
    expect(preview).toContain('Weekly digest: Tue, 17 Nov 2026 to Mon, 23 Nov 2026 (preview)');
    expect(preview).toContain('Raised 1 ▲1 · Resolved 1 ▲1 · Resolved late 0 = · Open now 0 · Overdue now 0');
    expect(preview).toContain('• ESC-1 Printer down: Bought a new printer (owner @Bob Brown)');
    expect(setup.rig.postsIn(LEADS)).toEqual([]);

    await setup.rig.advance('2026-11-30T09:30:00Z');
    const posts = setup.rig.postsIn(LEADS);
    expect(posts).toHaveLength(1);
    const digest = setup.rig.visible(posts[0]!.blocks);
    expect(digest.split('\n').slice(0, 5)).toEqual([
      'Weekly digest: Mon, 23 Nov 2026 to Sun, 29 Nov 2026',
      'The 7 days to Mon, 30 Nov 2026, 09:00 UTC against the 7 days before: ▲ up, ▼ down, = the same.',
      'Escalations',
      'Raised 1 ▲1 · Resolved 1 ▲1 · Resolved late 0 = · Open now 0 · Overdue now 0',
      'Time to acknowledge: median n/a, p90 n/a (0 acknowledged)',
    ]);
    expect(digest).toContain('Time to resolve: median 20m, p90 20m (1 resolved)');
    expect(digest).toContain('Decisions made (1)\n• ESC-1 Printer down: Bought a new printer (owner @Bob Brown)');
    expect(digest).toContain('Stand-ups\nNo stand-ups yet.');
    await setup.rig.advance('2026-12-01T09:30:00Z');
    expect(setup.rig.postsIn(LEADS)).toHaveLength(1);
  });
});
