import { prepareConsole } from '../../adapters/console';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { createSteady } from '../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { capture, script } from '../support/streams';
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

async function runConsole(start: string, lines: string[]): Promise<string> {
  await resetHandoffs(database);
  const clock = new FakeClock(start);
  const platforms = new Platforms();
  const output = capture();
  const parts = prepareConsole({ input: script(lines), output: output.stream, echo: true }, platforms);
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms });
  await parts.session(steady, { clock, log: silentLog, user: 'eve' }).run();
  return output.text();
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
    const out = await runConsole('2026-12-07T09:00:00Z', [...PEOPLE, ...createRotation('Ops', '@alice @bob'), '/handoff who Ops', '/wait 4h30m']);
    expect(message(out, '[#ops · only @eve sees this] Steady:\n  Created the rotation Ops')).toContain('\n  On shift now: @alice, until 15:00 CET.\n');
    expect(message(out, '@eve> /handoff who Ops')).toContain('Ops (Europe/Berlin)\n  Now: @alice, until Mon, 7 Dec 2026, 15:00 CET\n  Next: @bob, Mon, 7 Dec 2026, 15:00 CET – 23:00 CET (8h)');
    // The shift in progress has its handoff like any other.
    expect(message(out, '[DM with @alice] Steady:\n  Handoff due: Ops')).toContain('Your shift ends at 15:00 CET. Write your handoff note for @bob, who takes over Mon, 7 Dec 2026, 15:00 CET.');
  });

  test('created in the night shift that Berlin falls back in: covered until 07:00 CET, nine hours after it began', async () => {
    // Sunday 25 Oct 2026, 02:30 CEST (00:30 UTC), half an hour before the clocks go back.
    const out = await runConsole('2026-10-25T00:30:00Z', [...PEOPLE, ...createRotation('Night', '@alice @bob'), '/handoff who Night']);
    expect(message(out, 'Created the rotation Night')).toContain('\n  On shift now: @alice, until 07:00 CET.\n');
    expect(message(out, '@eve> /handoff who Night')).toContain('Now: @alice, until Sun, 25 Oct 2026, 07:00 CET\n  Next: @bob, Sun, 25 Oct 2026, 07:00 CET – 15:00 CET (8h)');
  });

  test('a weekly rotation created on a Wednesday: the week under way is covered; a first day ahead still waits for it', async () => {
    // Wednesday 9 Dec 2026, 12:00 in Berlin.
    const out = await runConsole('2026-12-09T11:00:00Z', [
      ...PEOPLE,
      ...createRotation('Weekly', '@alice @bob', 'weekly mon 09:00'),
      ...createRotation('Later', '@alice @bob', '', '', '2026-12-14'),
    ]);
    expect(message(out, 'Created the rotation Weekly')).toContain('\n  On shift now: @alice, until Mon, 14 Dec 2026, 09:00 CET.\n');
    expect(message(out, 'Created the rotation Later')).toContain('\n  First shift: Mon, 14 Dec 2026, 07:00 CET, @alice.\n');
  });
});
