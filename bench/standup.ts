/**
 * Stand-up fan-out benchmark: what one participant's prompt and one answer cost, as ratios against a
 * no-op job measured in the same run on the same database (so the figures travel between machines).
 *
 *   npm run build && node dist/bench/standup.js [participants]
 *
 * On PGlite in memory; with DATABASE_URL, in a database of its own created on that server and
 * dropped afterwards (the URL's user needs CREATEDB), so nothing is left behind.
 */
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import pino from 'pino';
import { z } from 'zod';
import { FakeClock } from '../src/core/clock';
import type { Message } from '../src/core/message';
import { Platforms, type ChatPlatform, type UserProfile } from '../src/core/platform';
import { advanceThrough } from '../src/scheduler/advance';
import { createSteady } from '../src/steady';
import { connectDatabase } from '../src/storage/database';
import { MIGRATIONS } from '../adapters';
import { migrateToLatest } from '../src/storage/migrate';
import { insertStandup } from '../src/storage/standup/standups-repository';
import { DEFAULT_QUESTIONS } from '../src/standup/model';
import { putParticipantRule } from '../src/standup/rules';
import { findStandup } from '../src/storage/standup/standups-repository';

const WORKSPACE = 'bench:W';
const ZONES = ['Europe/Berlin', 'Asia/Tokyo', 'America/Chicago', 'Australia/Sydney', 'UTC'];

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
  async postDirect(_w: string, _u: string, _m: Message): Promise<string> {
    this.sent++;
    return `bench:d${++this.n}`;
  }
  async lookupUser(_w: string, userId: string): Promise<UserProfile> {
    return { userId, displayName: userId, timeZone: ZONES[Number(userId.slice(1)) % ZONES.length]! };
  }
}

export async function runStandupBench(participants = 200): Promise<void> {
  const log = pino({ level: 'silent' });
  const server = process.env.DATABASE_URL;
  const scratch = server ? await createScratchDatabase(server) : undefined;
  const connection = await connectDatabase(scratch ? { engine: 'postgres', url: scratch.url } : { engine: 'pglite', dataDir: null });
  try {
    await migrateToLatest(connection.db, MIGRATIONS, log);
    const db = connection.db;
    const clock = new FakeClock('2026-11-29T12:00:00Z'); // a Sunday
    const platform = new CountingPlatform();
    const platforms = new Platforms();
    platforms.register(platform);
    const steady = createSteady({ db, clock, log, platforms });
    const noop = `bench.noop.${randomUUID().slice(0, 6)}`;
    steady.scheduler.register({ kind: noop, payload: z.object({}), run: async () => undefined });

    // Baseline: the scheduler alone, one no-op job per participant.
    for (let i = 0; i < participants; i++) await steady.scheduler.enqueue({ kind: noop, payload: {}, runAt: clock.now() });
    let t = performance.now();
    await steady.scheduler.tick();
    const noopMs = (performance.now() - t) / participants;

    // A stand-up with participants in five zones: one rule each.
    const users = Array.from({ length: participants }, (_, i) => `u${i}`);
    for (const u of users) await steady.people.get(WORKSPACE, u);
    const id = await insertStandup(db, {
      workspaceId: WORKSPACE,
      creatorId: 'u0',
      now: clock.now(),
      settings: {
        name: `Bench ${randomUUID().slice(0, 6)}`,
        channel: 'bench:C',
        participants: users,
        questions: DEFAULT_QUESTIONS,
        days: [1, 2, 3, 4, 5],
        time: '09:30',
        zoneMode: 'participant',
        fixedZone: null,
        reminderMinutes: 60,
        cutoffMinutes: 180,
        holidays: [],
        adminIds: [],
      },
    });
    const standup = (await findStandup(db, id))!;
    t = performance.now();
    await db.transaction().execute(async (trx) => {
      for (const u of users) await putParticipantRule(steady.services, standup, u, ZONES[Number(u.slice(1)) % ZONES.length]!, trx);
    });
    const ruleMs = (performance.now() - t) / participants;

    // Monday: every participant is asked at 09:30 in their zone (rules → jobs → sessions → DMs).
    const sentBefore = platform.sent;
    t = performance.now();
    await advanceThrough(steady.scheduler, clock, new Date('2026-11-30T00:00:00Z'));
    clock.set('2026-11-29T22:00:00Z');
    await advanceThrough(steady.scheduler, clock, new Date('2026-11-30T16:00:00Z'));
    const promptWall = performance.now() - t;
    const prompted = await db
      .selectFrom('standup_sessions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('standup_id', '=', id)
      .where('prompted_at', 'is not', null)
      .executeTakeFirstOrThrow();

    // Everyone answers the three questions in chat; each completion posts a threaded reply and updates the day.
    const answerers = users.slice(0, Math.min(participants, 100));
    clock.set('2026-11-30T16:00:00Z');
    t = performance.now();
    for (const u of answerers) {
      for (const text of ['Did things', 'Do more things', 'none']) {
        await steady.dispatcher.handle(
          { type: 'direct-message', text },
          { actor: { workspaceId: WORKSPACE, userId: u }, correlationId: 'bench', replyPrivately: async () => undefined },
        );
      }
    }
    const answerMs = (performance.now() - t) / answerers.length;

    const line = (label: string, ms: number) =>
      `${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms  ${(ms / noopMs).toFixed(1).padStart(6)}× a no-op job`;
    console.log(`stand-up benchmark on ${connection.engine}, ${participants} participants in ${ZONES.length} zones`);
    console.log(line('no-op job (baseline)', noopMs));
    console.log(line('putting one participant rule', ruleMs));
    console.log(line('one prompt + reminder + cut-off (per person)', promptWall / participants));
    console.log(line('one answer: 3 chat messages, reply, day update', answerMs));
    console.log(`prompted ${prompted.n} of ${participants}; messages sent ${platform.sent - sentBefore}`);
  } finally {
    await connection.close();
    await scratch?.drop();
  }
}

async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `steady_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: serverUrl, max: 1 }) }) });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

if (require.main === module) {
  runStandupBench(Number(process.argv[2] ?? 200)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
