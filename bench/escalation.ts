/**
 * Escalation benchmarks. Each figure is a ratio against a baseline measured in the same run on the
 * same database, so it means the same on a laptop and in CI:
 *
 *  1. raise: one escalation through the dispatcher (form validation, the transaction with its
 *     reference, timeline entry and jobs, then the card, the owner's message and level 1 sent)
 *     against one row inserted in its own transaction;
 *  2. climb: escalations walked through a three-level policy, reminders and overdue chasing by the
 *     scheduler, per job run, against no-op jobs through the same scheduler;
 *  3. stats over 5,000 escalations against selecting the same rows;
 *  4. repeat titles over 5,000 titles: the word-index grouping against comparing every pair.
 *
 * Run: `npm run build && node dist/bench/escalation.js` (PGlite in memory; DATABASE_URL for a
 * scratch PostgreSQL database: it is migrated and written to).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pino from 'pino';
import { z } from 'zod';
import { FakeClock } from '../src/core/clock';
import type { FormValues } from '../src/core/form';
import type { InboundEvent, Interaction } from '../src/core/inbound';
import type { Message } from '../src/core/message';
import { Platforms, type ChatPlatform } from '../src/core/platform';
import { repeatGroups, similarity, titleTokens } from '../src/escalation/similarity';
import { REPEAT_WINDOW_MS, computeStats } from '../src/escalation/stats';
import { advanceThrough } from '../src/scheduler/advance';
import { createSteady, type Steady } from '../src/steady';
import { connectDatabase } from '../src/storage/database';
import { escalationFacts } from '../src/storage/escalation/escalations-repository';
import { MIGRATIONS } from '../adapters';
import { migrateToLatest } from '../src/storage/migrate';
import { DAY_MS } from '../src/core/duration';

const WORKSPACE = 'bench:W1';
const log = pino({ level: 'silent' });

class CountingPlatform implements ChatPlatform {
  readonly name = 'bench';
  sent = 0;
  private n = 0;
  async post(): Promise<string> {
    this.sent++;
    return `bench:m${++this.n}`;
  }
  async update(): Promise<void> {
    this.sent++;
  }
  async postDirect(): Promise<string> {
    this.sent++;
    return `bench:d${++this.n}`;
  }
  async lookupUser(_ws: string, userId: string) {
    return { userId, displayName: userId, timeZone: 'Europe/Berlin' };
  }
}

function interaction(userId: string, forms: { last?: { formId: string; state?: string } }): Interaction {
  return {
    actor: { workspaceId: WORKSPACE, userId },
    conversation: 'bench:C1',
    correlationId: randomUUID().slice(0, 8),
    replyPrivately: async (_m: Message) => undefined,
    openForm: async (form) => {
      forms.last = { formId: form.formId, ...(form.state === undefined ? {} : { state: form.state }) };
    },
  };
}

async function send(steady: Steady, userId: string, event: InboundEvent, forms: { last?: { formId: string; state?: string } } = {}) {
  return steady.dispatcher.handle(event, interaction(userId, forms));
}

async function raise(steady: Steady, title: string, severity = 'SEV2'): Promise<void> {
  const forms: { last?: { formId: string; state?: string } } = {};
  await send(steady, 'alice', { type: 'command', command: 'escalate', text: `new ${title}` }, forms);
  const values: FormValues = { title, impact: 'Benchmark impact', severity, owner: 'bob' };
  const outcome = await send(steady, 'alice', {
    type: 'form',
    formId: forms.last!.formId,
    values,
    ...(forms.last!.state ? { state: forms.last!.state } : {}),
  });
  if (outcome?.status !== 'done') throw new Error(`raise refused: ${JSON.stringify(outcome)}`);
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
}

const line = (name: string, ms: number, n: number, baseMs: number, baseN: number, unit: string) => {
  const per = ms / n;
  const basePer = baseMs / baseN;
  console.log(
    `${name.padEnd(10)} ${per.toFixed(3).padStart(9)} ms/${unit}   baseline ${basePer.toFixed(3).padStart(8)} ms   ratio ${(per / basePer).toFixed(1)}x`,
  );
};

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const connection = await connectDatabase(url ? { engine: 'postgres', url } : { engine: 'pglite', dataDir: null });
  const db = connection.db;
  await migrateToLatest(db, MIGRATIONS, log);
  console.log(`Escalation benchmarks on ${connection.engine} (Node ${process.version})`);

  const clock = new FakeClock('2026-11-30T09:00:00Z');
  const platform = new CountingPlatform();
  const platforms = new Platforms();
  platforms.register(platform);
  const steady = createSteady({ db, clock, log, platforms });
  steady.scheduler.register({ kind: 'bench.noop', payload: z.object({ n: z.number() }), run: async () => undefined });

  // Set-up: an admin and a three-level policy as the default.
  await send(steady, 'erin', { type: 'command', command: 'escalate', text: 'admins add <@erin>' });
  const forms: { last?: { formId: string; state?: string } } = {};
  await send(steady, 'erin', { type: 'command', command: 'escalate', text: 'policy create Bench' }, forms);
  await send(steady, 'erin', {
    type: 'form',
    formId: forms.last!.formId,
    values: {
      name: 'Bench',
      repeat: '0',
      l1_users: ['carol'],
      l1_wait: '10',
      l2_users: ['dave'],
      l2_wait: '10',
      l3_users: ['frank'],
      l3_wait: '10',
    },
    state: forms.last!.state!,
  });
  await send(steady, 'erin', { type: 'command', command: 'escalate', text: 'policy default Bench' });

  // 1. raise, against one insert per transaction.
  await sql`create table if not exists bench_rows (id serial primary key, title text, payload jsonb)`.execute(db);
  const RAISES = 200;
  const [baseRaise] = await timed(async () => {
    for (let i = 0; i < RAISES; i++) {
      await db
        .transaction()
        .execute((trx) => sql`insert into bench_rows (title, payload) values (${`row ${i}`}, ${JSON.stringify({ i })})`.execute(trx));
    }
  });
  const [raiseMs] = await timed(async () => {
    for (let i = 0; i < RAISES; i++) await raise(steady, `Printer ${i} down`);
  });
  line('raise', raiseMs, RAISES, baseRaise, RAISES, 'raise');

  // 2. climb: levels, reminder, overdue, chasing until 4 h after due, per job; against no-op jobs.
  const [climbMs, report] = await timed(() => advanceThrough(steady.scheduler, clock, new Date('2026-11-30T17:00:00Z')));
  const NOOPS = 2000;
  for (let n = 0; n < NOOPS; n++) await steady.scheduler.enqueue({ kind: 'bench.noop', payload: { n }, runAt: clock.now() });
  const [noopMs, noopReport] = await timed(() => advanceThrough(steady.scheduler, clock, clock.now()));
  line('climb', climbMs, report.ran, noopMs, noopReport.ran, 'job');
  console.log(`           (${report.ran} escalation jobs for ${RAISES} escalations, ${platform.sent} messages sent)`);

  // 3. stats over 5,000 escalations, against selecting the same rows.
  const STATS = 5000;
  const rows = Array.from({ length: STATS - RAISES }, (_, i) => ({
    workspace_id: WORKSPACE,
    number: RAISES + 1 + i,
    title: `${['Printer', 'VPN', 'Badge reader', 'Disk', 'Door'][i % 5]} ${['down', 'slow', 'broken', 'full', 'stuck'][Math.floor(i / 5) % 5]} ${i % 97}`,
    impact: 'x',
    severity: (['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const)[i % 4]!,
    status: (['resolved', 'resolved', 'open', 'cancelled'] as const)[i % 4]!,
    owner_id: 'bob',
    raiser_id: 'alice',
    created_by: 'alice',
    conversation: 'bench:C1',
    card_version: 1,
    card_failed: false,
    due_at: new Date(clock.now().getTime() - (i % 80) * DAY_MS + 4 * 3_600_000),
    due_set_at: clock.now(),
    due_version: 1,
    chase_count: 0,
    policy_run: 1,
    policy_step: 0,
    notified_user_ids: '[]',
    channel_notified: false,
    first_acknowledged_at: new Date(clock.now().getTime() - (i % 80) * DAY_MS + (i % 50) * 60_000),
    resolved_at: i % 4 < 2 ? new Date(clock.now().getTime() - (i % 80) * DAY_MS + (i % 300) * 60_000) : null,
    created_at: new Date(clock.now().getTime() - (i % 80) * DAY_MS),
    updated_at: clock.now(),
  }));
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('escalations')
      .values(rows.slice(i, i + 1000))
      .execute();
  const now = clock.now();
  const since = new Date(now.getTime() - 90 * DAY_MS);
  const [selectMs] = await timed(() => db.selectFrom('escalations').selectAll().where('workspace_id', '=', WORKSPACE).execute());
  const [statsMs, stats] = await timed(async () => computeStats(await escalationFacts(db, WORKSPACE, since, REPEAT_WINDOW_MS), since, now));
  line('stats', statsMs, 1, selectMs, 1, 'run');
  console.log(`           (${stats.all.raised} raised in 90 days, ${stats.repeats.length} repeat groups)`);

  // 4. repeat titles: word index against every pair.
  const facts = await escalationFacts(db, WORKSPACE, since, REPEAT_WINDOW_MS);
  const [groupMs] = await timed(async () => repeatGroups(facts, since, REPEAT_WINDOW_MS));
  const [pairsMs] = await timed(async () => {
    const tokens = facts.map((f) => titleTokens(f.title));
    let similar = 0;
    for (let i = 0; i < facts.length; i++) for (let j = 0; j < i; j++) if (similarity(tokens[i]!, tokens[j]!) >= 0.6) similar++;
    return similar;
  });
  line('repeats', groupMs, 1, pairsMs, 1, 'run');

  const heap = process.memoryUsage();
  console.log(`memory     rss ${(heap.rss / 1e6).toFixed(0)} MB, heap used ${(heap.heapUsed / 1e6).toFixed(0)} MB`);
  await sql`drop table bench_rows`.execute(db);
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
