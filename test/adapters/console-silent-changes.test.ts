import { openTestDatabase, type TestDatabase } from '../support/database';
import { runConsole } from '../support/console-script';

/**
 * Nothing a person types is changed without a word: a title too long for its field is cut where
 * they see it (and kept whole in the impact), zones are stored under their IANA names, a zone that
 * is a fixed offset is accepted with a warning, and a holiday in the past is refused.
 * Monday 30 November 2026, 10:00 in Berlin.
 */
const START = '2026-11-30T09:00:00Z';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function zoneOf(userId: string): Promise<string | null | undefined> {
  return (await database.db.selectFrom('people').select('time_zone').where('user_id', '=', userId).executeTakeFirst())?.time_zone;
}

const LONG_TITLE = `The printers on floors two and three stop every morning at nine because the print server runs out of memory while the nightly backup still holds its disk, and ${'nobody '.repeat(6)}knows who owns it`;

describe('what the console accepts, it keeps as typed or says what it changed', () => {
  test('a title longer than 150 characters is shown cut, with the reason, and kept whole in the impact', async () => {
    expect(LONG_TITLE.length).toBeGreaterThan(200);
    const out = await runConsole(
      database,
      ['/as alice Europe/Berlin', `/escalate ${LONG_TITLE}`, '', '', '', '', '', '@alice', '', '', ''],
      { start: START },
    );
    const cut =
      /Title \(required; text\) \[([^\]]+)\]\n {4}\(What you typed has (\d+) characters; this field holds 150, so it was cut\. Check the end\. The whole text is in Impact\.\)/.exec(
        out,
      );
    expect(cut).not.toBeNull();
    expect(Number(cut![2])).toBe(LONG_TITLE.length);
    expect(cut![1]!.length).toBeLessThanOrEqual(150);
    expect(cut![1]!.endsWith('…')).toBe(true);
    expect(out).toContain(`Impact (required; text; \\n for a new line) [${LONG_TITLE}]`);
    const stored = await database.db.selectFrom('escalations').select(['title', 'impact']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ title: cut![1], impact: LONG_TITLE });
  });

  test('zones typed in any case are stored under their IANA names; a fixed offset such as EST is accepted with a warning', async () => {
    const out = await runConsole(
      database,
      [
        '/as alice',
        '/steady tz europe/berlin',
        '/as bob america/new_york',
        '/as carol',
        '/standup tz asia/KOLKATA',
        '/as dave',
        '/steady tz EST',
      ],
      { start: START },
    );
    expect(out).toContain('Your time zone is now Europe/Berlin. It is Mon, 30 Nov 2026, 10:00 CET for you.');
    expect(out).toContain('You are now @bob (America/New_York).');
    expect(out).toContain('Your time zone is now Asia/Kolkata.');
    expect(out).toContain(
      "Your time zone is now EST. It is Mon, 30 Nov 2026, 04:00 EST for you.\n  Note: EST is a fixed offset, UTC−05:00 all year with no daylight saving: for part of the year it is an hour off America/New_York. To follow a place's clock changes, use America/New_York (or your own city's zone).",
    );
    expect(await zoneOf('alice')).toBe('Europe/Berlin');
    expect(await zoneOf('bob')).toBe('America/New_York');
    expect(await zoneOf('carol')).toBe('Asia/Kolkata');
    expect(await zoneOf('dave')).toBe('EST');
  });

  test('a stand-up refuses a holiday in the past and stores its fixed zone under the IANA name', async () => {
    const out = await runConsole(
      database,
      [
        '/as alice',
        '/in #team',
        '/standup create Daily',
        '', // name
        '', // channel
        '', // participants: alice
        '', // questions
        '', // days
        '', // time
        '2', // one fixed zone
        'europe/berlin',
        '', // reminder
        '', // cut-off
        '2020-12-24, 2026-12-24',
        '', // admins
        // The form comes back with the holidays.
        '2026-12-24, 2026-12-31',
      ],
      { start: START },
    );
    expect(out).toContain(
      'Please fix:\n  Holidays: 2020-12-24 is in the past (today is 2026-11-30); holidays are days to come. Remove it or correct the year.',
    );
    expect(out).toContain('Daily is set up: Mon–Fri at 09:30, Europe/Berlin time; answers go to #team.');
    const standup = await database.db.selectFrom('standups').select(['fixed_zone', 'holidays']).executeTakeFirstOrThrow();
    expect(standup).toEqual({ fixed_zone: 'Europe/Berlin', holidays: ['2026-12-24', '2026-12-31'] });
  });

  test('a rotation in a fixed-offset zone is created with a warning', async () => {
    const out = await runConsole(
      database,
      ['/as alice', '/in #ops', '/handoff rotation create', 'Night desk', '@alice', '', '', 'est', '', '', '', '', '', ''],
      { start: START },
    );
    expect(out).toContain('every day in EST');
    expect(out).toContain('Note: EST is a fixed offset, UTC−05:00 all year with no daylight saving');
  });
});
