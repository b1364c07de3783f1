import { z } from 'zod';
import { FakeClock } from '../../src/core/clock';
import { PlatformError } from '../../src/core/errors';
import { GiveUp, RetryLater, type JobKind } from '../../src/scheduler/job';
import { Scheduler } from '../../src/scheduler/scheduler';
import { findJobs } from '../../src/storage/jobs-repository';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.deleteFrom('jobs').execute();
  await database.db.deleteFrom('recurring_rules').execute();
});

const T0 = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;

function recordingKind(
  name: string,
  behaviour: (n: number, payload: { n: number }) => Promise<void> = async () => undefined,
  extra: Partial<JobKind<{ n: number }>> = {},
) {
  const runs: number[] = [];
  const kind: JobKind<{ n: number }> = {
    kind: name,
    payload: z.object({ n: z.number() }),
    async run(payload) {
      runs.push(payload.n);
      await behaviour(runs.filter((r) => r === payload.n).length, payload);
    },
    ...extra,
  };
  return { kind, runs };
}

function scheduler(clock: FakeClock, extra: Partial<ConstructorParameters<typeof Scheduler>[0]> = {}) {
  return new Scheduler({ db: database.db, clock, log: silentLog, random: () => 0.5, ...extra });
}

describe('durable scheduler', () => {
  test('a due job runs once; a future one waits for its time', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const { kind, runs } = recordingKind('echo');
    s.register(kind);
    await s.enqueue({ kind: 'echo', payload: { n: 1 }, runAt: T0 });
    await s.enqueue({ kind: 'echo', payload: { n: 2 }, runAt: new Date(T0.getTime() + 10 * MIN) });

    expect((await s.tick()).ran).toBe(1);
    expect(await s.tick()).toMatchObject({ ran: 0 });
    expect(runs).toEqual([1]);

    clock.advance(10 * MIN);
    await s.tick();
    expect(runs).toEqual([1, 2]);
    const jobs = await findJobs(database.db, { kind: 'echo' });
    expect(jobs.map((j) => [j.state, j.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
    ]);
  });

  test('a dedupe key makes enqueueing idempotent, even after the job finished', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const { kind, runs } = recordingKind('once');
    s.register(kind);
    expect((await s.enqueue({ kind: 'once', payload: { n: 1 }, runAt: T0, dedupeKey: 'k1' })).created).toBe(true);
    expect((await s.enqueue({ kind: 'once', payload: { n: 1 }, runAt: T0, dedupeKey: 'k1' })).created).toBe(false);
    await s.tick();
    expect((await s.enqueue({ kind: 'once', payload: { n: 1 }, runAt: T0, dedupeKey: 'k1' })).created).toBe(false);
    await s.tick();
    expect(runs).toEqual([1]);
  });

  test('a failing job is retried with exponential backoff and jitter, then given up', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock, { maxAttempts: 4, backoff: { baseMs: 60_000, maxMs: 3_600_000 }, random: () => 1 });
    const { kind, runs } = recordingKind('flaky', async () => {
      throw new Error('platform down');
    });
    s.register(kind);
    await s.enqueue({ kind: 'flaky', payload: { n: 7 }, runAt: T0 });

    const due: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const report = await s.tick();
      expect(report[attempt < 4 ? 'retried' : 'failed']).toBe(1);
      const [job] = await findJobs(database.db, { kind: 'flaky' });
      if (attempt < 4) {
        due.push((job!.runAt.getTime() - clock.now().getTime()) / 1000);
        clock.set(job!.runAt);
        // Not due a moment before its time.
        clock.advance(-1);
        expect((await s.tick()).retried + (await s.tick()).failed).toBe(0);
        clock.advance(1);
      } else {
        expect(job).toMatchObject({ state: 'failed', attempts: 4, lastError: 'platform down' });
      }
    }
    // random() = 1 gives the full delay: 1 min, 2 min, 4 min.
    expect(due).toEqual([60, 120, 240]);
    expect(runs).toEqual([7, 7, 7, 7]);
  });

  test('jitter spreads the delay between half and all of the exponential step', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock, { backoff: { baseMs: 60_000, maxMs: 3_600_000 }, random: () => 0 });
    s.register(
      recordingKind('jittery', async () => {
        throw new Error('nope');
      }).kind,
    );
    await s.enqueue({ kind: 'jittery', payload: { n: 1 }, runAt: T0 });
    await s.tick();
    const [job] = await findJobs(database.db, { kind: 'jittery' });
    expect(job!.runAt.getTime() - T0.getTime()).toBe(30_000);
  });

  test('a Retry-After reported by the handler is honoured', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock, { backoff: { baseMs: 1_000, maxMs: 60_000 } });
    s.register(
      recordingKind('limited', async () => {
        throw new PlatformError('RATE_LIMITED', 'slow down', { retryAfterMs: 45 * MIN });
      }).kind,
      recordingKind('later', async () => {
        throw new RetryLater('not yet', 10 * MIN);
      }).kind,
    );
    await s.enqueue({ kind: 'limited', payload: { n: 1 }, runAt: T0 });
    await s.enqueue({ kind: 'later', payload: { n: 1 }, runAt: T0 });
    await s.tick();
    const jobs = await findJobs(database.db, { state: 'pending' });
    const delay = Object.fromEntries(jobs.map((j) => [j.kind, (j.runAt.getTime() - T0.getTime()) / MIN]));
    expect(delay).toEqual({ limited: 45, later: 10 });
  });

  test('a permanent error fails at once, without retries', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    s.register(
      recordingKind('gone', async () => {
        throw new PlatformError('NOT_FOUND', 'channel_not_found', { platformCode: 'channel_not_found' });
      }).kind,
      recordingKind('hopeless', async () => {
        throw new GiveUp('never');
      }).kind,
    );
    await s.enqueue({ kind: 'gone', payload: { n: 1 }, runAt: T0 });
    await s.enqueue({ kind: 'hopeless', payload: { n: 1 }, runAt: T0 });
    expect(await s.tick()).toMatchObject({ failed: 2, retried: 0 });
    expect((await findJobs(database.db)).map((j) => [j.state, j.attempts])).toEqual([
      ['failed', 1],
      ['failed', 1],
    ]);
  });

  test('a payload that does not match its kind fails without running', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const { kind, runs } = recordingKind('typed');
    s.register(kind);
    await s.enqueue({ kind: 'typed', payload: { n: 'one' }, runAt: T0 });
    expect((await s.tick()).failed).toBe(1);
    expect(runs).toEqual([]);
  });

  test('a job that became stale while Steady was down is skipped, not run late', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const { kind, runs } = recordingKind('prompt', undefined, { staleAfterMs: 60 * MIN });
    s.register(kind);
    await s.enqueue({ kind: 'prompt', payload: { n: 1 }, runAt: T0 });
    await s.enqueue({ kind: 'prompt', payload: { n: 2 }, runAt: new Date(T0.getTime() + 2 * 60 * MIN) });
    clock.advance(3 * 60 * MIN);
    expect(await s.tick()).toMatchObject({ skipped: 1, ran: 1 });
    expect(runs).toEqual([2]);
    expect((await findJobs(database.db)).map((j) => j.state)).toEqual(['skipped', 'done']);
  });

  test('jobs are cancelled by dedupe key or by owner (and kind)', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const { kind, runs } = recordingKind('remind');
    s.register(kind);
    const later = new Date(T0.getTime() + MIN);
    await s.enqueue({ kind: 'remind', payload: { n: 1 }, runAt: later, dedupeKey: 'esc:1:due', owner: 'escalation:1' });
    await s.enqueue({ kind: 'remind', payload: { n: 2 }, runAt: later, owner: 'escalation:1' });
    await s.enqueue({ kind: 'remind', payload: { n: 3 }, runAt: later, owner: 'escalation:2' });
    expect(await s.cancel({ dedupeKey: 'esc:1:due' })).toBe(1);
    expect(await s.cancel({ owner: 'escalation:1', kinds: ['other'] })).toBe(0);
    expect(await s.cancel({ owner: 'escalation:1' })).toBe(1);
    clock.advance(MIN);
    await s.tick();
    expect(runs).toEqual([3]);
  });

  test('a job that enqueues more work and asks for a tick finishes; the work it enqueued runs right after it', async () => {
    const clock = new FakeClock(T0);
    const s = scheduler(clock);
    const follow = recordingKind('follow-up');
    const first = recordingKind('hand-over', async () => {
      await s.enqueue({ kind: 'follow-up', payload: { n: 2 }, runAt: T0 });
      // Would wait for the tick that is running this very job, were it not noticed.
      expect(await s.tick()).toMatchObject({ ran: 0 });
    });
    s.register(first.kind, follow.kind);
    await s.enqueue({ kind: 'hand-over', payload: { n: 1 }, runAt: T0 });

    expect(await s.tick()).toMatchObject({ ran: 2 });
    expect([first.runs, follow.runs]).toEqual([[1], [2]]);
    expect(await s.tick()).toMatchObject({ ran: 0 });
  });

  test('restart: stopping mid-batch loses nothing and repeats nothing', async () => {
    const clock = new FakeClock(T0);
    const ran: number[] = [];
    let first: Scheduler;
    const kind: JobKind<{ n: number }> = {
      kind: 'work',
      payload: z.object({ n: z.number() }),
      async run({ n }) {
        ran.push(n);
        // The process is told to stop while working on the fifth job of the batch.
        if (n === 5) void first.stop();
      },
    };
    first = scheduler(clock, { concurrency: 1 });
    first.register(kind);
    for (let n = 1; n <= 30; n++) await first.enqueue({ kind: 'work', payload: { n }, runAt: T0 });
    await first.tick();
    expect(ran).toEqual([1, 2, 3, 4, 5]);
    const pending = await findJobs(database.db, { state: 'pending' });
    expect(pending).toHaveLength(25);
    // Jobs are claimed only as places free up: none was held back by the stopped instance.
    expect(pending.every((j) => j.attempts === 0 && j.lockedBy === null)).toBe(true);

    const second = scheduler(clock, { concurrency: 20 });
    second.register(kind);
    await second.tick();
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await findJobs(database.db, { state: 'done' })).toHaveLength(30);
  });

  test('a job whose worker died is taken over when its lease expires', async () => {
    const clock = new FakeClock(T0);
    const ran: string[] = [];
    const kind = (who: string): JobKind<{ n: number }> => ({
      kind: 'leased',
      payload: z.object({ n: z.number() }),
      async run() {
        ran.push(who);
        // The first worker's process dies mid-job: it never returns.
        if (who === 'dead') await new Promise(() => undefined);
      },
    });
    const dying = scheduler(clock, { leaseMs: 5 * MIN, workerId: 'dead' });
    dying.register(kind('dead'));
    await dying.enqueue({ kind: 'leased', payload: { n: 1 }, runAt: T0 });
    void dying.tick();
    await waitFor(() => ran.length === 1);

    const survivor = scheduler(clock, { leaseMs: 5 * MIN, workerId: 'alive' });
    survivor.register(kind('alive'));
    expect((await survivor.tick()).ran).toBe(0);
    clock.advance(5 * MIN + 1);
    expect((await survivor.tick()).ran).toBe(1);
    expect(ran).toEqual(['dead', 'alive']);
    const [job] = await findJobs(database.db, { kind: 'leased' });
    expect(job).toMatchObject({ state: 'done', attempts: 2 });
  });
});

describe('graceful stop', () => {
  test('waits for the job in hand up to the grace period, and claims nothing more', async () => {
    const clock = new FakeClock(T0);
    let release: () => void = () => undefined;
    const ran: number[] = [];
    const s = scheduler(clock, { concurrency: 1 });
    s.register({
      kind: 'slow',
      payload: z.object({ n: z.number() }),
      async run({ n }) {
        ran.push(n);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    await s.enqueue({ kind: 'slow', payload: { n: 1 }, runAt: T0 });
    await s.enqueue({ kind: 'slow', payload: { n: 2 }, runAt: T0 });
    const tick = s.tick();
    await waitFor(() => ran.length === 1);
    // Too short a grace: stop reports that the job is still running.
    expect(await s.stop(20)).toBe(false);
    const stopped = s.stop(5_000);
    release();
    expect(await stopped).toBe(true);
    await tick;
    expect(ran).toEqual([1]);
    expect((await findJobs(database.db, { kind: 'slow' })).map((j) => j.state)).toEqual(['done', 'pending']);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('condition never became true');
}
