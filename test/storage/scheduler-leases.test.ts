import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { z } from 'zod';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { housekeepingJob } from '../../src/scheduler/housekeeping';
import { LeaseLost, type JobContext, type JobKind } from '../../src/scheduler/job';
import { Scheduler } from '../../src/scheduler/scheduler';
import { createSteady } from '../../src/steady';
import { findJobs } from '../../src/storage/jobs-repository';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { RecordingPlatform } from '../support/recording-platform';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await sql`truncate jobs, recurring_rules, outbox, send_lanes restart identity`.execute(database.db);
});

const T0 = new Date('2026-12-07T09:00:00Z');
const SECOND = 1_000;

function scheduler(clock: FakeClock, extra: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}): Scheduler {
  return new Scheduler({ db: database.db, clock, log: silentLog, random: () => 0.5, leaseMs: 30 * SECOND, ...extra });
}

/** A job that waits until released, showing what it was given. */
function heldKind(name: string) {
  const contexts: JobContext[] = [];
  let releases: (() => void)[] = [];
  const kind: JobKind<{ n: number }> = {
    kind: name,
    payload: z.object({ n: z.number() }),
    async run(_payload, ctx) {
      contexts.push(ctx);
      await new Promise<void>((resolve) => releases.push(resolve));
    },
  };
  const releaseAll = () => {
    const r = releases;
    releases = [];
    for (const f of r) f();
  };
  return { kind, contexts, releaseAll, held: () => releases.length };
}

describe('each running job holds a lease of its own', () => {
  test('a heartbeat renews the lease while the job runs, so no other instance takes it', async () => {
    const clock = new FakeClock(T0);
    const a = scheduler(clock, { workerId: 'a' });
    const held = heldKind('long');
    a.register(held.kind);
    await a.enqueue({ kind: 'long', payload: { n: 1 }, runAt: T0 });
    const running = a.tick();
    await waitFor(() => held.held() === 1);

    for (let beat = 0; beat < 4; beat++) {
      clock.advance(20 * SECOND);
      await a.heartbeat();
    }
    const [job] = await findJobs(database.db, { kind: 'long' });
    expect(job).toMatchObject({ lockedBy: 'a', lockedUntil: new Date(T0.getTime() + 110 * SECOND) });
    const b = scheduler(clock, { workerId: 'b' });
    b.register(heldKind('long').kind);
    expect((await b.tick()).ran).toBe(0);
    expect(held.contexts[0]!.signal.aborted).toBe(false);

    held.releaseAll();
    await running;
    expect((await findJobs(database.db, { kind: 'long' }))[0]).toMatchObject({ state: 'done', attempts: 1 });
  });

  test('a run that lost its lease is stopped and can record nothing over the instance that took over', async () => {
    const clock = new FakeClock(T0);
    const a = scheduler(clock, { workerId: 'a' });
    const b = scheduler(clock, { workerId: 'b' });
    const slow = heldKind('work');
    let bRan = 0;
    a.register(slow.kind);
    b.register({ kind: 'work', payload: z.object({ n: z.number() }), run: async () => void bRan++ });
    await a.enqueue({ kind: 'work', payload: { n: 1 }, runAt: T0 });
    const aTick = a.tick();
    await waitFor(() => slow.held() === 1);

    // a stalls (no heartbeat) past its lease: b takes the job over and finishes it.
    clock.advance(31 * SECOND);
    expect((await b.tick()).ran).toBe(1);
    expect(bRan).toBe(1);

    // a's heartbeat finds the lease gone and stops the run.
    await a.heartbeat();
    const ctx = slow.contexts[0]!;
    expect(ctx.signal.aborted).toBe(true);
    // A write fenced by the lease is refused...
    await expect(database.db.transaction().execute((trx) => ctx.fence(trx))).rejects.toBeInstanceOf(LeaseLost);
    slow.releaseAll();
    expect(await aTick).toMatchObject({ ran: 0, failed: 0 });
    // ...and so is its end: the job is b's, done once.
    expect((await findJobs(database.db, { kind: 'work' }))[0]).toMatchObject({ state: 'done', attempts: 2, lockedBy: null });
  });

  test('up to `concurrency` jobs run at once, each claimed only when a place is free', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock, { concurrency: 4 });
    const held = heldKind('parallel');
    s.register(held.kind);
    for (let n = 0; n < 10; n++) await s.enqueue({ kind: 'parallel', payload: { n }, runAt: T0 });
    const tick = s.tick();
    await waitFor(() => held.held() === 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(held.held()).toBe(4);
    const claimed = (await findJobs(database.db, { kind: 'parallel' })).filter((j) => j.lockedBy !== null);
    expect(claimed).toHaveLength(4);
    for (let round = 0; round < 3; round++) {
      held.releaseAll();
      await waitFor(() => held.held() > 0 || held.contexts.length === 10);
    }
    held.releaseAll();
    expect((await tick).ran).toBe(10);
  });

  test('a job waiting for another (`after`) runs once that one has ended', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const order: string[] = [];
    s.register({
      kind: 'step',
      payload: z.object({ name: z.string() }),
      async run({ name }) {
        order.push(name);
      },
    });
    await s.enqueue({ kind: 'step', payload: { name: 'thread reply' }, runAt: T0, after: 'card' });
    await s.enqueue({ kind: 'step', payload: { name: 'card' }, runAt: new Date(T0.getTime() + SECOND), dedupeKey: 'card' });
    await s.tick();
    expect(order).toEqual([]);
    clock.advance(SECOND);
    await s.tick();
    expect(order).toEqual(['card', 'thread reply']);
  });
});

describe('ends ride with the next claim', () => {
  test('a run that outlived its lease (no other instance took it) ends done once; the claim carrying its end does not take it again', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const held = heldKind('slow');
    s.register(held.kind);
    await s.enqueue({ kind: 'slow', payload: { n: 1 }, runAt: T0 });
    const tick = s.tick();
    await waitFor(() => held.held() === 1);
    clock.advance(31 * SECOND);
    held.releaseAll();
    expect(await tick).toMatchObject({ ran: 1, failed: 0 });
    expect(held.contexts).toHaveLength(1);
    expect((await findJobs(database.db, { kind: 'slow' }))[0]).toMatchObject({ state: 'done', attempts: 1, lockedBy: null });
  });

  test('ends that rode a claim the database refused are kept and written once it answers', async () => {
    const clock = new FakeClock(T0);
    const outage = new Outage();
    const s = new Scheduler({ db: database.db.withPlugin(outage), clock, log: silentLog, random: () => 0.5, leaseMs: 30 * SECOND });
    let runs = 0;
    s.register({
      kind: 'quick',
      payload: z.object({}),
      async run() {
        runs++;
        // The database goes away as the job ends: its end cannot ride the next claim, nor be flushed.
        outage.down = true;
      },
    });
    await s.enqueue({ kind: 'quick', payload: {}, runAt: T0 });
    await s.tick();
    expect(runs).toBe(1);
    expect((await findJobs(database.db, { kind: 'quick' }))[0]).toMatchObject({ state: 'running' });

    outage.down = false;
    clock.advance(5 * SECOND);
    await s.tick();
    expect(runs).toBe(1);
    expect((await findJobs(database.db, { kind: 'quick' }))[0]).toMatchObject({ state: 'done', attempts: 1, lockedBy: null });
  });
});

/** A database that stops answering while `down`: every statement through it fails as a lost connection would. */
class Outage implements KyselyPlugin {
  down = false;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.down) throw new Error('Connection terminated unexpectedly');
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe('a request runs only its own jobs', () => {
  test("what a command enqueued runs at once; everyone else's due jobs wait for the pool", async () => {
    const clock = new FakeClock(T0);
    const ran: string[] = [];
    const platforms = new Platforms();
    platforms.register(new RecordingPlatform('test'));
    let steady: ReturnType<typeof createSteady> | undefined;
    steady = createSteady({
      db: database.db,
      clock,
      log: silentLog,
      platforms,
      workflows: () => [
        {
          name: 'probe',
          commands: {
            probe: async () => {
              await steady!.scheduler.enqueue({ kind: 'mine', payload: { n: 1 }, runAt: clock.now() });
            },
          },
          jobs: [
            { kind: 'mine', payload: z.object({ n: z.number() }), run: async () => void ran.push('mine') },
            { kind: 'theirs', payload: z.object({ n: z.number() }), run: async () => void ran.push('theirs') },
          ],
        },
      ],
    });
    for (let n = 0; n < 5; n++) await steady.scheduler.enqueue({ kind: 'theirs', payload: { n }, runAt: T0 });
    const outcome = await steady.dispatcher.handle(
      { type: 'command', command: 'probe', text: '' },
      { actor: { workspaceId: 'test:W1', userId: 'amy' }, correlationId: 'c1', replyPrivately: async () => undefined },
    );
    expect(outcome).toBeUndefined();
    expect(ran).toEqual(['mine']);
    expect(await findJobs(database.db, { kind: 'theirs', state: 'pending' })).toHaveLength(5);
  });
});

describe('housekeeping', () => {
  test('finished jobs and outbox entries older than the retention are deleted; recent and pending ones stay', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    s.register(housekeepingJob(database.db, { retentionDays: 14 }), { kind: 'noop', payload: z.object({}), run: async () => undefined });
    const day = 86_400_000;
    const ended = async (key: string, daysAgo: number, state: 'done' | 'failed' | 'pending') => {
      const at = new Date(T0.getTime() - daysAgo * day);
      await s.enqueue({ kind: 'noop', payload: {}, runAt: state === 'pending' ? new Date(T0.getTime() + day) : at, dedupeKey: key });
      if (state !== 'pending')
        await database.db.updateTable('jobs').set({ state, finished_at: at }).where('dedupe_key', '=', key).execute();
      await database.db
        .insertInto('outbox')
        .values({
          key,
          workspace_id: 'test:W1',
          target: '@amy',
          state: state === 'pending' ? 'attempting' : 'sent',
          created_at: at,
          updated_at: at,
        })
        .execute();
    };
    await ended('old-done', 20, 'done');
    await ended('old-failed', 15, 'failed');
    await ended('recent', 3, 'done');
    await ended('waiting', 30, 'pending');
    await s.enqueue({ kind: 'housekeeping', payload: {}, runAt: T0 });
    await s.tick();
    const keys = (await findJobs(database.db, { kind: 'noop' })).map((j) => j.dedupeKey).sort();
    expect(keys).toEqual(['recent', 'waiting']);
    const outbox = (await database.db.selectFrom('outbox').select('key').execute()).map((r) => r.key).sort();
    expect(outbox).toEqual(['recent', 'waiting']);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('condition never became true');
}
