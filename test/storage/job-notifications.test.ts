import { z } from 'zod';
import { systemClock } from '../../src/core/clock';
import { Scheduler } from '../../src/scheduler/scheduler';
import { connectDatabase, type DatabaseConnection } from '../../src/storage/database';
import { JobNotifications } from '../../src/storage/job-notifications';
import { onPostgres, openTestDatabase, silentLog, type TestDatabase } from '../support/database';

// LISTEN/NOTIFY between instances needs a server; PGlite is one process.
const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres('instances are woken by PostgreSQL when a job is added', () => {
  let database: TestDatabase;
  let other: DatabaseConnection;
  let notifications: JobNotifications;
  let sleeper: Scheduler;

  beforeAll(async () => {
    database = await openTestDatabase();
    other = await connectDatabase({ engine: 'postgres', url: database.url!, poolSize: 2 });
  });
  afterAll(async () => {
    await sleeper?.stop(1_000);
    await notifications?.stop();
    await other.close();
    await database.close();
  });

  test('a job enqueued by one instance is run by another within a fraction of a second, with no poll', async () => {
    const ran: { n: number; at: number }[] = [];
    const kind = {
      kind: 'wake',
      payload: z.object({ n: z.number() }),
      run: async ({ n }: { n: number }) => void ran.push({ n, at: Date.now() }),
    };
    // The sleeping instance never polls: only a notification can make it look.
    sleeper = new Scheduler({ db: other.db, clock: systemClock, log: silentLog, workerId: 'sleeper' });
    sleeper.register(kind);
    sleeper.start();
    notifications = new JobNotifications(database.url!, (at) => sleeper.wakeAt(at), silentLog);
    await notifications.start();
    await new Promise((r) => setTimeout(r, 200));

    const requester = new Scheduler({ db: database.db, clock: systemClock, log: silentLog, workerId: 'requester' });
    requester.register(kind);
    const enqueuedAt = Date.now();
    await requester.enqueue({ kind: 'wake', payload: { n: 1 }, runAt: new Date() });
    // A job due shortly: the notification carries its time and the instance sets a timer for it.
    await requester.enqueue({ kind: 'wake', payload: { n: 2 }, runAt: new Date(Date.now() + 700) });
    for (let i = 0; i < 300 && ran.length < 2; i++) await new Promise((r) => setTimeout(r, 10));

    // Nothing polls: without the notifications neither job would have run at all.
    expect(ran.map((r) => r.n)).toEqual([1, 2]);
    expect(ran[1]!.at - enqueuedAt).toBeGreaterThanOrEqual(690);
  });
});
