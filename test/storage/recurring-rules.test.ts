import { z } from 'zod';
import { FakeClock } from '../../src/core/clock';
import { toLocal } from '../../src/core/zoned-time';
import { advanceThrough } from '../../src/scheduler/advance';
import type { JobKind } from '../../src/scheduler/job';
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

interface Fired {
  readonly occurrence: string;
  readonly ranAt: Date;
}

function setUp(start: string, staleAfterMs?: number) {
  const clock = new FakeClock(start);
  const scheduler = new Scheduler({ db: database.db, clock, log: silentLog });
  const fired: Fired[] = [];
  const kind: JobKind<{ occurrence: string }> = {
    kind: 'tick-rule',
    payload: z.object({ occurrence: z.string() }),
    ...(staleAfterMs === undefined ? {} : { staleAfterMs }),
    async run({ occurrence }, ctx) {
      fired.push({ occurrence, ranAt: ctx.now });
    },
  };
  scheduler.register(kind);
  return { clock, scheduler, fired };
}

/** Local wall-clock strings of the runs, in the rule's zone. */
const local = (fired: Fired[], zone: string) =>
  fired.map((f) => {
    const l = toLocal(f.ranAt, zone);
    return `${l.date} ${l.time}`;
  });

describe('recurring rules in wall-clock time', () => {
  test('America/New_York spring forward: 02:30 does not exist, the rule fires once at 03:00', async () => {
    const { clock, scheduler, fired } = setUp('2026-03-06T12:00:00Z');
    await scheduler.putRule({ key: 'r', jobKind: 'tick-rule', cron: '30 2 * * *', zone: 'America/New_York', payload: {} });
    await advanceThrough(scheduler, clock, new Date('2026-03-10T12:00:00Z'));
    expect(local(fired, 'America/New_York')).toEqual(['2026-03-07 02:30', '2026-03-08 03:00', '2026-03-09 02:30', '2026-03-10 02:30']);
    expect(fired.map((f) => f.ranAt.toISOString())).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  test('America/New_York fall back: 01:30 happens twice, the rule fires once (the first)', async () => {
    const { clock, scheduler, fired } = setUp('2026-10-31T00:00:00Z');
    await scheduler.putRule({ key: 'r', jobKind: 'tick-rule', cron: '30 1 * * *', zone: 'America/New_York', payload: {} });
    await advanceThrough(scheduler, clock, new Date('2026-11-03T00:00:00Z'));
    expect(fired.map((f) => f.ranAt.toISOString())).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  test('Europe/Berlin across both 2026 changes: a 09:30 stand-up stays at 09:30 local', async () => {
    const { clock, scheduler, fired } = setUp('2026-03-27T00:00:00Z');
    await scheduler.putRule({ key: 'r', jobKind: 'tick-rule', cron: '30 9 * * 1-5', zone: 'Europe/Berlin', payload: {} });
    await advanceThrough(scheduler, clock, new Date('2026-03-31T00:00:00Z'));
    expect(local(fired, 'Europe/Berlin')).toEqual(['2026-03-27 09:30', '2026-03-30 09:30']);
    expect(fired.map((f) => f.ranAt.toISOString())).toEqual(['2026-03-27T08:30:00.000Z', '2026-03-30T07:30:00.000Z']);

    fired.length = 0;
    clock.set('2026-10-23T00:00:00Z');
    await scheduler.putRule({ key: 'r', jobKind: 'tick-rule', cron: '30 9 * * 1-5', zone: 'Europe/Berlin', payload: {} });
    await advanceThrough(scheduler, clock, new Date('2026-10-27T00:00:00Z'));
    expect(fired.map((f) => f.ranAt.toISOString())).toEqual(['2026-10-23T07:30:00.000Z', '2026-10-26T08:30:00.000Z']);
  });

  test('Europe/Berlin: 02:30 rule fires once on the skipped and once on the repeated day', async () => {
    const { clock, scheduler, fired } = setUp('2026-03-28T12:00:00Z');
    await scheduler.putRule({ key: 'r', jobKind: 'tick-rule', cron: '30 2 * * *', zone: 'Europe/Berlin', payload: {} });
    await advanceThrough(scheduler, clock, new Date('2026-03-30T12:00:00Z'));
    expect(local(fired, 'Europe/Berlin')).toEqual(['2026-03-29 03:00', '2026-03-30 02:30']);

    fired.length = 0;
    clock.set('2026-10-24T12:00:00Z');
    await scheduler.putRule({ key: 'r', jobKind: 'tick-rule', cron: '30 2 * * *', zone: 'Europe/Berlin', payload: {} });
    await advanceThrough(scheduler, clock, new Date('2026-10-26T12:00:00Z'));
    expect(fired.map((f) => f.ranAt.toISOString())).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  test('each occurrence is enqueued once, with a dedupe key from the rule and the occurrence', async () => {
    const { clock, scheduler } = setUp('2026-06-01T00:00:00Z');
    await scheduler.putRule({
      key: 'standup:1:alice',
      jobKind: 'tick-rule',
      cron: '0 9 * * *',
      zone: 'UTC',
      payload: { who: 'alice' },
      owner: 'standup:1',
    });
    clock.set('2026-06-01T09:00:00Z');
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    await scheduler.tick();
    const jobs = await findJobs(database.db, { kind: 'tick-rule' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      dedupeKey: 'standup:1:alice@2026-06-01T09:00:00.000Z',
      owner: 'standup:1',
      payload: { who: 'alice', occurrence: '2026-06-01T09:00:00.000Z' },
      state: 'done',
    });
  });

  test('after an outage only the latest missed occurrence is enqueued, and stale ones are skipped', async () => {
    const { clock, scheduler, fired } = setUp('2026-06-01T00:00:00Z', 3 * 3_600_000);
    await scheduler.putRule({ key: 'r', jobKind: 'tick-rule', cron: '30 9 * * *', zone: 'UTC', payload: {} });
    // Down from before the first 09:30 until three days later at 10:00: the latest missed one is fresh enough.
    clock.set('2026-06-04T10:00:00Z');
    await scheduler.tick();
    expect(fired.map((f) => f.occurrence)).toEqual(['2026-06-04T09:30:00.000Z']);
    // Down again until 13:00 the next day: 09:30 is 3.5 hours late and is skipped.
    clock.set('2026-06-05T13:00:00Z');
    expect((await scheduler.tick()).skipped).toBe(1);
    expect(fired).toHaveLength(1);
    // The rule carries on.
    clock.set('2026-06-06T09:30:00Z');
    await scheduler.tick();
    expect(fired.map((f) => f.occurrence)).toEqual(['2026-06-04T09:30:00.000Z', '2026-06-06T09:30:00.000Z']);
  });

  test('a rule with a bad zone or schedule is refused', async () => {
    const { scheduler } = setUp('2026-06-01T00:00:00Z');
    await expect(
      scheduler.putRule({ key: 'x', jobKind: 'tick-rule', cron: '30 9 * * *', zone: 'Mars/Olympus', payload: {} }),
    ).rejects.toThrow(/IANA/);
    await expect(scheduler.putRule({ key: 'x', jobKind: 'tick-rule', cron: '99 9 * * *', zone: 'UTC', payload: {} })).rejects.toThrow(
      /not a valid schedule/,
    );
    expect(await database.db.selectFrom('recurring_rules').selectAll().execute()).toEqual([]);
  });
});
