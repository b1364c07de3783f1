import { sql } from 'kysely';
import { CONSOLE_SCHEDULER, prepareConsole } from '../../adapters/console';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { createSteady } from '../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { capture, script } from '../support/streams';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
// Each test starts from an empty workspace, so its escalations are ESC-1, ESC-2… whatever ran before.
beforeEach(async () => {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_migration%'`.execute(database.db);
  await sql`truncate ${sql.join(tables.rows.map((t) => sql.id(t.name)))} cascade`.execute(database.db);
});

/** A session with Steady's real workflows. `ansi`: as when the output is a terminal. */
async function runRealSession(lines: string[], options: { ansi?: boolean } = {}) {
  const clock = new FakeClock('2026-11-30T08:00:00Z');
  const output = capture();
  const realPlatforms = new Platforms();
  const parts = prepareConsole({ input: script(lines), output: output.stream, ...options }, realPlatforms);
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms: realPlatforms, scheduler: CONSOLE_SCHEDULER });
  await parts.session(steady, { clock, log: silentLog, user: 'alice' }).run();
  return output.text();
}

/** The terminal with Steady's own workflows: how their messages read in a terminal. */
describe('console adapter with the real workflows', () => {
  test('emphasis is drawn for a terminal, and shows no formatting marks when the output is not one', async () => {
    const raiseAndResolve = (title: string, reference: string) => [
      '/as bob Europe/Berlin',
      '/as alice Europe/Berlin',
      '/escalate',
      title,
      'The floor cannot print',
      '',
      '',
      '',
      '@bob',
      '', // due: the default by severity
      '', // post in #general
      '/as bob',
      `/escalate resolve ${reference} Bought a new printer`,
    ];
    const plain = await runRealSession([...raiseAndResolve('Printer down', 'ESC-1'), '/escalate show ESC-1']);
    expect(plain).toMatch(/· Resolved by @bob: Bought a new printer\n/);
    expect(plain).not.toMatch(/_Bought a new printer_/);
    const drawn = await runRealSession([...raiseAndResolve('Scanner down', 'ESC-2'), '/escalate show ESC-2'], { ansi: true });
    expect(drawn).toContain('Resolved by @bob: \u001b[3mBought a new printer\u001b[23m');
  });

  test('each field is checked as it is answered: a title over its declared length is asked again at once', async () => {
    const tooLong = 'Printer down on every floor '.repeat(6).trim();
    const out = await runRealSession(['/escalate', tooLong, 'Printer down', '/cancel']);
    expect(out).toContain(
      `> \n  Title can be at most 150 characters (it has ${tooLong.length}).\nTitle (required; text)\n> \nImpact (required; text; \\n for a new line)`,
    );
    const members = await runRealSession(['/handoff rotation create', 'Ops', ', ,', '/cancel']);
    expect(members).toMatch(/> \n {2}Members[^\n]* is required\.\nMembers/);
  });

  test('an update is one line naming what changed; /show N draws it in full, and its buttons keep their numbers', async () => {
    const out = await runRealSession([
      '/as bob Europe/Berlin',
      '/as alice Europe/Berlin',
      '/escalate',
      'Printer down',
      'The floor cannot print',
      '',
      '',
      '2', // SEV2, due in 4h: bob is reminded, told it is overdue, chased
      '@bob',
      '', // due: the default by severity
      '', // post in #general
      '/wait 6h',
      '/as bob',
      '/escalate ack ESC-1',
      '/show 2',
      '7', // Acknowledge, on the owner's notice as first sent
      '8', // Add update, still offered
      '/cancel',
      '/show 99',
    ]);
    // From bob's acknowledgement on: the card's update, the thread's reply and the direct messages'
    // updates go out at the same moment, so in no promised order among them.
    const acked = out.indexOf('You acknowledged ESC-1: Printer down.');
    expect(acked).toBeGreaterThan(0);
    const acknowledged = out.slice(acked);
    const before = out.slice(0, acked);
    expect(acknowledged).toContain('    ↳ [#general · reply in thread] Steady:\n      Acknowledged by @bob\n');
    // Nothing bob was sent before is drawn again: one line each, saying what changed.
    expect(acknowledged).not.toContain('[DM with @bob] Steady:');
    expect(acknowledged).toContain('\n[#general · updated] ESC-1 · SEV2 · Printer down → Status: Acknowledged by @bob  (/show 1)\n');
    expect(acknowledged).toContain(
      '\n[DM with @bob · updated] You own ESC-1, raised by @alice. Please acknowledge it… → Now: acknowledged by @bob  (/show 2)\n',
    );
    const updates = acknowledged.match(/^\[DM with @bob · updated\] .* → Now: acknowledged by @bob {2}\(\/show \d+\)$/gm) ?? [];
    expect(updates).toHaveLength(before.match(/^\[DM with @bob\] Steady:$/gm)!.length);
    // In full on request, with the buttons that still apply under their first numbers.
    expect(out).toContain(
      [
        '[DM with @bob · message 2, as it is now] Steady:',
        '  You own ESC-1, raised by @alice. Please acknowledge it, then drive it to a decision by the due time.',
        '  ESC-1 · SEV2 · Printer down',
        '  Owner: @bob',
        '  Due: Mon, 30 Nov 2026, 13:00 CET',
        '  Impact',
        '  The floor cannot print',
        '  Now: acknowledged by @bob',
        '  [8] Add update   [9] Change due   [10] Resolve   [11] View',
      ].join('\n'),
    );
    expect(out).toContain('Button 7 is no longer there: its message was updated since. /show 2 shows it as it is now.');
    expect(out).toContain('── Update ESC-1 ──');
    expect(out).toContain('Usage: /show <n>');
  });
});
