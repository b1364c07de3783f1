/**
 * `npm run soak`: the delivery promise tried as an operator would break it. Three Steady instances
 * share a PostgreSQL cluster of the soak's own; a fake Slack Web API answers in 200 ms, with 10% 429s
 * (Retry-After) and 5% 500s (half of them after storing the message, so the sender cannot tell);
 * a stand-up asks N participants at once; mid-wave one instance is killed with SIGKILL and started
 * again, and PostgreSQL is restarted. Every prompt must reach Slack exactly once: counted per
 * recipient and kind, none lost, none twice.
 *
 *   npm run soak                       # 10,000 participants
 *   SOAK_PARTICIPANTS=600 npm run soak # the short form CI runs
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { Database } from '../db/schema';
import { MIGRATIONS } from '../adapters';
import { migrateToLatest } from '../src/storage/migrate';
import { FakeSlackApiProcess } from '../test/support/fake-slack-api-process';
import { generateUsers } from '../test/support/fake-slack-api';
import { PgCluster } from '../test/support/pg-cluster';
import { SteadyInstance } from './support/steady-instance';
import { askEveryoneNow, instanceEnv, storeStandup } from './support/standup-wave';
import pino from 'pino';

export interface SoakOptions {
  readonly participants: number;
  /** The fake's (and Steady's) messages a second per workspace. */
  readonly postsPerSecond: number;
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly participants: number;
  readonly delivered: number;
  readonly lost: readonly string[];
  /** People whose prompt arrived but whose session does not say so (a reference not kept). */
  readonly unrecorded: readonly string[];
  readonly duplicated: readonly { recipient: string; count: number }[];
  readonly seconds: number;
  /** The least time the fake's own limits allow for the wave. */
  readonly limitSeconds: number;
  readonly faults: {
    readonly random429: number;
    readonly limit429: number;
    readonly serverErrorsBefore: number;
    readonly serverErrorsAfter: number;
  };
  readonly resentInDoubt: number;
  readonly foundInDoubt: number;
}

const KIND = 'standup-prompt';

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const say = options.log ?? (() => undefined);
  const users = generateUsers(options.participants);
  const cluster = await PgCluster.create({ settings: { max_connections: 200 } });
  let fake: FakeSlackApiProcess | undefined;
  const instances: (SteadyInstance | undefined)[] = [];
  const pool = new Pool({ connectionString: cluster.url, max: 2 });
  // The soak restarts the database: its own idle connections drop too, and are replaced on next use.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db, MIGRATIONS, pino({ level: 'silent' }));
    await storeStandup(db, users);
    fake = await FakeSlackApiProcess.start({
      users,
      faults: {
        latencyMs: 200,
        rateLimitedRate: 0.1,
        retryAfterSeconds: 1,
        serverErrorRate: 0.05,
        methods: ['chat.postMessage', 'chat.update', 'conversations.history'],
      },
      limits: { workspace: { perSecond: options.postsPerSecond, burst: options.postsPerSecond }, channel: { perSecond: 1, burst: 3 } },
      seed: 7,
    });
    const env = instanceEnv({
      databaseUrl: cluster.url,
      apiUrl: fake.apiUrl,
      postsPerSecond: options.postsPerSecond,
      extra: { JOB_LEASE_SECONDS: '10' },
    });
    for (let i = 0; i < 3; i++) instances.push(await SteadyInstance.start(env));
    const delivered = async () => [...(await fake!.countPerRecipient(KIND)).values()].filter((n) => n > 0).length;

    const started = Date.now();
    const status = await askEveryoneNow(instances[0]!.port, users[0]!.id);
    if (status !== 200) throw new Error(`/standup now answered HTTP ${status}`);
    say(`asked ${options.participants} people; waiting for the wave`);

    await until(async () => (await delivered()) >= options.participants * 0.3, 'a third of the wave');
    say(`kill -9 instance 2 at ${await delivered()} delivered`);
    await instances[1]!.kill();
    instances[1] = undefined;
    await pause(2_000);
    instances[1] = await SteadyInstance.start(env);

    await until(async () => (await delivered()) >= options.participants * 0.6, 'two thirds of the wave');
    say(`PostgreSQL restarts at ${await delivered()} delivered`);
    await cluster.stop({ mode: 'immediate' });
    await pause(3_000);
    await cluster.start();

    // Done: everyone has their prompt, no prompt job is left, and no attempt is still in doubt.
    await until(async () => {
      if ((await delivered()) < options.participants) return false;
      const { rows } = await sql<{ n: string }>`
        select (select count(*) from jobs where kind = 'standup.prompt' and state = 'pending')
             + (select count(*) from outbox where state = 'attempting') as n`.execute(db);
      return Number(rows[0]!.n) === 0;
    }, 'the whole wave, settled');
    const seconds = (Date.now() - started) / 1000;
    // Late duplicates would come from attempts settling after the wave looked done: wait them out.
    await pause(5_000);

    const counts = await fake.countPerRecipient(KIND);
    const lost = users.map((u) => u.id).filter((id) => !counts.get(id));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([recipient, count]) => ({ recipient, count }));
    const stats = await fake.stats();
    const { rows: unprompted } = await sql<{
      user_id: string;
    }>`select user_id from standup_sessions where prompted_at is null or prompt_ref is null`.execute(db);
    const doubt = await sql<{
      resent: string;
      found: string;
    }>`select coalesce(sum(resent_in_doubt), 0) as resent, coalesce(sum(found_in_doubt), 0) as found from outbox`.execute(db);
    return {
      participants: options.participants,
      delivered: [...counts.values()].reduce((a, b) => a + b, 0),
      lost,
      unrecorded: unprompted.map((r) => r.user_id),
      duplicated,
      seconds,
      limitSeconds: await fake.minimumSecondsFor(options.participants),
      faults: {
        random429: stats.rateLimited.random,
        limit429: stats.rateLimited.workspaceLimit + stats.rateLimited.channelLimit,
        serverErrorsBefore: stats.serverErrors.before,
        serverErrorsAfter: stats.serverErrors.after,
      },
      resentInDoubt: Number(doubt.rows[0]!.resent),
      foundInDoubt: Number(doubt.rows[0]!.found),
    };
  } finally {
    for (const instance of instances) await instance?.kill().catch(() => undefined);
    await fake?.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await cluster.destroy();
  }
}

async function until(done: () => Promise<boolean>, what: string, timeoutMs = 30 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await done()) return;
    } catch {
      // the database is restarting: ask again
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await pause(250);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (require.main === module) {
  const participants = Number(process.env.SOAK_PARTICIPANTS ?? 10_000);
  const postsPerSecond = Number(process.env.SOAK_POSTS_PER_SECOND ?? 200);
  runSoak({ participants, postsPerSecond, log: (line) => console.log(line) })
    .then((report) => {
      console.log(
        JSON.stringify(
          report,
          (key, value) => ((key === 'lost' || key === 'unrecorded') && Array.isArray(value) ? value.slice(0, 20) : value),
          2,
        ),
      );
      const ok = report.lost.length === 0 && report.duplicated.length === 0 && report.unrecorded.length === 0;
      console.log(
        `${ok ? 'PASS' : 'FAIL'}: ${report.participants} prompts, ${report.lost.length} lost, ${report.duplicated.length} sent twice, ${report.unrecorded.length} not recorded; ` +
          `the wave took ${report.seconds.toFixed(1)} s where the fake API's limits allow ${report.limitSeconds.toFixed(1)} s ` +
          `(${(report.seconds / report.limitSeconds).toFixed(2)}x, with ${report.faults.random429} random 429s, ${report.faults.serverErrorsBefore + report.faults.serverErrorsAfter} 500s, a kill -9 and a database restart)`,
      );
      process.exit(ok ? 0 : 1);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
