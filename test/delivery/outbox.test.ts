import { sql } from 'kysely';
import { FakeClock } from '../../src/core/clock';
import { textMessage } from '../../src/core/message';
import { findJobs } from '../../src/storage/jobs-repository';
import { findOutboxEntry } from '../../src/storage/outbox-repository';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { TroublePlatform, WORKSPACE, enqueueSend, instance } from '../support/delivery-rig';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await sql`truncate jobs, outbox, send_lanes, reported_problems restart identity`.execute(database.db);
});

const T0 = '2026-12-07T09:00:00Z';
const SECOND = 1_000;
const toAmy = { key: 'prompt:amy', to: { workspaceId: WORKSPACE, userId: 'amy' }, text: 'It is time for Daily' };

describe('an attempt that ended in doubt', () => {
  test('is looked up on the platform before anything is sent again, and found: one message', async () => {
    const clock = new FakeClock(T0);
    const platform = new TroublePlatform({ canLook: true });
    const steady = instance(database, platform, clock);
    platform.plan.push('lose answer');
    await enqueueSend(steady, toAmy);

    await steady.scheduler.tick();
    expect(platform.calls.map((c) => c.outcome)).toEqual(['lost answer']);
    expect(await findOutboxEntry(database.db, 'prompt:amy')).toMatchObject({ state: 'attempting' });

    // The retry comes after the backoff, but the doubt lasts until no answer could still be coming.
    clock.advance(61 * SECOND);
    await steady.scheduler.tick();
    clock.advance(61 * SECOND);
    await steady.scheduler.tick();
    expect(platform.calls.map((c) => c.outcome)).toEqual(['lost answer']);
    expect(platform.to('amy')).toEqual(['It is time for Daily']);
    expect(await findOutboxEntry(database.db, 'prompt:amy')).toMatchObject({ state: 'sent', found_in_doubt: 1, resent_in_doubt: 0 });
    expect((await findJobs(database.db, { kind: 'test.send' })).map((j) => j.state)).toEqual(['done']);
  });

  test("found after a doubt, a wave's message is kept on record like the others", async () => {
    const clock = new FakeClock(T0);
    const platform = new TroublePlatform({ canLook: true });
    const steady = instance(database, platform, clock);
    const kept: string[] = [];
    const wave = (keys: string[]) =>
      steady.services.outbox.postMany(
        keys.map((key) => ({ key, to: { workspaceId: WORKSPACE, userId: key }, message: textMessage(`hello ${key}`) })),
        async (_trx, sent) => void kept.push(...sent.map((s) => s.spec.key)),
      );
    platform.plan.push('lose answer');
    const first = await wave(['amy', 'ben']);
    expect(first.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    clock.advance(61 * SECOND);
    await wave(['amy', 'ben']);
    expect(kept.sort()).toEqual(['amy', 'ben']);
    expect(platform.sent.map((s) => s.to).sort()).toEqual(['amy', 'ben']);
  });

  test('a process that died right after sending is settled by the instance that takes its job over', async () => {
    const clock = new FakeClock(T0);
    const platform = new TroublePlatform({ canLook: true });
    const dying = instance(database, platform, clock, { scheduler: { workerId: 'dying', leaseMs: 30 * SECOND } });
    platform.plan.push('hang');
    await enqueueSend(dying, toAmy);
    void dying.scheduler.tick(); // the send reached the platform; the process never hears back
    await waitFor(() => platform.calls.length === 1);

    const survivor = instance(database, platform, clock, { scheduler: { workerId: 'survivor' } });
    clock.advance(31 * SECOND);
    await survivor.scheduler.tick(); // lease expired: taken over, but the attempt may still be on its way
    clock.advance(60 * SECOND);
    await survivor.scheduler.tick();
    expect(platform.to('amy')).toHaveLength(1);
    expect(await findOutboxEntry(database.db, 'prompt:amy')).toMatchObject({ state: 'sent', found_in_doubt: 1 });
    expect((await findJobs(database.db, { kind: 'test.send' }))[0]).toMatchObject({ state: 'done', attempts: 2 });
  });

  test('on a platform that cannot be asked (Teams) the message is sent again, and counted', async () => {
    const clock = new FakeClock(T0);
    const platform = new TroublePlatform({ canLook: false });
    const steady = instance(database, platform, clock);
    platform.plan.push('lose answer');
    await enqueueSend(steady, toAmy);
    await steady.scheduler.tick();
    clock.advance(61 * SECOND);
    await steady.scheduler.tick();
    clock.advance(61 * SECOND);
    await steady.scheduler.tick();
    expect(platform.to('amy')).toHaveLength(2);
    expect(await findOutboxEntry(database.db, 'prompt:amy')).toMatchObject({ state: 'sent', resent_in_doubt: 1 });
  });

  test('a job run again after its message was recorded sends nothing', async () => {
    const clock = new FakeClock(T0);
    const platform = new TroublePlatform({ canLook: false });
    const steady = instance(database, platform, clock);
    await enqueueSend(steady, toAmy);
    await steady.scheduler.tick();
    await steady.scheduler.enqueue({ kind: 'test.send', payload: toAmy, runAt: clock.now(), dedupeKey: 'the same message again' });
    await steady.scheduler.tick();
    expect(platform.to('amy')).toHaveLength(1);
  });
});

describe('rate limits', () => {
  const limits = { post: { workspace: { perSecond: 10, burst: 10 }, conversation: { perSecond: 1, burst: 2 } } };

  test("a 429 pauses the workspace's sends for every instance, and costs no attempt", async () => {
    const clock = new FakeClock(T0);
    const platform = new TroublePlatform({ canLook: true, limits });
    const a = instance(database, platform, clock, { scheduler: { workerId: 'a' } });
    const b = instance(database, platform, clock, { scheduler: { workerId: 'b' } });
    platform.plan.push('429');
    await enqueueSend(a, toAmy);
    await a.scheduler.tick();
    expect(platform.calls.map((c) => c.outcome)).toEqual(['429']);

    // Another instance, another person, the same workspace: it does not even try during the pause.
    await enqueueSend(b, { key: 'prompt:ben', to: { workspaceId: WORKSPACE, userId: 'ben' }, text: 'It is time for Daily' });
    await b.scheduler.tick();
    clock.advance(29 * SECOND);
    await a.scheduler.tick();
    await b.scheduler.tick();
    expect(platform.calls).toHaveLength(1);

    clock.advance(1 * SECOND);
    await b.scheduler.tick();
    await a.scheduler.tick();
    expect(platform.calls[0]).toMatchObject({ to: 'amy', outcome: '429' });
    expect(
      platform.calls
        .slice(1)
        .map((c) => `${c.to} ${c.outcome}`)
        .sort(),
    ).toEqual(['amy taken', 'ben taken']);
    // The pauses were handed back, not counted: each job used one attempt, the one that sent.
    expect((await findJobs(database.db, { kind: 'test.send' })).map((j) => [j.state, j.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
    ]);
  });

  test('sends to one conversation are paced at its rate after a burst, across instances', async () => {
    const clock = new FakeClock(T0);
    const platform = new TroublePlatform({ canLook: true, limits });
    const a = instance(database, platform, clock, { scheduler: { workerId: 'a', concurrency: 1 } });
    const b = instance(database, platform, clock, { scheduler: { workerId: 'b', concurrency: 1 } });
    const at: number[] = [];
    const post = platform.post.bind(platform);
    platform.post = async (...args) => {
      at.push(clock.now().getTime() - new Date(T0).getTime());
      return post(...args);
    };
    for (let n = 1; n <= 5; n++) {
      await enqueueSend(n % 2 ? a : b, { key: `card:${n}`, to: { workspaceId: WORKSPACE, conversation: 'test:C-ops' }, text: `card ${n}` });
    }
    for (let round = 0; round < 3; round++) {
      await a.scheduler.tick();
      await b.scheduler.tick();
    }
    expect(platform.to('test:C-ops')).toHaveLength(5);
    // Two at once (the burst), then one a second.
    expect(at).toEqual([0, 0, 1_000, 2_000, 3_000]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error('condition never became true');
}
