import { openTestDatabase, type TestDatabase } from '../support/database';
import { runConsole } from '../support/console-script';

/** `/wait` alone lets time pass until the bot next says something, so a script reads the same at any hour. */
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

test('/wait alone stops at the next thing the bot says, or after a quiet week', async () => {
  const out = await runConsole(
    database,
    ['/as alice Europe/Berlin', '/wait', '/escalate Printer down', '', 'The floor cannot print', '', '', '1', '@alice', '', '', '/wait'],
    { start: '2026-11-30T09:00:00Z' },
  );
  expect(out).toContain('(7d later) It is now Mon, 7 Dec 2026, 10:00 CET. Nothing happened meanwhile.');
  // SEV1 is due in an hour: its owner is reminded a quarter of that before, and nothing comes sooner.
  expect(out).toMatch(
    /\[DM with @alice\] Steady:\n {2}Reminder: ESC-1[^\n]*\n[\s\S]*\n\(45m later\) It is now Mon, 7 Dec 2026, 10:45 CET\.\n$/,
  );
});
