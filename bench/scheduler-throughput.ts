import { z } from 'zod';
import pino from 'pino';
import { systemClock } from '../src/core/clock';
import { Scheduler } from '../src/scheduler/scheduler';
import { connectDatabase, type DatabaseTarget } from '../src/storage/database';
import { MIGRATIONS } from '../adapters';
import { migrateToLatest } from '../src/storage/migrate';
import { sql } from 'kysely';

/**
 * How much the durable scheduler costs per job, as a ratio to the least SQL a durable job could
 * need (one insert, one update by key), measured in the same run on the same engine.
 */
export async function schedulerThroughput(target: DatabaseTarget, jobs = 2000): Promise<Record<string, string | number>> {
  const log = pino({ level: 'silent' });
  const connection = await connectDatabase(target);
  const db = connection.db;
  try {
    await migrateToLatest(db, MIGRATIONS, log);
    await sql`create temporary table bench_baseline (id serial primary key, state text not null)`.execute(db);

    const baselineStart = performance.now();
    for (let i = 0; i < jobs; i++) {
      const row = await sql<{ id: number }>`insert into bench_baseline (state) values ('pending') returning id`.execute(db);
      await sql`update bench_baseline set state = 'done' where id = ${row.rows[0]!.id}`.execute(db);
    }
    const baselineMs = performance.now() - baselineStart;

    const scheduler = new Scheduler({ db, clock: systemClock, log });
    let ran = 0;
    scheduler.register({ kind: 'bench', payload: z.object({ i: z.number() }), run: async () => void ran++ });
    const rssBefore = process.memoryUsage().rss;
    const start = performance.now();
    const now = new Date();
    for (let i = 0; i < jobs; i++) await scheduler.enqueue({ kind: 'bench', payload: { i }, runAt: now, dedupeKey: `bench-${i}` });
    const enqueuedMs = performance.now() - start;
    while (ran < jobs) await scheduler.tick();
    const totalMs = performance.now() - start;
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1_048_576;

    const baselinePerSec = (jobs / baselineMs) * 1000;
    const schedulerPerSec = (jobs / totalMs) * 1000;
    return {
      engine: target.engine,
      jobs,
      'baseline insert+update/s': Math.round(baselinePerSec),
      'scheduler jobs/s (enqueue+claim+run+finish)': Math.round(schedulerPerSec),
      'enqueue only jobs/s': Math.round((jobs / enqueuedMs) * 1000),
      'ratio scheduler/baseline': (schedulerPerSec / baselinePerSec).toFixed(2),
      'RSS growth MB': rssGrowthMb.toFixed(1),
    };
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  schedulerThroughput(url ? { engine: 'postgres', url } : { engine: 'pglite', dataDir: null })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
