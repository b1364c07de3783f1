import { connectDatabase, type DatabaseConnection } from '../../src/storage/database';
import { makeAdmin } from '../escalation/support';
import { TEAM, resetDatabase } from '../integration/support';
import { onPostgres, openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { ZONE } from './support';

let database: TestDatabase;
/** A second connection on PostgreSQL (two processes); PGlite is one connection, shared. */
let second: DatabaseConnection | undefined;
beforeAll(async () => {
  database = await openTestDatabase();
  if (onPostgres) second = await connectDatabase({ engine: 'postgres', url: database.url! });
});
afterAll(async () => {
  await second?.close();
  await database.close();
});
beforeEach(async () => {
  await resetDatabase(database);
});

const LEADS = 'test:C-leads';

function instanceAt(start: string, db = database): Harness {
  return new Harness(db, { start, people: TEAM, steady: { defaultTimeZone: ZONE } });
}

/** The digests a platform was given: the first two lines of each. */
function digests(...hs: Harness[]): string[] {
  return hs.flatMap((h) =>
    h.platform.sent
      .filter((s) => s.op === 'post' && s.to === LEADS && s.text.startsWith('Weekly digest'))
      .map((s) => s.text.split('\n').slice(0, 2).join(' | ')),
  );
}

async function digestJobs(): Promise<{ scheduled: string; state: string }[]> {
  const rows = await database.db
    .selectFrom('jobs')
    .select(['scheduled_for', 'state'])
    .where('kind', '=', 'insight.digest')
    .orderBy('scheduled_for')
    .execute();
  return rows.map((r) => ({ scheduled: r.scheduled_for.toISOString(), state: r.state }));
}

async function turnOn(h: Harness): Promise<void> {
  await makeAdmin(h, 'erin');
  await h.as('erin').command('steady', `digest channel <#${LEADS}>`);
}

describe('the weekly digest is sent', () => {
  test('every Monday at 09:00 in Berlin, across the change to summer time in March', async () => {
    const h = instanceAt('2026-03-18T10:00:00Z');
    await turnOn(h);
    await h.advance('2026-04-07T00:00:00Z');
    expect(await digestJobs()).toEqual([
      { scheduled: '2026-03-23T08:00:00.000Z', state: 'done' },
      { scheduled: '2026-03-30T07:00:00.000Z', state: 'done' },
      { scheduled: '2026-04-06T07:00:00.000Z', state: 'done' },
    ]);
    expect(digests(h)).toEqual([
      'Weekly digest: Mon, 16 Mar 2026 to Sun, 22 Mar 2026 | The 7 days to Mon, 23 Mar 2026, 09:00 CET against the 7 days before: ▲ up, ▼ down, = the same.',
      'Weekly digest: Mon, 23 Mar 2026 to Sun, 29 Mar 2026 | The 7 days to Mon, 30 Mar 2026, 09:00 CEST against the 7 days before: ▲ up, ▼ down, = the same.',
      'Weekly digest: Mon, 30 Mar 2026 to Sun, 5 Apr 2026 | The 7 days to Mon, 6 Apr 2026, 09:00 CEST against the 7 days before: ▲ up, ▼ down, = the same.',
    ]);
  });

  test('every Monday at 09:00 in Berlin, across the change back in October', async () => {
    const h = instanceAt('2026-10-14T10:00:00Z');
    await turnOn(h);
    await h.advance('2026-11-03T00:00:00Z');
    expect((await digestJobs()).map((j) => j.scheduled)).toEqual([
      '2026-10-19T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
    ]);
    expect(digests(h).map((d) => d.split(' | ')[1]!.split(' against')[0])).toEqual([
      'The 7 days to Mon, 19 Oct 2026, 09:00 CEST',
      'The 7 days to Mon, 26 Oct 2026, 09:00 CET',
      'The 7 days to Mon, 2 Nov 2026, 09:00 CET',
    ]);
  });

  test('once, by two schedulers ticking together on one database', async () => {
    const a = instanceAt('2026-11-30T07:50:00Z');
    const b = instanceAt('2026-11-30T07:50:00Z', second ? { ...database, db: second.db } : database);
    await turnOn(a);
    for (let minute = 1; minute <= 20; minute++) {
      const at = new Date(Date.parse('2026-11-30T07:50:00Z') + minute * 60_000);
      a.clock.set(at);
      b.clock.set(at);
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    }
    expect(digests(a, b)).toHaveLength(1);
    expect(await digestJobs()).toEqual([{ scheduled: '2026-11-30T08:00:00.000Z', state: 'done' }]);
  });

  test('once across a restart: a successor that runs the job again finds it posted; a week missed in an outage is skipped, not posted late', async () => {
    const first = instanceAt('2026-11-30T07:50:00Z');
    await turnOn(first);
    await first.advance('2026-11-30T08:01:00Z');
    expect(digests(first)).toHaveLength(1);
    expect(await first.steady.scheduler.stop()).toBe(true);
    // As if the process died after posting and before the job's end was kept: the job is due again.
    await database.db
      .updateTable('jobs')
      .set({
        state: 'pending',
        run_at: new Date('2026-11-30T08:01:00Z'),
        locked_by: null,
        locked_until: null,
        lease_token: null,
        finished_at: null,
      })
      .where('kind', '=', 'insight.digest')
      .execute();

    const successor = instanceAt('2026-11-30T08:02:00Z');
    await successor.advance('2026-11-30T09:00:00Z');
    expect(digests(successor)).toEqual([]);
    expect(await digestJobs()).toEqual([{ scheduled: '2026-11-30T08:00:00.000Z', state: 'done' }]);
    expect(await successor.steady.scheduler.stop()).toBe(true);

    // Down from Sunday to Tuesday: Monday's digest is more than a day late by then, and is skipped.
    const late = instanceAt('2026-12-08T10:00:00Z');
    await late.advance('2026-12-08T10:05:00Z');
    expect(digests(late)).toEqual([]);
    expect((await digestJobs()).map((j) => j.state)).toEqual(['done', 'skipped']);
    // The next Monday it is posted again.
    await late.advance('2026-12-14T08:01:00Z');
    expect(digests(late)).toHaveLength(1);
  });
});
