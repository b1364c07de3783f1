import { sql } from 'kysely';
import { MIGRATIONS } from '../../adapters';
import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';

let database: TestDatabase;
let server: RunningServer;
beforeAll(async () => {
  database = await openTestDatabase();
  // As main.ts makes it: ready once the core's and every platform's migrations are in.
  server = await listen(createHttpApp({ db: database.db, log: silentLog, migrations: MIGRATIONS }), '127.0.0.1', 0);
});
afterAll(async () => {
  await server.close();
  await database.close();
});

const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

describe('health endpoints', () => {
  test('/healthz says the process is alive', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'alive' });
  });

  test('/readyz is ready when the database answers and is migrated, 503 when not', async () => {
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'reachable', migrated: true });

    // Pretend the last migration has not run yet.
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(database.db);
    await sql`delete from kysely_migration where name = ${rows[0]!.name}`.execute(database.db);
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not ready', migrated: false });
  });

  test('/metrics reports the outbox and the job queue for Prometheus, the same from every instance', async () => {
    const at = new Date();
    const row = (key: string, state: 'sent' | 'failed' | 'attempting', resent = 0, found = 0) => ({
      key,
      workspace_id: 'teams:T1',
      target: '@amy',
      state,
      resent_in_doubt: resent,
      found_in_doubt: found,
      created_at: at,
      updated_at: at,
    });
    await database.db
      .insertInto('outbox')
      .values([row('a', 'sent', 1), row('b', 'sent', 0, 1), row('c', 'failed'), row('d', 'attempting')])
      .execute();
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const lines = (await res.text()).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'steady_outbox_posts{state="sent"} 2',
        'steady_outbox_posts{state="failed"} 1',
        'steady_outbox_posts{state="attempting"} 1',
        'steady_outbox_resent_in_doubt 1',
        'steady_outbox_found_in_doubt 1',
        'steady_jobs_pending{state="due"} 0',
      ]),
    );
  });
});

describe('the pages the Teams app package links to by default', () => {
  test('the website, /privacy and /terms are served as pages saying what Steady keeps and under which licence', async () => {
    const privacy = await get('/privacy');
    expect(privacy.status).toBe(200);
    expect(privacy.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const privacyText = await privacy.text();
    expect(privacyText).toContain('<title>Steady: privacy</title>');
    expect(privacyText).toContain('What Steady keeps');

    const terms = await get('/terms');
    expect(terms.status).toBe(200);
    expect(await terms.text()).toContain('Apache License 2.0');

    const site = await get('/');
    expect(site.status).toBe(200);
    expect(await site.text()).toContain('<a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a>');
  });
});
