import { runConsole, shownFrom } from '../support/console-script';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { resetHandoffs } from './support';

/**
 * A team's first week with rotations, played in the console as a new user would: eve sets them up,
 * alice and bob take the shifts. Everyone is in Berlin unless a test says otherwise.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** A fresh database, then the lines typed by eve from `start`. */
async function play(start: string, lines: string[]): Promise<string> {
  await resetHandoffs(database);
  return runConsole(database, lines, { start, user: 'eve', echo: true });
}

const PEOPLE = ['/as alice Europe/Berlin', '/as bob Europe/Berlin', '/as eve Europe/Berlin', '/in #ops'];

/** `/handoff rotation create` with a name, the members, the shifts and days (blank: the defaults), every other field as offered. */
function createRotation(name: string, members: string, shifts = '', days = '', firstDay = ''): string[] {
  return ['/handoff rotation create', name, members, shifts, days, '', firstDay, '', '', '', '', ''];
}

/** The message that follows `heading`, up to the blank line after it. */
function message(out: string, heading: string, from = 0): string {
  const at = out.indexOf(heading, from);
  if (at < 0) throw new Error(`never shown: ${heading}\n${out}`);
  return out.slice(at, out.indexOf('\n\n', at));
}

describe('a new rotation covers the shift in progress', () => {
  test('created mid-shift: the first member is on now, and hands over at the first boundary', async () => {
    // Monday 7 Dec 2026, 10:00 in Berlin: the 07:00-15:00 shift is under way.
    const out = await play('2026-12-07T09:00:00Z', [...PEOPLE, ...createRotation('Ops', '@alice @bob'), '/handoff who Ops', '/wait 4h30m']);
    expect(message(out, '[#ops · only @eve sees this] Steady:\n  Created the rotation Ops')).toContain(
      '\n  On shift now: @alice, until 15:00 CET.\n',
    );
    expect(message(out, '@eve> /handoff who Ops')).toContain(
      'Ops (Europe/Berlin)\n  Now: @alice, until Mon, 7 Dec 2026, 15:00 CET\n  Next: @bob, Mon, 7 Dec 2026, 15:00 CET – 23:00 CET (8h)',
    );
    // The shift in progress has its handoff like any other.
    expect(message(out, '[DM with @alice] Steady:\n  Handoff due: Ops')).toContain(
      'Your shift ends at 15:00 CET. Write your handoff note for @bob, who takes over Mon, 7 Dec 2026, 15:00 CET.',
    );
  });

  test('created in the night shift that Berlin falls back in: covered until 07:00 CET, nine hours after it began', async () => {
    // Sunday 25 Oct 2026, 02:30 CEST (00:30 UTC), half an hour before the clocks go back.
    const out = await play('2026-10-25T00:30:00Z', [...PEOPLE, ...createRotation('Night', '@alice @bob'), '/handoff who Night']);
    expect(message(out, 'Created the rotation Night')).toContain('\n  On shift now: @alice, until 07:00 CET.\n');
    expect(message(out, '@eve> /handoff who Night')).toContain(
      'Now: @alice, until Sun, 25 Oct 2026, 07:00 CET\n  Next: @bob, Sun, 25 Oct 2026, 07:00 CET – 15:00 CET (8h)',
    );
  });

  test('a weekly rotation created on a Wednesday: the week under way is covered; a first day ahead still waits for it', async () => {
    // Wednesday 9 Dec 2026, 12:00 in Berlin.
    const out = await play('2026-12-09T11:00:00Z', [
      ...PEOPLE,
      ...createRotation('Weekly', '@alice @bob', 'weekly mon 09:00'),
      ...createRotation('Later', '@alice @bob', '', '', '2026-12-14'),
    ]);
    expect(message(out, 'Created the rotation Weekly')).toContain('\n  On shift now: @alice, until Mon, 14 Dec 2026, 09:00 CET.\n');
    expect(message(out, 'Created the rotation Later')).toContain('\n  First shift: Mon, 14 Dec 2026, 07:00 CET, @alice.\n');
  });
});

describe('people added to a rotation are told', () => {
  test('each new member hears who added them and their first shift, in their own zone; an edit tells only whoever it adds', async () => {
    // Monday 7 Dec 2026, 09:00 in Berlin, 03:00 in New York.
    const out = await play('2026-12-07T08:00:00Z', [
      '/as bob America/New_York',
      ...PEOPLE.filter((l) => !l.startsWith('/as bob')),
      '/as carol Europe/Berlin',
      '/as eve',
      ...createRotation('Ops', '@alice @bob'),
      '/handoff rotation edit Ops',
      '',
      '@alice @bob @carol',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      ...createRotation('Day', '@eve @alice', '09:00'), // eve adds herself: she is not told
    ]);
    expect(message(out, '[DM with @alice] Steady:\n  @eve added you to the Ops rotation')).toBe(
      [
        '[DM with @alice] Steady:',
        '  @eve added you to the Ops rotation: 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin. You are on shift now, until 15:00 CET.',
        '  Before each of your shifts ends I will ask you for a handoff note for the next person; notes go to #ops. The supervisor is @eve.',
        '  /handoff who Ops shows who is on; /handoff swap Ops @name <date> offers a shift in exchange for theirs.',
      ].join('\n'),
    );
    expect(message(out, '[DM with @bob] Steady:\n  @eve added you to the Ops rotation')).toContain(
      'Your first shift: Mon, 7 Dec 2026, 09:00 EST–17:00 EST.',
    );
    expect(message(out, '[DM with @carol] Steady:\n  @eve added you to the Ops rotation')).toContain(
      'Your first shift: Mon, 7 Dec 2026, 23:00 CET–07:00 CET.',
    );
    expect(message(out, '[DM with @alice] Steady:\n  @eve added you to the Day rotation')).toContain(
      'Day rotation: 09:00, every day in Europe/Berlin. Your first shift: Tue, 8 Dec 2026, 09:00 CET–Wed, 9 Dec 2026, 09:00 CET.',
    );
    expect(out.match(/added you to the Ops rotation/g)).toHaveLength(3);
    expect(out).not.toContain('[DM with @eve] Steady:\n  @eve added you');
  });
});

describe('a handoff note says which escalations are overdue', () => {
  test('the reminder counts them, the form and the delivered note mark them', async () => {
    // Monday 7 Dec 2026, 09:00 in Berlin: alice is on until 15:00 and owns an escalation due at 12:00.
    const out = await play('2026-12-07T08:00:00Z', [
      ...PEOPLE,
      ...createRotation('Ops', '@alice @bob'),
      '/as alice',
      '/escalate',
      'Printer down',
      'The floor cannot print',
      '',
      '',
      '2',
      '@alice',
      '2026-12-07 12:00',
      '',
      '/escalate',
      'Badge reader flaky',
      'Doors stick',
      '',
      '',
      '',
      '@alice',
      '2026-12-08 12:00',
      '',
      '/wait 5h30m', // 14:30: the note reminder
      '/handoff note', // the same form as the reminder's button
      '', // status: steady
      'Quiet apart from the printer',
      '',
      '',
      '', // the other sections
      '', // keep both escalations
      '', // hand them over
      '/wait 30m', // 15:00: delivered
    ]);
    const reminder = message(out, '[DM with @alice] Steady:\n  Handoff due: Ops');
    expect(reminder).toContain("The form is pre-filled with your 2 open escalations (1 overdue) and today's stand-up blockers.");
    expect(reminder).toMatch(/\[\d+\] Write handoff/);
    const rest = shownFrom(out, '── Handoff: Ops ──');
    expect(rest).toContain('1. ESC-1 Printer down · overdue since Mon, 7 Dec 2026, 12:00 CET\n');
    expect(rest).toContain('2. ESC-2 Badge reader flaky · due Tue, 8 Dec 2026, 12:00 CET\n');
    expect(message(rest, '[#ops] Steady:\n  Handoff · Ops')).toContain(
      'Open escalations\n  • ESC-1 Printer down · overdue since Mon, 7 Dec 2026, 12:00 CET\n  • ESC-2 Badge reader flaky · due Tue, 8 Dec 2026, 12:00 CET',
    );
    expect(message(rest, '[DM with @bob] Steady:\n  Handoff · Ops')).toContain(
      '• ESC-1 Printer down · overdue since Mon, 7 Dec 2026, 12:00 CET',
    );
  });
});

describe('swaps of 24-hour shifts', () => {
  test("give the date each shift ends, in each reader's zone", async () => {
    // Monday 7 Dec 2026, 10:00 in Berlin; bob is in New York.
    const out = await play('2026-12-07T09:00:00Z', [
      '/as bob America/New_York',
      ...PEOPLE.filter((l) => !l.startsWith('/as bob')),
      ...createRotation('Day', '@alice @bob', '09:00'), // alice Mon, bob Tue, alice Wed, bob Thu
      '/as alice',
      '/handoff swap Day @bob 2026-12-09 2026-12-10',
    ]);
    expect(message(out, '[#ops · only @alice sees this] Steady:\n  Asked @bob')).toContain(
      'Asked @bob to take your Day shift Wed, 9 Dec 2026, 09:00 CET–Thu, 10 Dec 2026, 09:00 CET in exchange for theirs Thu, 10 Dec 2026, 09:00 CET–Fri, 11 Dec 2026, 09:00 CET.',
    );
    expect(message(out, '[DM with @bob] Steady:\n  Shift swap: Day')).toContain(
      '@alice asks to swap: you take their shift Wed, 9 Dec 2026, 03:00 EST–Thu, 10 Dec 2026, 03:00 EST, and they take yours Thu, 10 Dec 2026, 03:00 EST–Fri, 11 Dec 2026, 03:00 EST.',
    );
  });
});
