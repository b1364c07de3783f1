import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { PgCluster } from '../test/support/pg-cluster';

/**
 * The two queues the delivery engine's no-op throughput is compared with, on the same PostgreSQL:
 * the least a durable queue can do (a bare FOR UPDATE SKIP LOCKED claim-and-complete loop, the
 * ceiling) and pg-boss, a well-used queue library. Each pre-inserts its jobs (not timed), then
 * times only the processing: claim, run a no-op, mark done, until every job is done.
 */
export interface BaselineOptions {
  /** 20,000 when absent. */
  readonly jobs?: number;
  /** Workers claiming at once, each on a connection of its own; 3 when absent. */
  readonly workers?: number;
  /** Jobs claimed per round trip; 100 when absent. */
  readonly batchSize?: number;
}

export interface BaselineResult {
  readonly name: string;
  readonly jobs: number;
  readonly workers: number;
  readonly batchSize: number;
  readonly seconds: number;
  readonly jobsPerSecond: number;
}

const TABLE = 'bench_skip_locked_jobs';

/** N workers, each on its own connection: claim a batch with one UPDATE … SKIP LOCKED, complete it with one UPDATE. */
export async function bareClaimLoop(url: string, options: BaselineOptions = {}): Promise<BaselineResult> {
  const { jobs, workers, batchSize } = withDefaults(options);
  const admin = await connect(url);
  const clients: Client[] = [];
  try {
    await admin.query(`drop table if exists ${TABLE}`);
    await admin.query(`
      create table ${TABLE} (
        id bigserial primary key,
        state text not null default 'pending',
        payload jsonb not null,
        run_at timestamptz not null default now(),
        locked_by text,
        locked_at timestamptz,
        finished_at timestamptz
      )`);
    await admin.query(`create index on ${TABLE} (run_at, id) where state = 'pending'`);
    await admin.query(`insert into ${TABLE} (payload) select jsonb_build_object('i', i) from generate_series(1, $1) as i`, [jobs]);
    await admin.query(`vacuum analyze ${TABLE}`);
    for (let i = 0; i < workers; i++) clients.push(await connect(url));

    const claim = `
      update ${TABLE} set state = 'running', locked_by = $1, locked_at = now()
      where id in (
        select id from ${TABLE}
        where state = 'pending' and run_at <= now()
        order by run_at, id
        limit ${batchSize}
        for update skip locked)
      returning id, payload`;
    const complete = `update ${TABLE} set state = 'done', finished_at = now() where id = any($1)`;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, n) => {
        for (;;) {
          const { rows } = await client.query<{ id: string; payload: unknown }>(claim, [`worker-${n}`]);
          if (rows.length === 0) return;
          await client.query(complete, [rows.map((r) => r.id)]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await admin.query<{ done: number }>(`select count(*)::int as done from ${TABLE} where state = 'done'`);
    if (rows[0]!.done !== jobs) throw new Error(`bare claim loop finished ${rows[0]!.done} of ${jobs} jobs`);
    return result('bare FOR UPDATE SKIP LOCKED loop', { jobs, workers, batchSize }, seconds);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await admin.query(`drop table if exists ${TABLE}`).catch(() => undefined);
    await admin.end();
  }
}

export interface PgBossOptions extends BaselineOptions {
  /**
   * pg-boss's worker waits out its polling interval (0.5 s at least) after every batch, full or
   * not. With `drain` (the default) a worker that got a full batch is told to fetch again at once
   * (`notifyWorker`), which is how pg-boss is made to work through a backlog; without it, the
   * figure is pg-boss as configured out of the box, at most batchSize / 0.5 s per worker.
   */
  readonly drain?: boolean;
}

const SCHEMA = 'bench_pgboss';
const QUEUE = 'bench';

/** pg-boss 10 in its own schema: `workers` workers (`work` with `batchSize`), a no-op handler. */
export async function pgBoss(url: string, options: PgBossOptions = {}): Promise<BaselineResult> {
  const { jobs, workers, batchSize } = withDefaults(options);
  const drain = options.drain ?? true;
  const admin = await connect(url);
  const boss = new PgBoss({ connectionString: url, schema: SCHEMA, max: workers + 2, supervise: false, schedule: false, migrate: true });
  const errors: Error[] = [];
  boss.on('error', (err: Error) => errors.push(err));
  try {
    await admin.query(`drop schema if exists ${SCHEMA} cascade`);
    await boss.start();
    await boss.createQueue(QUEUE);
    for (let i = 0; i < jobs; i += 1000) {
      const chunk = Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: QUEUE, data: { i: i + k } }));
      await boss.insert(chunk);
    }
    await admin.query(`analyze`);

    let handled = 0;
    const started = performance.now();
    for (let w = 0; w < workers; w++) {
      let id: string | undefined;
      id = await boss.work(QUEUE, { batchSize, pollingIntervalSeconds: 0.5 }, async (batch) => {
        handled += batch.length;
        if (drain && batch.length === batchSize && id) boss.notifyWorker(id);
      });
    }
    // pg-boss completes a batch after its handler returns without waiting for it, so the end is
    // when the database says every job is completed.
    for (;;) {
      if (errors.length) throw errors[0];
      if (handled >= jobs) {
        const { rows } = await admin.query<{ n: number }>(
          `select count(*)::int as n from ${SCHEMA}.job where name = $1 and state = 'completed'`,
          [QUEUE],
        );
        if (rows[0]!.n === jobs) break;
      }
      await new Promise((resolve) => setTimeout(resolve, handled >= jobs ? 2 : 20));
    }
    const seconds = (performance.now() - started) / 1000;
    return result(drain ? 'pg-boss 10 (draining)' : 'pg-boss 10 (polling)', { jobs, workers, batchSize }, seconds);
  } finally {
    await boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    await admin.query(`drop schema if exists ${SCHEMA} cascade`).catch(() => undefined);
    await admin.end();
  }
}

function withDefaults(options: BaselineOptions): Required<BaselineOptions> {
  return { jobs: options.jobs ?? 20_000, workers: options.workers ?? 3, batchSize: options.batchSize ?? 100 };
}

function result(name: string, run: Required<BaselineOptions>, seconds: number): BaselineResult {
  return { name, ...run, seconds: Number(seconds.toFixed(3)), jobsPerSecond: Math.round(run.jobs / seconds) };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * `npm run build && node dist/bench/queue-baselines.js [jobs] [workers]`: on a scratch database of
 * DATABASE_URL's server (created and dropped), else on a throwaway cluster of its own.
 */
async function main(): Promise<void> {
  const jobs = Number(process.argv[2] ?? 20_000);
  const workers = Number(process.argv[3] ?? 3);
  const server = process.env.DATABASE_URL;
  const cluster = server ? undefined : await PgCluster.create({ settings: { shared_buffers: '256MB' } });
  const scratch = `steady_bench_queues_${process.pid}`;
  const admin = server ? await connect(server) : undefined;
  try {
    if (admin) await admin.query(`create database ${scratch}`);
    const url = cluster ? cluster.url : withDatabase(server!, scratch);
    console.log(`on ${cluster ? 'a throwaway cluster (fsync off)' : 'DATABASE_URL, scratch database'}: ${jobs} jobs, ${workers} workers`);
    for (const run of [
      () => bareClaimLoop(url, { jobs, workers }),
      () => pgBoss(url, { jobs, workers }),
      () => pgBoss(url, { jobs, workers, drain: false }),
    ]) {
      console.log(JSON.stringify(await run()));
    }
  } finally {
    if (admin) {
      await admin.query(`drop database if exists ${scratch} with (force)`);
      await admin.end();
    }
    await cluster?.destroy();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
