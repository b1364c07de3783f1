import { z } from 'zod';
import { systemClock } from '../../src/core/clock';
import type { JobKind } from '../../src/scheduler/job';
import { Scheduler } from '../../src/scheduler/scheduler';
import { connectDatabase, type DatabaseConnection } from '../../src/storage/database';
import { findJobs } from '../../src/storage/jobs-repository';
import { onPostgres, openTestDatabase, silentLog, type TestDatabase } from '../support/database';

// PGlite is a single connection, so concurrent claiming can only be shown on a real server.
const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres('three schedulers sharing one PostgreSQL database', () => {
  let database: TestDatabase;
  const connections: DatabaseConnection[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    for (const c of connections) await c.close();
    await database.close();
  });

  test('each of 1,200 jobs runs exactly once, and all three take part', async () => {
    const JOBS = 1200;
    const runs = new Map<number, string[]>();
    const kindFor = (worker: string): JobKind<{ n: number }> => ({
      kind: 'shared',
      payload: z.object({ n: z.number() }),
      async run({ n }) {
        runs.set(n, [...(runs.get(n) ?? []), worker]);
        // A little I/O-like wait so the schedulers' batches overlap.
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    const schedulers: Scheduler[] = [];
    for (const worker of ['a', 'b', 'c']) {
      const connection = await connectDatabase({ engine: 'postgres', url: database.url!, poolSize: 2 });
      connections.push(connection);
      const s = new Scheduler({ db: connection.db, clock: systemClock, log: silentLog, workerId: worker, concurrency: 25 });
      s.register(kindFor(worker));
      schedulers.push(s);
    }
    const now = new Date();
    await database.db
      .insertInto('jobs')
      .values(
        Array.from({ length: JOBS }, (_, i) => ({
          kind: 'shared',
          payload: JSON.stringify({ n: i }),
          run_at: now,
          scheduled_for: now,
          dedupe_key: `shared-${i}`,
          owner: null,
          state: 'pending' as const,
          max_attempts: 3,
          locked_by: null,
          locked_until: null,
          lease_token: null,
          after_key: null,
          last_error: null,
          created_at: now,
          updated_at: now,
          finished_at: null,
        })),
      )
      .execute();

    const drain = async (s: Scheduler) => {
      for (let i = 0; i < 200; i++) {
        const report = await s.tick();
        if (report.ran === 0) return;
      }
    };
    await Promise.all(schedulers.map(drain));

    expect(runs.size).toBe(JOBS);
    const repeated = [...runs.entries()].filter(([, workers]) => workers.length !== 1);
    expect(repeated).toEqual([]);
    const byWorker = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (const [, [worker]] of runs) byWorker[worker!]!++;
    expect(Object.values(byWorker).every((count) => count > 0)).toBe(true);
    const done = await findJobs(database.db, { state: 'done' });
    expect(done).toHaveLength(JOBS);
    expect(done.every((j) => j.attempts === 1)).toBe(true);
  });
});
