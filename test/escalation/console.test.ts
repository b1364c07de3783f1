import { prepareConsole } from '../../adapters/console';
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

/** A console session with Steady's real workflows, on the test database, with a fake clock. */
async function runConsole(lines: string[]): Promise<string> {
  const clock = new FakeClock('2026-11-30T09:00:00Z');
  const platforms = new Platforms();
  const output = capture();
  const parts = prepareConsole({ input: script(lines), output: output.stream }, platforms);
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms });
  await parts.session(steady, { clock, log: silentLog, user: 'erin' }).run();
  return output.text();
}

describe('/escalate in the console', () => {
  test('an admin sets up a policy; an escalation is raised by form, climbs, is acknowledged, worked by button and resolved', async () => {
    const out = await runConsole([
      '/as erin Europe/Berlin',
      '/escalate admins add @erin',
      '/escalate policy create Ops',
      '', // name: Ops
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
      '', // title from the command
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
    expect(out).toContain('[#general · only @alice sees this] Steady:\n  Raised ESC-1: Printer down\n  Posted in #general · owner @bob · due Mon, 30 Nov 2026, 14:00 CET · policy Ops');
    expect(out).toContain('(15m later) It is now Mon, 30 Nov 2026, 10:15 CET.');
    expect(out).toContain('[DM with @dave] Steady:\n  ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of Ops.');
    expect(out).toContain('[#ops] Steady:\n  ESC-1 needs someone to acknowledge it. This channel is on level 2 of 2 of Ops.');
    // The reader's own zone: dave in New York sees the due time in EST.
    expect(out).toContain('    ↳ [#general · reply in thread] Steady:\n      Acknowledged by @dave');
    expect(out).toContain('[#general · message updated] Steady:\n  ESC-1 · SEV2 · Printer down\n  Status: Acknowledged by @dave');
    expect(out).toContain('Due: Mon, 30 Nov 2026, 08:00 EST');
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
      '  Mon, 30 Nov 2026, 10:15 CET · Resolved by @bob: _Bought a new printer_',
    ]);
  });
});
