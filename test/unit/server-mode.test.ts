import { start } from '../../src/main';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { capture, script } from '../support/streams';

let database: TestDatabase | undefined;
beforeAll(async () => {
  // On PostgreSQL the server gets a database of its own; on PGlite it keeps one in memory.
  if (process.env.DATABASE_URL) database = await openTestDatabase({ migrate: false });
});
afterAll(async () => {
  await database?.close();
});

describe('npm start as a server', () => {
  test('with the console off it serves health checks, and a stop closes it cleanly', async () => {
    const env = database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: ':memory:' };
    const stdout = capture();
    const running = await start({
      env: { ...env, CONSOLE: 'off', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent' },
      stdin: script([]),
      stdout: stdout.stream,
      stderr: capture().stream,
    });
    expect(running.httpPort).toBeGreaterThan(0);
    const ready = await fetch(`http://127.0.0.1:${running.httpPort}/readyz`);
    expect(ready.status).toBe(200);

    await running.stop();
    expect(await running.done).toBe(0);
    await expect(fetch(`http://127.0.0.1:${running.httpPort}/healthz`)).rejects.toThrow();
    // No console was opened.
    expect(stdout.text()).toBe('');
  });
});
