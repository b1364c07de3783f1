import { openTestDatabase, type TestDatabase } from '../support/database';
import { GENERAL, SlackRig } from '../support/slack-rig';

/**
 * The weekly digest through Steady's real Slack app: an admin names #ops-leads, alice raises
 * "Printer down", bob resolves it with the decision, and on Monday at 09:00 (the workspace's zone:
 * UTC here) the digest is posted in #ops-leads once, with the decision; `/steady digest now`
 * shows anyone the same privately.
 */
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const ERIN = 'U0ERIN';
const LEADS = 'C0LEADS';

let database: TestDatabase;
let rig: SlackRig;
beforeAll(async () => {
  database = await openTestDatabase();
  rig = await SlackRig.start({
    database,
    start: '2026-11-24T09:00:00Z',
    users: {
      [ALICE]: { name: 'alice', realName: 'Alice Adams', tz: 'Europe/Berlin' },
      [BOB]: { name: 'bob', realName: 'Bob Brown', tz: 'Europe/Berlin' },
      [ERIN]: { name: 'erin', realName: 'Erin Evans', tz: 'Europe/Berlin' },
    },
  });
  rig.slack.channelNames.set(GENERAL, 'general');
  rig.slack.channelNames.set(LEADS, 'ops-leads');
});
afterAll(async () => {
  await rig?.close();
  await database.close();
});

describe('the weekly digest in Slack', () => {
  test('set by an admin, refused to anyone else, previewed privately, posted in #ops-leads on Monday at 09:00 once', async () => {
    await rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
    await rig.as(ALICE).command('/steady', `digest channel <#${LEADS}|ops-leads>`);
    expect(rig.privateTo(ALICE).at(-1)).toBe('Only workspace admins can change the weekly digest. Ask one of them: @Erin Evans.');
    await rig.as(ERIN).command('/steady', `digest channel <#${LEADS}|ops-leads>`);
    expect(rig.privateTo(ERIN).at(-1)).toMatch(/^The weekly digest is posted in #ops-leads every Monday at 09:00 \(UTC\); next on /);

    await rig.as(ALICE).command('/escalate', 'Printer down');
    await rig.as(ALICE).submit({ impact: 'The whole floor cannot print', severity: 'SEV2', owner: BOB });
    await rig.advance('2026-11-24T09:20:00Z');
    await rig.as(BOB).command('/escalate', 'resolve ESC-1 Bought a new printer');
    await rig.advance('2026-11-24T09:21:00Z');

    await rig.as(ALICE).command('/steady', 'digest now');
    const preview = rig.privateTo(ALICE).at(-1)!;
    expect(preview).toContain('Weekly digest: Tue, 17 Nov 2026 to Mon, 23 Nov 2026 (preview)');
    expect(preview).toContain('Raised 1 ▲1 · Resolved 1 ▲1 · Resolved late 0 = · Open now 0 · Overdue now 0');
    expect(preview).toContain('• ESC-1 Printer down: Bought a new printer (owner @Bob Brown)');
    expect(rig.postsIn(LEADS)).toEqual([]);

    await rig.advance('2026-11-30T09:30:00Z');
    const posts = rig.postsIn(LEADS);
    expect(posts).toHaveLength(1);
    const digest = rig.visible(posts[0]!.blocks);
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
    await rig.advance('2026-12-01T09:30:00Z');
    expect(rig.postsIn(LEADS)).toHaveLength(1);
  });
});
