import { PLATFORMS } from '../../adapters';
import { start } from '../../src/main';
import { onPostgres, openTestDatabase, type TestDatabase } from '../support/database';
import { EchoChat } from '../support/echo-adapter/platform';
import { capture, script } from '../support/streams';

/**
 * A fourth platform (test/support/echo-adapter, one folder) given to `npm start`'s composition root in
 * one line beside the real ones: its variables are checked with the core's, its migration applied,
 * and a workflow runs through it, with nothing in the core changed for it.
 */
let database: TestDatabase | undefined;
beforeAll(async () => {
  // On PostgreSQL, a database of this file's own; on PGlite, one in memory.
  if (onPostgres) database = await openTestDatabase({ migrate: false });
});
afterAll(async () => {
  await database?.close();
});

function startWith(echo: EchoChat, env: Record<string, string>) {
  const stderr = capture();
  const running = start(
    {
      env: {
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: ':memory:' }),
        ...env,
      },
      stdin: script([]),
      stdout: capture().stream,
      stderr: stderr.stream,
    },
    [...PLATFORMS, echo.module],
  );
  return { running, stderr };
}

describe('a platform added as one folder and one line', () => {
  test("its variables are checked with the core's, in one error that keeps its secret", async () => {
    const { running, stderr } = startWith(new EchoChat(), { PORT: 'eighty', ECHO: 'on', ECHO_TOKEN: 'hunter2' });
    expect(await (await running).done).toBe(2);
    expect(stderr.text()).toContain('Steady cannot start: 2 settings are wrong.');
    expect(stderr.text()).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(stderr.text()).toContain('ECHO_TOKEN must start with echo-\n');
    expect(stderr.text()).not.toContain('hunter2');
  });

  test('Steady starts it from the list, applies its migration, and runs an escalation through it', async () => {
    const echo = new EchoChat();
    const running = await startWith(echo, { ECHO: 'on', ECHO_TOKEN: 'echo-123', TICK_SECONDS: '60' }).running;
    try {
      await echo.type('alice', 'escalate Printer down', '#ops');
      expect(await echo.submit('alice', { impact: 'The whole floor cannot print', owner: 'bob' })).toEqual({ status: 'done' });
      await echo.tick();
      const raised = await echo.transcript();
      expect(raised).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^private alice: Raised ESC-1: Printer down\n/),
          expect.stringMatching(/^post echo:#ops: ESC-1 · SEV3 · Printer down\nStatus: Open, waiting for acknowledgement\n/),
          expect.stringMatching(/^direct bob: You own ESC-1, raised by @alice\. Please acknowledge it/),
        ]),
      );

      await echo.type('bob', 'escalate ack ESC-1', '#ops');
      await echo.tick();
      const after = (await echo.transcript()).slice(raised.length);
      expect(after).toEqual(
        expect.arrayContaining([
          'private bob: You acknowledged ESC-1: Printer down.',
          expect.stringMatching(/^update echo:msg:\d+: ESC-1 · SEV3 · Printer down\nStatus: Acknowledged by @bob\n/),
        ]),
      );
    } finally {
      await running.stop();
    }
  });
});
