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

async function runConsole(lines: string[], start: string): Promise<string> {
  const clock = new FakeClock(start);
  const platforms = new Platforms();
  const output = capture();
  const parts = prepareConsole({ input: script(lines), output: output.stream }, platforms);
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms, scheduler: CONSOLE_SCHEDULER });
  await parts.session(steady, { clock, log: silentLog, user: 'eve' }).run();
  return output.text();
}

/**
 * The handoff as someone trying Steady in a terminal sees it: eve sets up a rotation field by
 * field, time passes with /wait, alice writes her note from the reminder's button, bob asks a
 * question, alice answers, bob confirms, and bob's own missing note is chased.
 */
test('a handoff driven through the console, buttons by number and forms field by field', async () => {
  const out = await runConsole(
    [
      // Everyone in Berlin from the start: a direct message reads in its recipient's zone.
      '/as alice Europe/Berlin',
      '/as bob Europe/Berlin',
      '/as eve Europe/Berlin',
      '/in #ops',
      '/handoff rotation create',
      'Ops', // name
      '@alice @bob', // members: both were acted as above, so no yes is asked
      '', // shifts: keep 07:00-15:00, 15:00-23:00, 23:00-07:00
      '', // every day
      '', // Europe/Berlin
      '2026-12-01', // first day
      '', // #ops
      '', // 30m
      '', // 15m
      '', // supervisor @eve
      '', // default note fields
      '/wait 29h40m',
      '/as alice Europe/Berlin',
      '1', // Write handoff
      '2', // Watch
      'Quiet morning\\nPrinter on floor 2 flaky',
      '-',
      '-',
      'If the printer dies, call facilities',
      '/wait 30m',
      '/as bob Europe/Berlin',
      '3', // Ask a question
      'Which printer?',
      '/as alice',
      '4', // Answer
      'The one by the kitchen',
      '/as bob',
      '2', // Confirm
      '/handoff who',
      '/wait 8h',
    ],
    '2026-11-30T08:00:00Z',
  );
  const section = (heading: string) => {
    const at = out.indexOf(heading);
    if (at < 0) throw new Error(`not shown: ${heading}\n${out}`);
    return out.slice(at, out.indexOf('\n\n', at));
  };
  expect(out).toContain('Shifts (required; text) [07:00-15:00, 15:00-23:00, 23:00-07:00]');
  expect(out).not.toContain('has never used Steady here');
  expect(section('[#ops · only @eve sees this] Steady:')).toContain('First shift: Tue, 1 Dec 2026, 07:00 CET, @alice.');
  expect(section('[DM with @alice] Steady:\n  Handoff due: Ops')).toBe(
    '[DM with @alice] Steady:\n  Handoff due: Ops\n  Your shift ends at 15:00 CET. Write your handoff note for @bob, who takes over Tue, 1 Dec 2026, 15:00 CET.\n  [1] Write handoff',
  );
  expect(out).toContain(
    '── Handoff: Ops ── (/cancel to stop)\nFrom you to @bob, shift change Tue, 1 Dec 2026, 15:00 CET.\nStatus (required; a number) [Steady]',
  );
  expect(out).toContain('Saved. Your Ops handoff note goes to @bob and #ops at 15:00 CET.');
  expect(section('[#ops] Steady:\n  Handoff · Ops')).toBe(
    [
      '[#ops] Steady:',
      '  Handoff · Ops',
      '  From @alice to @bob · shift change Tue, 1 Dec 2026, 15:00 CET',
      '  Status: Watch',
      '  Written: 14:40 CET',
      '  Summary',
      '  Quiet morning',
      '  Printer on floor 2 flaky',
      '  Watch-outs and contingencies',
      '  If the printer dies, call facilities',
      '  Waiting for @bob to confirm.',
    ].join('\n'),
  );
  expect(section('[DM with @bob] Steady:\n  Handoff · Ops')).toContain('[2] Confirm   [3] Ask a question');
  expect(section('[DM with @alice] Steady:\n  @bob asks')).toBe(
    '[DM with @alice] Steady:\n  @bob asks about your Ops handoff:\n  Which printer?\n  [4] Answer',
  );
  expect(section('[DM with @bob] Steady:\n  @alice answered')).toContain('Answer: The one by the kitchen');
  expect(out).toContain('[#ops · only @bob sees this] Steady:\n  Handoff confirmed at 15:10 CET. You are on shift for Ops.');
  expect(out).toContain('[DM with @alice] Steady:\n  @bob confirmed your Ops handoff at 15:10 CET.');
  expect(out).toContain('[#ops · updated] Handoff · Ops → Confirmed by @bob at 15:10 CET.  (/show 1)');
  expect(out).toContain(
    'Ops (Europe/Berlin)\n  Now: @bob, until Tue, 1 Dec 2026, 23:00 CET\n  Next: @alice, Tue, 1 Dec 2026, 23:00 CET – 07:00 CET (8h)',
  );
  // bob writes nothing: reminded at 22:30, chased at 23:00, alice told.
  expect(out).toContain(
    'Your Ops shift ended at 23:00 CET and there is no handoff note yet. @alice is waiting for it: please write it now.\n  [6] Write handoff',
  );
  expect(out).toContain("@bob hasn't written the handoff note yet; I have asked for it");
});
