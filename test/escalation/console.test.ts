import { CONSOLE_SCHEDULER, prepareConsole } from '../../adapters/console';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { createSteady } from '../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { capture, script } from '../support/streams';
import { resetDatabase } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await resetDatabase(database);
});

/** A console session with Steady's real workflows, on the test database, with a fake clock. */
async function runConsole(lines: string[], start = '2026-11-30T09:00:00Z'): Promise<string> {
  const clock = new FakeClock(start);
  const platforms = new Platforms();
  const output = capture();
  const parts = prepareConsole({ input: script(lines), output: output.stream }, platforms);
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms, scheduler: CONSOLE_SCHEDULER });
  await parts.session(steady, { clock, log: silentLog, user: 'erin' }).run();
  return output.text();
}

describe('/escalate in the console', () => {
  test('an admin sets up a policy; an escalation is raised by form, climbs, is acknowledged, worked by button and resolved', async () => {
    const out = await runConsole([
      '/as erin Europe/Berlin',
      '/escalate admins add @erin',
      '/escalate policy create Ops',
      '', // repeat: once
      '@carol',
      'yes', // carol has never used Steady: add her
      '', // level 1 channel
      '15',
      '@dave',
      'yes',
      '#ops',
      'yes', // #ops has never been used: add it
      '30',
      '',
      '',
      '', // level 3 left empty
      '/escalate policy default Ops',
      '/as alice Europe/Berlin',
      '/escalate Printer down',
      'The whole floor cannot print',
      '', // options
      'Buy a new one',
      '2', // SEV2
      '@bob',
      'yes',
      '2026-11-29 10:00', // in the past: refused by the workflow
      '', // post in #general
      '', // policy: Ops
      '', // due again: empty for the default by severity
      '/wait 15m',
      '/as dave America/New_York',
      '/escalate ack ESC-1',
      '/show 1', // the card, in full as dave sees it
      '/as bob Europe/Berlin',
      '4', // Change due, on the card as first posted
      '+6h',
      'Vendor delayed',
      '/escalate resolve ESC-1 Bought a new printer',
      '/escalate show ESC-1',
      '/as erin',
      '/escalate settings channel #escalations',
      'yes',
    ]);
    expect(out).toContain('#escalations has never been used here. Type yes to add it, or /in #escalations first.');
    expect(out).toContain('@erin is now a workspace admin');
    expect(out).toContain('Created. Ops:\n     1. @carol, then wait 15m\n     2. @dave, #ops, then wait 30m');
    expect(out).toContain('Please fix:\n  Due by: That due time is in the past. Pick a later one, or leave it empty for the default.');
    expect(out).toContain('[#general] Steady:\n  ESC-1 · SEV2 · Printer down\n  Status: Open, waiting for acknowledgement');
    expect(out).toContain('[1] Acknowledge   [2] Add update   [3] Reassign   [4] Change due   [5] Resolve   [6] Cancel');
    expect(out).toContain('[DM with @bob] Steady:\n  You own ESC-1, raised by @alice.');
    expect(out).toContain('[DM with @carol] Steady:\n  ESC-1 needs someone to acknowledge it. You are on level 1 of 2 of Ops.');
    expect(out).toContain(
      '[#general · only @alice sees this] Steady:\n  Raised ESC-1: Printer down\n  Posted in #general · owner @bob · due Mon, 30 Nov 2026, 14:00 CET · policy Ops',
    );
    expect(out).toContain('(15m later) It is now Mon, 30 Nov 2026, 10:15 CET.');
    expect(out).toContain('[DM with @dave] Steady:\n  ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of Ops.');
    expect(out).toContain('[#ops] Steady:\n  ESC-1 needs someone to acknowledge it. This channel is on level 2 of 2 of Ops.');
    // The reader's own zone: dave in New York sees the due time in EST.
    expect(out).toContain('    ↳ [#general · reply in thread] Steady:\n      Acknowledged by @dave');
    // Changes to the card and the direct messages are one line each; /show draws one in full.
    expect(out).toContain(
      '[#general · updated] ESC-1 · SEV2 · Printer down → Status: Acknowledged by @dave (and 1 more change)  (/show 1)',
    );
    // carol's page and bob's notice went out at the same moment, so either may be numbered first.
    const carolUpdated =
      /^\[DM with @carol · updated\] ESC-1 needs someone to acknowledge it\. You are on level 1… → No longer needed: @dave acknowledged it\. {2}\(\/show (\d+)\)$/m.exec(
        out,
      );
    const bobUpdated =
      /^\[DM with @bob · updated\] You own ESC-1, raised by @alice\. Please acknowledge it… → Now: acknowledged by @dave {2}\(\/show (\d+)\)$/m.exec(
        out,
      );
    expect([carolUpdated?.[1], bobUpdated?.[1]].sort()).toEqual(['2', '3']);
    expect(out).toContain('[#general · message 1, as it is now] Steady:\n  ESC-1 · SEV2 · Printer down\n  Status: Acknowledged by @dave');
    expect(out).toContain('Due: Mon, 30 Nov 2026, 08:00 EST');
    // The card's update and alice's message went out at the same moment: their buttons are numbered in either order.
    const resolvedCard =
      /^\[#general · updated\] ESC-1 · SEV2 · Printer down → Status: Resolved by @bob \(and 2 more changes\) {3}\[(\d+)\] Reopen {2}\(\/show 1\)$/m.exec(
        out,
      );
    const toldAlice =
      /^\[DM with @alice\] Steady:\n {2}@bob resolved ESC-1 Printer down\.\n {2}Decision\n {2}Bought a new printer\n {2}\[(\d+)\] View$/m.exec(
        out,
      );
    expect([resolvedCard?.[1], toldAlice?.[1]].sort()).toEqual(['19', '20']);
    expect(out).toContain('── Change due: ESC-1 ── (/cancel to stop)');
    expect(out).toContain('ESC-1 is now due Mon, 30 Nov 2026, 16:15 CET. Reminders follow the new time.');
    expect(out).toContain('      Due time changed by @bob from Mon, 30 Nov 2026, 14:00 CET to Mon, 30 Nov 2026, 16:15 CET: Vendor delayed');
    expect(out).toContain('Resolved ESC-1: Printer down. The decision is recorded and every pending reminder is cancelled.');
    expect(out).toContain('[DM with @alice] Steady:\n  @bob resolved ESC-1 Printer down.\n  Decision\n  Bought a new printer');
    expect(out).toContain('New escalations are now posted in #escalations unless the raiser picks another channel.');
    const shown = out.slice(out.lastIndexOf('Timeline'));
    expect(shown.split('\n').slice(1, 7)).toEqual([
      '  Mon, 30 Nov 2026, 10:00 CET · Raised by @alice: SEV2, owner @bob, due Mon, 30 Nov 2026, 14:00 CET, policy Ops',
      '  Mon, 30 Nov 2026, 10:00 CET · Level 1 notified: @carol',
      '  Mon, 30 Nov 2026, 10:15 CET · Level 2 notified: @dave, #ops',
      '  Mon, 30 Nov 2026, 10:15 CET · Acknowledged by @dave',
      '  Mon, 30 Nov 2026, 10:15 CET · Due time changed by @bob from Mon, 30 Nov 2026, 14:00 CET to Mon, 30 Nov 2026, 16:15 CET: Vendor delayed',
      '  Mon, 30 Nov 2026, 10:15 CET · Resolved by @bob: Bought a new printer',
    ]);
  });
});

describe('forms in the console start at the first field they do not know', () => {
  test('/escalate <title> does not ask for the title again; /escalate policy create <name> not for the name', async () => {
    const out = await runConsole([
      '/as erin Europe/Berlin',
      '/escalate admins add @erin',
      '/escalate policy create Night',
      '', // repeat: once
      '@carol',
      'yes', // carol has never used Steady: add her
      '',
      '15',
      '',
      '',
      '',
      '',
      '',
      '',
      '/as alice Europe/Berlin',
      '/escalate Printer down',
      'The whole floor cannot print',
      '', // options
      '', // recommendation
      '2',
      '@bob',
      'yes',
      '', // due: the default
      '', // post in #general
      '', // policy: none
    ]);
    expect(out).toContain('── New escalation policy ── (/cancel to stop)');
    expect(out).not.toContain('Name (required; text) [Night]');
    expect(out).toContain('Created. Night:\n     1. @carol, then wait 15m');
    expect(out).toContain('── Raise an escalation ── (/cancel to stop)');
    expect(out).toContain('Title: Printer down\n');
    expect(out).not.toContain('Title (required; text)');
    expect(out).toContain('Impact (required; text; \\n for a new line)');
    expect(out).toContain('Raised ESC-1: Printer down');
  });
});

describe('deleting an escalation policy in the console', () => {
  test('asks first with a button; only pressing it deletes, and only an admin may', async () => {
    const out = await runConsole([
      '/as erin Europe/Berlin',
      '/escalate admins add @erin',
      '/escalate policy create Ops',
      '', // repeat: once
      '@carol',
      'yes', // carol has never used Steady: add her
      '',
      '15',
      '',
      '',
      '',
      '',
      '',
      '',
      '/escalate policy default Ops',
      '/escalate policy delete Ops',
      '/escalate policy list',
      '/as bob Europe/Berlin',
      '1',
      '/as erin',
      '1',
      '/escalate policy list',
      '1',
    ]);
    expect(out).toContain(
      [
        '[#general · only @erin sees this] Steady:',
        '  Delete the escalation policy Ops? It is the default for new escalations: new ones will have no policy unless the raiser picks one. Escalations already raised with it keep their copy and carry on.',
        '  [1] Delete Ops',
      ].join('\n'),
    );
    const asked = out.indexOf('Delete the escalation policy Ops?');
    const deleted = out.indexOf('Deleted the escalation policy Ops.');
    // Asking deletes nothing: it is still listed, as the default.
    expect(out.slice(asked, deleted)).toContain('Ops (default):\n     1. @carol, then wait 15m');
    expect(out.slice(asked, deleted)).toContain('Only workspace admins can delete escalation policies.');
    expect(out.slice(deleted)).toContain('There are no escalation policies yet.');
    expect(out.slice(deleted)).toContain('That escalation policy was already deleted.');
  });
});

/** The messages a transcript shows under this heading prefix (e.g. `[DM with @bob`), each as its lines. */
function shownUnder(out: string, heading: string): string[] {
  return out
    .split('\n\n')
    .map((chunk) => chunk.slice(chunk.indexOf('\n[') + 1))
    .filter((chunk) => chunk.startsWith(heading));
}

/**
 * An admin and a policy "Ops" whose levels page these people (each level's wait in minutes). The
 * people have never used Steady, so each level's are agreed to with a yes.
 */
function opsPolicy(levels: readonly { people: string; wait: number }[]): string[] {
  const lines = ['/as erin Europe/Berlin', '/escalate admins add @erin', '/escalate policy create Ops', ''];
  for (let i = 0; i < 3; i++) {
    const level = levels[i];
    lines.push(...(level ? [level.people, 'yes', '', String(level.wait)] : ['', '', '']));
  }
  lines.push('/escalate policy default Ops');
  return lines;
}

/**
 * alice raises "Printer down" at 10:00 CET with this severity (1–4), owned by `owner`, with the
 * default policy; `ownerIsNew`: the owner has never used Steady, so is agreed to with a yes.
 */
function raisePrinterDown(severity: string, owner: string, ownerIsNew = false): string[] {
  return [
    '/as alice Europe/Berlin',
    '/escalate Printer down',
    'The whole floor cannot print',
    '',
    '',
    severity,
    owner,
    ...(ownerIsNew ? ['yes'] : []),
    '',
    '',
    '',
  ];
}

describe('one person, one message per event, in the console', () => {
  test('an owner who is also on level 1 gets one message naming both reasons; the page still counts', async () => {
    const out = await runConsole([
      ...opsPolicy([{ people: '@bob @carol', wait: 15 }]),
      ...raisePrinterDown('2', '@bob'),
      '/escalate show ESC-1',
    ]);
    const toBob = shownUnder(out, '[DM with @bob]');
    expect(toBob).toHaveLength(1);
    expect(toBob[0]).toContain(
      'You own ESC-1, raised by @alice, and are on level 1 of 1 of Ops. Please acknowledge it, then drive it to a decision by the due time.',
    );
    expect(toBob[0]).toMatch(/\[\d+\] Acknowledge /);
    expect(shownUnder(out, '[DM with @carol]')).toEqual([
      expect.stringContaining('ESC-1 needs someone to acknowledge it. You are on level 1 of 1 of Ops.'),
    ]);
    expect(out).toContain('↳ [#general · reply in thread] Steady:\n      Level 1 notified: @bob, @carol');
    expect(out).toContain('Mon, 30 Nov 2026, 10:00 CET · Level 1 notified: @bob, @carol');
  });

  test('overdue and moved up to a level that names the owner: one message says both', async () => {
    const out = await runConsole([
      ...opsPolicy([
        { people: '@carol', wait: 600 },
        { people: '@bob', wait: 15 },
      ]),
      ...raisePrinterDown('1', '@bob'),
      '/wait 1h',
    ]);
    const toBob = shownUnder(out, '[DM with @bob]');
    // bob never set a zone: his messages give times in the workspace's, UTC.
    expect(toBob.map((m) => m.split('\n')[1])).toEqual([
      '  You own ESC-1, raised by @alice. Please acknowledge it, then drive it to a decision by the due time.',
      '  Reminder: ESC-1 Printer down is due Mon, 30 Nov 2026, 10:00 UTC (in 15m).',
      '  ESC-1 Printer down is now overdue: it was due Mon, 30 Nov 2026, 10:00 UTC. It was escalated to level 2 of 2 of Ops, which names you too.',
    ]);
    expect(out).toContain('Level 2 notified: @bob');
  });
});

describe('a direct message that no longer applies to its reader says so at its top, in the console', () => {
  test("reassigned: the old owner's message says it is no longer theirs and loses its buttons", async () => {
    // The card and bob's message are updated at the same moment, so either may be /show 1: both are drawn.
    const out = await runConsole([
      ...raisePrinterDown('2', '@bob', true),
      '/escalate reassign ESC-1 @dave Bob is away',
      'yes',
      '/show 1',
      '/show 2',
    ]);
    expect(shownUnder(out, '[DM with @bob]').map((m) => m.split('\n')[1])).toEqual([
      '  You own ESC-1, raised by @alice. Please acknowledge it, then drive it to a decision by the due time.',
      '  @alice reassigned ESC-1 Printer down from you to @dave. You no longer own it.',
    ]);
    // The update is one line saying what changed; /show draws it in full.
    const updated =
      /^\[DM with @bob · updated\] You own ESC-1, raised by @alice\. Please acknowledge it… → You no longer own ESC-1: @dave does now\. \(and 1 more change\) {2}\(\/show (\d+)\)$/m.exec(
        out,
      );
    expect(updated).not.toBeNull();
    const toBob = shownUnder(out, `[DM with @bob · message ${updated![1]}, as it is now]`);
    expect(toBob).toHaveLength(1);
    expect(toBob[0]!.split('\n').slice(0, 3)).toEqual([
      `[DM with @bob · message ${updated![1]}, as it is now] Steady:`,
      '  You no longer own ESC-1: @dave does now.',
      '  You own ESC-1, raised by @alice. Please acknowledge it, then drive it to a decision by the due time.',
    ]);
    expect(toBob[0]!.split('\n').at(-1)).toMatch(/^ {2}\[\d+\] View$/);
  });
});

describe('chasing an overdue escalation in the console', () => {
  /** The "Owner chased" lines of ESC-1's timeline, as `/escalate show` gives them. */
  const chases = (out: string) =>
    out
      .slice(out.lastIndexOf('Timeline'))
      .split('\n')
      .filter((l) => l.includes('Owner chased'));

  test("only in the owner's working hours, in their zone across a DST change, backing off after the third, summing up", async () => {
    // Friday 30 October 2026, 15:00 in New York (EDT); the US falls back to EST on Sunday.
    const out = await runConsole(
      ['/as bob America/New_York', ...raisePrinterDown('1', '@bob'), '/wait 6d', '/as bob', '/escalate show ESC-1'],
      '2026-10-30T19:00:00Z',
    );
    expect(out).toContain('Overdue: it was due Fri, 30 Oct 2026, 16:00 EDT');
    expect(chases(out)).toEqual([
      '  Fri, 30 Oct 2026, 17:00 EDT · Owner chased (reminder 1 since it went overdue)',
      // Nothing on Friday evening or over the weekend: Monday 08:00, now in EST.
      '  Mon, 2 Nov 2026, 08:00 EST · Owner chased (reminder 2 since it went overdue)',
      '  Mon, 2 Nov 2026, 09:00 EST · Owner chased (reminder 3 since it went overdue)',
      // Backing off: 2h, 4h, 8h (past 18:00, so the next morning), 16h, then a day.
      '  Mon, 2 Nov 2026, 11:00 EST · Owner chased (reminder 4 since it went overdue)',
      '  Mon, 2 Nov 2026, 15:00 EST · Owner chased (reminder 5 since it went overdue)',
      '  Tue, 3 Nov 2026, 08:00 EST · Owner chased (reminder 6 since it went overdue)',
      '  Wed, 4 Nov 2026, 08:00 EST · Owner chased (reminder 7 since it went overdue)',
      '  Thu, 5 Nov 2026, 08:00 EST · Owner chased (reminder 8 since it went overdue)',
    ]);
    const chaseDms = shownUnder(out, '[DM with @bob]').filter((m) => /overdue for|Still overdue/.test(m));
    expect(chaseDms).toHaveLength(8);
    expect(chaseDms[0]).toContain('ESC-1 Printer down has been overdue for 1h (due ');
    // A later chase sums up instead of repeating the first.
    expect(chaseDms[3]).toMatch(
      /Still overdue after 2d 20h: ESC-1 Printer down was due .*\. This is reminder 4 since it went overdue, with no decision yet\./,
    );
    expect(chaseDms[3]).toContain('Reminders now come less often (up to a day apart), in your working hours only.');
  });

  test('admins set the working hours in /escalate settings; a wrong value is refused with how to write it', async () => {
    const out = await runConsole([
      '/as erin Europe/Berlin',
      '/escalate admins add @erin',
      '/escalate settings',
      '/escalate settings hours 18:00-08:00',
      '/escalate settings hours Mon-Fri 18:00-08:00',
      '/escalate settings hours Sun-Thu 9:00-17:00',
      '/escalate settings',
      '/escalate settings hours always',
      '/escalate settings hours default',
      '/as bob',
      '/escalate settings hours always',
    ]);
    expect(out).toContain(
      "• Overdue escalations are chased every 1h, only Mon–Fri 08:00–18:00 in the owner's time zone; after the third reminder less often (each wait doubled, up to a day)",
    );
    expect(out).toContain(
      '"18:00-08:00" is not working hours. Give days and times such as "Mon-Fri 08:00-18:00" or "Sun-Thu 09:00-17:00", or "always" to chase at any hour.',
    );
    expect(out).toContain('The end must be after the start; hours across midnight are not supported.');
    expect(out).toContain(
      "Overdue escalations are now chased only Sun–Thu 09:00–17:00, in each owner's own time zone (from their next reminder on).",
    );
    expect(out).toContain("• Overdue escalations are chased every 1h, only Sun–Thu 09:00–17:00 in the owner's time zone");
    expect(out).toContain('Overdue escalations are now chased at any hour (from their next reminder on).');
    expect(out).toContain(
      "Overdue escalations are now chased only Mon–Fri 08:00–18:00, in each owner's own time zone (from their next reminder on).",
    );
    expect(out).toContain('Only workspace admins can change escalation settings.');
  });
});
