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
  await resetDatabase(database.db);
});
afterAll(async () => {
  await database.close();
});

/** The console with Steady's own workflows, as `npm start` runs them, on a fake clock. */
async function runConsole(lines: string[]): Promise<string> {
  const clock = new FakeClock('2026-11-29T12:00:00Z');
  const platforms = new Platforms();
  const output = capture();
  const parts = prepareConsole({ input: script(lines), output: output.stream }, platforms);
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms, scheduler: CONSOLE_SCHEDULER });
  await parts.session(steady, { clock, log: silentLog, user: 'carol' }).run();
  return output.text();
}

test('a stand-up in the console: set up field by field, asked in each zone, answered in chat, threaded, summarised', async () => {
  const out = await runConsole([
    '/as amy Asia/Tokyo',
    '/as ben America/Chicago',
    '/as carol Europe/Berlin',
    '/in #team',
    '/standup create Daily',
    '', // name [Daily]
    '', // channel [#team]
    '@amy @ben',
    '', // questions: the default three
    '', // days: Mon–Fri
    '25:00', // refused on the spot
    '09:30',
    '', // each participant's own zone
    '', // fixed zone: not used
    '', // reminder 60
    '', // cut-off 3
    '', // holidays
    '', // admins
    '/as amy',
    '/wait 13h', // Monday 01:00 UTC: 09:30 in Tokyo has passed
    'Shipped the login fix',
    'Review PRs',
    'Waiting for the VPN certificate',
    '/as ben',
    '/wait 18h', // past ben's 09:30 CST, his reminder and cut-off
    '/as carol',
    '/show 2', // the summary, updated at the cut-off, in full
    '3', // its Escalate button, under the number it had from the start, opens the escalation form, pre-filled
    '', // title: the blocker
    'Deploys are blocked until the certificate arrives', // impact
    '', // options
    '', // recommendation
    '', // severity: SEV3
    '@carol', // owner
    '', // due: the default by severity
    '', // post in: here
    '', // policy: none
    '/standup report Daily 7d',
  ]);
  expect(out).toContain('── New stand-up ── (/cancel to stop)');
  expect(out).toContain('Participants (required; @name @name …) [@carol]');
  expect(out).toContain('Type a time as HH:MM, 24-hour (e.g. 09:30).');
  expect(out).toContain("[#team] Steady:\n  Daily reports here: Mon–Fri at 09:30 each participant's own time. Set up by @carol.");
  expect(out).toContain('@amy (Asia/Tokyo): Mon, 30 Nov 2026, 01:30 CET'); // shown in the zone of whoever reads it: carol
  // amy's prompt, in her direct messages, in her zone.
  expect(out).toContain(
    [
      '[DM with @amy] Steady:',
      '  Daily · Mon, 30 Nov 2026',
      '  It is time for Daily (answers go to #team). Reply here, one message per question, or answer them all in the form. Answers are due by 12:30 GMT+9.',
    ].join('\n'),
  );
  expect(out).toContain('[DM with @amy · only @amy sees this] Steady:\n  Daily · question 2 of 3\n  What will you do today?');
  // Her answers as a reply under the day's message.
  expect(out).toContain(
    [
      '    ↳ [#team · reply in thread] Steady:',
      '      @amy',
      '      What did you get done since the last stand-up?',
      '      Shipped the login fix',
      '      What will you do today?',
      '      Review PRs',
      '      🚧 Blocker: Waiting for the VPN certificate',
    ].join('\n'),
  );
  expect(out).toContain('[DM with @ben] Steady:\n  Reminder: Daily (Mon, 30 Nov 2026) is waiting for your answers.');
  expect(out).toContain(
    [
      '[#team · message 2, as it is now] Steady:',
      '  Daily · Mon, 30 Nov 2026 · summary',
      '  Answered (1): @amy',
      '  Did not respond (1): @ben',
      '  🚧 Blockers (1)',
      '  @amy: Waiting for the VPN certificate',
      '  [3] Escalate',
    ].join('\n'),
  );
  // The escalation form comes pre-filled from the blocker; once raised, the summary shows its reference.
  expect(out).toContain('Title (required; text) [Waiting for the VPN certificate]');
  expect(out).toContain(
    '[#team · updated] Daily · Mon, 30 Nov 2026 · summary → @amy: Waiting for the VPN certificate · escalated as ESC-1  (/show 2)',
  );
  // amy, for whom it was raised, hears of it in her direct messages.
  expect(out).toMatch(
    /\[DM with @amy\] Steady:\n {2}@carol raised ESC-1 Waiting for the VPN certificate on your behalf \(Blocker from Daily, [^)]*\)\. @carol owns it; it is due [^\n]+\./,
  );
  expect(out).toContain('@amy: 1 on time, 0 late, 0 skipped, 0 missed · participation 100% · streak 1 · blockers 1');
  expect(out).toContain('@ben: 0 on time, 0 late, 0 skipped, 1 missed · participation 0% · streak 0 · blockers 0');
});
