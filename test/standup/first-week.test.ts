import { runConsole, shownFrom } from '../support/console-script';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { resetDatabase } from './support';

/**
 * A team's first week with stand-ups, played in the console as a new user would: what each person
 * sees, in their own zone.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** A fresh database, then the lines typed by alice from `start`. */
async function play(start: string, lines: string[]): Promise<string> {
  await resetDatabase(database.db);
  return runConsole(database, lines, { start, user: 'alice', echo: true });
}

/** `/standup create Daily` in #team with the default questions and the given people, days and time. */
function createDaily(people: string, days = '', time = ''): string[] {
  return ['/in #team', '/standup create Daily', '', '', people, '', days, time, '', '', '', '', '', ''];
}

describe('partial answers', () => {
  test('what was answered is posted and counted at the cut-off; an open optional question hides nothing', async () => {
    // Monday 7 Dec 2026, 08:00 in Berlin.
    const out = await play('2026-12-07T07:00:00Z', [
      '/as bob Europe/Berlin',
      '/as carol Europe/Berlin',
      '/as alice Europe/Berlin',
      ...createDaily('@alice @bob @carol'),
      '/standup now Daily', // cut-off 11:00
      'Shipped the release',
      'Write the post-mortem', // the optional blocker question is left open
      '/as bob',
      'Fixed the flaky test', // the second required question is left open
      '/wait 3h',
      '/as carol',
      '/wait 30m',
      'Reviewed the runbook', // after the cut-off: a late answer, then nothing more
      '/wait 1d', // the late window ends (Tuesday 11:00)
      '/as alice',
      '/standup report Daily 7d',
      '/show 1', // the summary, the first message updated: in full as it is now
    ]);
    // alice has answered every required question: no reminder chases her for the optional one.
    const monday = out.slice(0, out.indexOf('(3h later)'));
    expect(monday).not.toMatch(/\[DM with @alice\] Steady:\n {2}Reminder/);
    expect(monday).toMatch(/\[DM with @bob\] Steady:\n {2}Reminder/);
    const summary = shownFrom(out, 'Daily · Mon, 7 Dec 2026 · summary');
    expect(summary.split('\n').slice(1, 3)).toEqual(['  Answered (2): @alice, @bob (partial)', '  Did not respond (1): @carol']);
    expect(out).toContain(
      [
        '    ↳ [#team · reply in thread] Steady:',
        '      @alice',
        '      What did you get done since the last stand-up?',
        '      Shipped the release',
        '      What will you do today?',
        '      Write the post-mortem',
        '',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        '    ↳ [#team · reply in thread] Steady:',
        '      @bob · partial',
        '      What did you get done since the last stand-up?',
        '      Fixed the flaky test',
        '      What will you do today?',
        '      no answer', // italic on a terminal; a transcript shows no marks
        '',
      ].join('\n'),
    );
    // carol's late answer is posted when late answers close, marked late and partial.
    expect(out).toContain(
      '    ↳ [#team · reply in thread] Steady:\n      @carol · answered late · partial\n      What did you get done since the last stand-up?\n      Reviewed the runbook',
    );
    // The summary's update is one line naming what changed; /show draws it in full.
    expect(out).toContain(
      '[#team · updated] Daily · Mon, 7 Dec 2026 · summary → Answered (3): @alice, @bob (partial), @carol (late, partial) (and 1 more change)  (/show 1)',
    );
    expect(out).toMatch(
      /\[#team · message 1, as it is now\] Steady:\n {2}Daily · Mon, 7 Dec 2026 · summary\n {2}Answered \(3\): @alice, @bob \(partial\), @carol \(late, partial\)\n/,
    );
    expect(out).toContain('@alice: 1 on time, 0 late, 0 skipped, 0 missed · participation 100% · streak 1 · blockers 0');
    expect(out).toContain('@bob: 1 on time, 0 late, 0 skipped, 0 missed · 1 partial · participation 100%');
    expect(out).toContain('@carol: 0 on time, 1 late, 0 skipped, 0 missed · 1 partial · participation 100%');
  });
});

describe('the home view and /standup show after /standup now', () => {
  test('a day already asked is not offered as next; past the cut-off only a late answer is offered', async () => {
    // Sunday 6 Dec 2026, 03:52 in Berlin; still Saturday 21:52 in New York.
    const out = await play('2026-12-06T02:52:00Z', [
      '/as bob America/New_York',
      '/as alice Europe/Berlin',
      ...createDaily('@alice @bob', '1,2,3,4,5,6,7'),
      '/standup now Daily', // alice's Sunday and bob's Saturday are asked now; cut-off 06:52 CET
      '/steady home',
      '/standup show Daily',
      '/wait 6h', // 09:52: alice's 09:30 asks nothing, her day was asked already
      '/steady home',
    ]);
    const early = shownFrom(out, 'Asking @alice, @bob now.');
    expect(shownFrom(early, '@alice> /steady home')).toContain(
      [
        '  Stand-ups',
        '  Daily · Sun, 6 Dec 2026: waiting for your answers, due by 06:52 CET.',
        '  [5] Answer   [6] Skip today',
        '  Your next stand-ups',
        '  Daily: Mon, 7 Dec 2026, 09:30 CET',
      ].join('\n'),
    );
    // bob was asked on his Saturday: his Sunday is still ahead, at 09:30 his time.
    expect(shownFrom(early, '@alice> /standup show Daily')).toContain(
      [
        '  Participants (2)',
        '  @alice (Europe/Berlin): Mon, 7 Dec 2026, 09:30 CET',
        '  @bob (America/New_York): Sun, 6 Dec 2026, 15:30 CET',
      ].join('\n'),
    );
    const later = shownFrom(out, '(6h later) It is now Sun, 6 Dec 2026, 09:52 CET.');
    expect(later).not.toContain('[DM with @alice] Steady:\n  Daily · Sun, 6 Dec 2026\n  It is time');
    expect(later).toContain(
      [
        '  Stand-ups',
        '  Daily · Sun, 6 Dec 2026: not answered by the cut-off (06:52 CET); answers now are marked late.',
        '  [11] Answer late',
        '  Your next stand-ups',
        '  Daily: Mon, 7 Dec 2026, 09:30 CET',
      ].join('\n'),
    );
  });
});

describe("each person's messages in their own zone, whoever is at the keyboard", () => {
  test("the welcome and the prompts read in the recipient's zone, across the end of US daylight saving time", async () => {
    // Friday 30 Oct 2026, 09:00 in Berlin (CET already), 04:00 in New York (still EDT), 17:00 in Tokyo.
    const out = await play('2026-10-30T08:00:00Z', [
      '/as bob America/New_York',
      '/as carol Asia/Tokyo',
      '/as alice Europe/Berlin',
      ...createDaily('@alice @bob @carol', '1'), // Mondays only: bob's first is after New York falls back
      '/standup now Daily',
    ]);
    const welcome = (who: string) => {
      const heading = `[DM with @${who}] Steady:\n`;
      return shownFrom(out, heading).slice(heading.length).split('\n\n')[0];
    };
    expect(welcome('bob')).toBe(
      [
        '  Daily: you have been added by @alice. I will ask you 3 questions here Mon at 09:30 your time (America/New_York); answers go to #team. The first is on Mon, 2 Nov 2026, 09:30 EST.',
        '  Not in America/New_York? Set your zone with /steady tz <Area/City>. Away? /standup skip until YYYY-MM-DD. Not for you? /standup leave Daily',
      ].join('\n'),
    );
    expect(welcome('carol')).toContain(
      'The first is on Mon, 2 Nov 2026, 09:30 GMT+9.\n  Not in Asia/Tokyo? Set your zone with /steady tz <Area/City>.',
    );
    const asked = shownFrom(out, 'Asking @alice, @bob, @carol now.');
    expect(asked).toContain(
      '[DM with @alice] Steady:\n  Daily · Fri, 30 Oct 2026\n  It is time for Daily (answers go to #team). Reply here, one message per question, or answer them all in the form. Answers are due by 12:00 CET.',
    );
    expect(asked).toContain(
      '[DM with @bob] Steady:\n  Daily · Fri, 30 Oct 2026\n  It is time for Daily (answers go to #team). Reply here, one message per question, or answer them all in the form. Answers are due by 07:00 EDT.',
    );
    expect(asked).toContain(
      '[DM with @carol] Steady:\n  Daily · Fri, 30 Oct 2026\n  It is time for Daily (answers go to #team). Reply here, one message per question, or answer them all in the form. Answers are due by 20:00 GMT+9.',
    );
    // Nothing meant for bob or carol names alice's zone.
    for (const who of ['bob', 'carol']) {
      const theirs = out.split('\n\n').filter((m) => m.includes(`[DM with @${who}`));
      expect(theirs.length).toBeGreaterThan(1);
      for (const m of theirs) expect(m).not.toMatch(/CET|Europe\/Berlin/);
    }
  });
});
