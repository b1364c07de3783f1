import { resetDatabase } from '../integration/support';
import { runConsole } from '../support/console-script';
import { openTestDatabase, type TestDatabase } from '../support/database';

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

/** The digest as a person sees it in the terminal: the preview they ask for, then Monday's post in #ops-leads. */
test('the weekly digest in the console: previewed with /steady digest now, posted in #ops-leads on Monday at 09:00', async () => {
  const out = await runConsole(
    database,
    [
      '/as bob Europe/Berlin',
      '/as alice Europe/Berlin',
      '/escalate admins add @alice',
      '/steady digest channel #ops-leads',
      'yes',
      '/steady digest day monday time 09:00',
      '/escalate Printer down',
      'The floor cannot print',
      '',
      '',
      '',
      '@bob',
      '',
      '',
      '/wait 30m',
      '/as bob Europe/Berlin',
      '/escalate resolve ESC-1 Bought a new printer',
      '/wait 1m',
      '/steady digest now',
      '/wait 6d',
    ],
    { start: '2026-11-24T09:00:00Z', user: 'alice' },
  );
  expect(out).toContain('The weekly digest is posted in #ops-leads every Monday at 09:00 (UTC); next on Mon, 30 Nov 2026, 10:00 CET.');
  expect(out).toContain(
    [
      '[#general · only @bob sees this] Steady:',
      '  Weekly digest: Tue, 17 Nov 2026 to Mon, 23 Nov 2026 (preview)',
      '  The 7 days to Tue, 24 Nov 2026, 10:31 CET against the 7 days before: ▲ up, ▼ down, = the same.',
      '  Escalations',
      '  Raised 1 ▲1 · Resolved 1 ▲1 · Resolved late 0 = · Open now 0 · Overdue now 0',
    ].join('\n'),
  );
  const post = out.slice(out.indexOf('[#ops-leads] Steady:'));
  expect(post.split('\n').slice(0, 12)).toEqual([
    '[#ops-leads] Steady:',
    '  Weekly digest: Mon, 23 Nov 2026 to Sun, 29 Nov 2026',
    '  The 7 days to Mon, 30 Nov 2026, 10:00 CET against the 7 days before: ▲ up, ▼ down, = the same.',
    '  Escalations',
    '  Raised 1 ▲1 · Resolved 1 ▲1 · Resolved late 0 = · Open now 0 · Overdue now 0',
    '  Time to acknowledge: median n/a, p90 n/a (0 acknowledged)',
    '  Time to resolve: median 30m, p90 30m (1 resolved)',
    '  By severity',
    '  SEV3: raised 1 ▲1, resolved 1 ▲1, resolved late 0 = · acknowledge median n/a, p90 n/a · resolve median 30m, p90 30m',
    '  Decisions made (1)',
    '  • ESC-1 Printer down: Bought a new printer (owner @bob)',
    '  ────────────────────────',
  ]);
  expect(out.split('[#ops-leads] Steady:\n  Weekly digest')).toHaveLength(2);
});
