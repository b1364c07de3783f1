import { PassThrough } from 'node:stream';
import { start } from '../../src/main';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { capture } from '../support/streams';
import { pageText, sessionCookie } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('the dashboard as npm start runs it', () => {
  test('in the console, /steady dashboard and /steady export print a link; the same process serves the dashboard they sign in to', async () => {
    const stdin = new PassThrough();
    const stdout = capture();
    const stderr = capture();
    const running = await start({
      env: {
        ...(database.url ? { DATABASE_URL: database.url } : { DATA_DIR: ':memory:' }),
        CONSOLE_USER: 'dana',
        LOG_LEVEL: 'silent',
        HTTP: 'on',
        HOST: '127.0.0.1',
        PORT: '0',
        PUBLIC_URL: 'https://steady.example.com/',
      },
      stdin,
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    try {
      stdin.write('/escalate admins add @dana\n');
      stdin.write('/steady dashboard\n');
      await until(() => /signin\?token=/.test(stdout.text()), 'the link');
      const link = /<(https:\/\/steady\.example\.com\/dashboard\/signin\?token=[A-Za-z0-9_-]{43})>/.exec(stdout.text())?.[1];
      expect(link).toBeDefined();
      const base = `http://127.0.0.1:${running.httpPort}`;
      const signIn = await fetch(`${base}${new URL(link!).pathname}${new URL(link!).search}`, { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      const page = await fetch(`${base}/dashboard`, { headers: { cookie: sessionCookie(signIn)! } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(pageText(await page.text())).toContain('Signed in as dana (workspace admin)');
      expect((await fetch(`${base}/dashboard`)).status).toBe(401);

      // /steady export prints a link too; it signs in and lands on the export.
      stdin.write('/steady export handoffs json 7d\n');
      await until(() => /next=/.test(stdout.text()), 'the export link');
      const exportLink = /<(https:\/\/steady\.example\.com\/dashboard\/signin\?token=[A-Za-z0-9_-]{43}&next=[^\s>]+)>/.exec(
        stdout.text(),
      )?.[1];
      expect(exportLink).toBeDefined();
      const landed = await fetch(`${base}${new URL(exportLink!).pathname}${new URL(exportLink!).search}`, { redirect: 'manual' });
      expect(landed.headers.get('location')).toMatch(/^\/dashboard\/export\/handoffs\.json\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
      const file = await fetch(`${base}${landed.headers.get('location')}`, { headers: { cookie: sessionCookie(landed)! } });
      expect(await file.json()).toMatchObject({ handoffs: [] });
    } finally {
      stdin.end();
      await running.stop();
    }
    expect(await running.done).toBe(0);
    expect(stderr.text()).toBe('');
  });
});
