/**
 * The delivery engine, measured against baselines in the same run on the same PostgreSQL:
 *
 * 1. No-op job throughput: Steady's scheduler (three instances) against pg-boss 10 and a bare
 *    FOR UPDATE SKIP LOCKED claim-and-complete loop (three workers each). Targets: at least 3x pg-boss,
 *    at least 0.5x the bare loop.
 * 2. A stand-up wave: N prompts through the real Slack adapter (Steady instances in processes of their
 *    own) to a fake Slack Web API that enforces a workspace limit, with one instance and with three.
 *    Targets: the wave within 1.2x of the least time the fake's limits allow; Steady's CPU at most 1 ms
 *    per delivered message (process.cpuUsage of the instances, not the fake's or this process's).
 *
 *   npm run bench delivery          # on a PostgreSQL cluster of its own (or DATABASE_URL's server)
 *   BENCH_PARTICIPANTS=2000 BENCH_POSTS_PER_SECOND=200 npm run bench delivery
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import pino from 'pino';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { systemClock } from '../src/core/clock';
import { Scheduler } from '../src/scheduler/scheduler';
import { insertJobs } from '../src/storage/jobs-repository';
import { MIGRATIONS } from '../adapters';
import { migrateToLatest } from '../src/storage/migrate';
import { generateUsers } from '../test/support/fake-slack-api';
import { FakeSlackApiProcess } from '../test/support/fake-slack-api-process';
import { bareClaimLoop, pgBoss } from './queue-baselines';
import { benchPostgres } from './support/postgres-server';
import { SteadyInstance } from './support/steady-instance';
import { askEveryoneNow, instanceEnv, storeStandup } from './support/standup-wave';

const silent = pino({ level: 'silent' });

function connect(url: string, max = 10): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max }) }) });
}

/** Steady's scheduler with no-op jobs: `instances` schedulers, each with its own pool, as separate servers would be. */
export async function steadyNoop(url: string, jobs: number, instances: number, concurrency?: number): Promise<number> {
  const setup = connect(url, 2);
  await migrateToLatest(setup, MIGRATIONS, silent);
  const now = new Date();
  await insertJobs(
    setup,
    Array.from({ length: jobs }, (_, i) => ({ kind: 'noop', payload: { i }, runAt: now })),
    { now, maxAttempts: () => 3 },
  );
  await sql`vacuum analyze jobs`.execute(setup);
  const dbs = Array.from({ length: instances }, () => connect(url));
  const schedulers = dbs.map((db, i) => {
    const s = new Scheduler({ db, clock: systemClock, log: silent, workerId: `noop-${i}`, ...(concurrency ? { concurrency } : {}) });
    s.register({ kind: 'noop', payload: z.object({ i: z.number() }), run: async () => undefined });
    return s;
  });
  // Connected before the clock starts, as the baselines' clients are (a server's pool is warm).
  await Promise.all(dbs.flatMap((db) => [sql`select 1`.execute(db), sql`select 1`.execute(db)]));
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(schedulers.map((s) => s.tick()));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  if (process.env.BENCH_DEBUG)
    console.log(`  (Steady's CPU ${((used.user + used.system) / 1000).toFixed(0)} ms in ${(seconds * 1000).toFixed(0)} ms)`);
  const { rows } = await sql<{ n: string }>`select count(*) as n from jobs where kind = 'noop' and state = 'done'`.execute(setup);
  if (Number(rows[0]!.n) !== jobs) throw new Error(`Steady finished ${rows[0]!.n} of ${jobs} no-op jobs`);
  await Promise.all([...dbs, setup].map((db) => db.destroy()));
  return jobs / seconds;
}

interface WaveFigures {
  readonly instances: number;
  readonly seconds: number;
  readonly limitSeconds: number;
  readonly cpuMsPerMessage: number;
}

/** A stand-up asking `participants` people at once, through `instances` Steady processes, against the fake's limit. */
async function wave(url: string, participants: number, postsPerSecond: number, instances: number): Promise<WaveFigures> {
  const users = generateUsers(participants);
  const db = connect(url, 2);
  await migrateToLatest(db, MIGRATIONS, silent);
  await storeStandup(db, users);
  const fake = await FakeSlackApiProcess.start({
    users,
    faults: { latencyMs: 20 },
    limits: { workspace: { perSecond: postsPerSecond, burst: postsPerSecond }, channel: { perSecond: 1, burst: 3 } },
  });
  const steady: SteadyInstance[] = [];
  try {
    const env = instanceEnv({ databaseUrl: url, apiUrl: fake.apiUrl, postsPerSecond });
    for (let i = 0; i < instances; i++) steady.push(await SteadyInstance.start(env));
    const cpu = async () => (await Promise.all(steady.map((s) => s.cpuMicros()))).reduce((a, b) => a + b, 0);
    const cpuBefore = await cpu();
    const started = performance.now();
    const status = await askEveryoneNow(steady[0]!.port, users[0]!.id);
    if (status !== 200) throw new Error(`/standup now answered HTTP ${status}`);
    for (;;) {
      const delivered = (await fake.countPerKind())['standup-prompt'] ?? 0;
      if (delivered >= participants) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = (await cpu()) - cpuBefore;
    const stats = await fake.stats();
    if (stats.rateLimited.workspaceLimit + stats.rateLimited.channelLimit > 0) {
      console.log(
        `  note: the fake answered ${stats.rateLimited.workspaceLimit + stats.rateLimited.channelLimit} calls with 429 (its limit)`,
      );
    }
    return { instances, seconds, limitSeconds: await fake.minimumSecondsFor(participants), cpuMsPerMessage: cpuMs / 1000 / participants };
  } finally {
    for (const s of steady) await s.stop().catch(() => s.kill());
    await fake.close();
    await db.destroy();
  }
}

export async function runDeliveryBench(): Promise<boolean> {
  const jobs = Number(process.env.BENCH_JOBS ?? 20_000);
  const warmUp = Math.max(1_000, Math.round(jobs / 10));
  const participants = Number(process.env.BENCH_PARTICIPANTS ?? 10_000);
  const postsPerSecond = Number(process.env.BENCH_POSTS_PER_SECOND ?? 250);
  const only = process.env.BENCH_ONLY; // 'noop' or 'wave'
  const pg = await benchPostgres();
  let ok = true;
  const verdict = (pass: boolean) => {
    ok &&= pass;
    return pass ? 'ok' : 'MISSED';
  };
  try {
    if (only !== 'wave') await noopFigures();
    if (only !== 'noop') await waveFigures();
  } finally {
    await pg.close();
  }
  return ok;

  async function noopFigures(): Promise<void> {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    console.log(
      `no-op job throughput, ${jobs} jobs, 3 workers each, same PostgreSQL, median of ${rounds} rounds taken in turn (a warm-up run of ${warmUp} first)`,
    );
    const candidates = {
      bare: async (url: string, n: number) => (await bareClaimLoop(url, { jobs: n, workers: 3 })).jobsPerSecond,
      boss: async (url: string, n: number) => (await pgBoss(url, { jobs: n, workers: 3 })).jobsPerSecond,
      steady: (url: string, n: number) => steadyNoop(url, n, 3, 100),
      steadyDefault: (url: string, n: number) => steadyNoop(url, n, 3),
    };
    const runs = new Map<string, number[]>(Object.keys(candidates).map((name) => [name, []]));
    for (const run of Object.values(candidates)) await run(await pg.database(), warmUp);
    // In turn, round after round: a moment of the machine's load falls on every candidate alike, and the median drops it.
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(candidates)) runs.get(name)!.push(await run(await pg.database(), jobs));
    }
    const median = (name: string) => {
      const sorted = [...runs.get(name)!].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    const spread = (name: string) =>
      `[${runs
        .get(name)!
        .map((r) => Math.round(r))
        .join(', ')}]`;
    const [bare, boss, steady, steadyDefault] = [median('bare'), median('boss'), median('steady'), median('steadyDefault')];
    // Out of the box pg-boss polls: one run is enough to show the order of magnitude.
    const bossPolling = (await pgBoss(await pg.database(), { jobs, workers: 3, drain: false })).jobsPerSecond;
    console.log(`  bare SKIP LOCKED loop ${Math.round(bare)}/s ${spread('bare')}`);
    console.log(
      `  pg-boss 10 ${Math.round(boss)}/s ${spread('boss')} made to drain (notifyWorker after each full batch), ${Math.round(bossPolling)}/s as configured out of the box`,
    );
    console.log(
      `  Steady ${Math.round(steady)}/s ${spread('steady')} with JOB_CONCURRENCY=100 (the loop's batch), ${Math.round(steadyDefault)}/s ${spread('steadyDefault')} with the default 32`,
    );
    console.log(`  Steady / pg-boss draining   ${(steady / boss).toFixed(2)}x (target >= 3)   ${verdict(steady / boss >= 3)}`);
    console.log(`  Steady / pg-boss polling    ${(steady / bossPolling).toFixed(2)}x`);
    console.log(`  Steady / bare loop          ${(steady / bare).toFixed(2)}x (target >= 0.5) ${verdict(steady / bare >= 0.5)}`);
  }

  async function waveFigures(): Promise<void> {
    for (const instances of [1, 3]) {
      console.log(`stand-up wave: ${participants} prompts, fake Slack limit ${postsPerSecond}/s per workspace, ${instances} instance(s)`);
      const w = await wave(await pg.database(), participants, postsPerSecond, instances);
      const ratio = w.seconds / w.limitSeconds;
      console.log(
        `  ${w.seconds.toFixed(1)} s where the limit allows ${w.limitSeconds.toFixed(1)} s: ${ratio.toFixed(2)}x (target <= 1.2)   ${verdict(ratio <= 1.2)}`,
      );
      console.log(`  Steady CPU ${w.cpuMsPerMessage.toFixed(2)} ms per message (target <= 1)   ${verdict(w.cpuMsPerMessage <= 1)}`);
    }
  }
}

if (require.main === module) {
  runDeliveryBench()
    .then((ok) => process.exit(ok ? 0 : 1))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
