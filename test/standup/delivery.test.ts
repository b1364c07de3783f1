import { PlatformError } from '../../src/core/errors';
import type { Message } from '../../src/core/message';
import { findJobs } from '../../src/storage/jobs-repository';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { createStandup, current, dms, lastDm, resetDatabase, standupHarness } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database.db));

const BERLIN = { timeZone: 'Europe/Berlin' };
const team = (...names: string[]) =>
  Object.fromEntries(names.map((n) => [n, { displayName: n[0]!.toUpperCase() + n.slice(1), ...BERLIN }]));
const prompts = (h: ReturnType<typeof standupHarness>['h'], userId: string) =>
  dms(h, userId).filter((s) => s.text.includes('It is time for'));

describe('stand-up delivery guarantees', () => {
  test('a restart during the fan-out neither loses nor repeats a prompt', async () => {
    const people = team('carol', 'amy', 'ben', 'cid');
    const first = standupHarness(database, { start: '2026-11-29T12:00:00Z', people });
    await createStandup(first.h, 'carol', { name: 'Daily', participants: ['amy', 'ben', 'cid'] });
    await first.h.advance('2026-11-30T08:29:00Z');
    // At 09:30 Berlin the first instance sends the prompts at once; it dies while sending the second.
    let sends = 0;
    const send = first.h.platform.postDirect.bind(first.h.platform);
    first.h.platform.postDirect = (workspaceId: string, userId: string, message: Message) =>
      ++sends === 2 ? new Promise<string>(() => undefined) : send(workspaceId, userId, message);
    first.h.clock.set('2026-11-30T08:30:00Z');
    void first.h.tick(); // never finishes: the process is gone
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sentBefore = ['amy', 'ben', 'cid'].filter((u) => prompts(first.h, u).length === 1);
    expect(sentBefore).toHaveLength(2);

    // A new instance on the same database takes the leased jobs over once the lease expires.
    const second = standupHarness(database, { start: '2026-11-30T08:30:00Z', people });
    await second.h.advance('2026-11-30T08:33:00Z');
    for (const userId of ['amy', 'ben', 'cid']) {
      expect(prompts(first.h, userId).length + prompts(second.h, userId).length).toBe(1);
    }
    // A job that runs again (its end was never recorded) finds the prompt sent and sends nothing.
    const [job] = await findJobs(database.db, { kind: 'standup.prompt' });
    await second.h.steady.scheduler.enqueue({
      kind: 'standup.prompt',
      payload: job!.payload,
      runAt: second.h.clock.now(),
      dedupeKey: 'rerun',
    });
    await second.h.tick();
    for (const userId of ['amy', 'ben', 'cid']) {
      expect(prompts(first.h, userId).length + prompts(second.h, userId).length).toBe(1);
    }
  });

  test('prompts that became stale during an outage are not sent late; a short outage still asks', async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people: team('carol', 'amy') });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'] });
    await h.tick();
    // Down from Sunday until Monday 13:00 Berlin, past the 12:30 cut-off.
    h.clock.set('2026-11-30T12:00:00Z');
    await h.tick();
    expect(prompts(h, 'amy')).toHaveLength(0);
    expect(await database.db.selectFrom('standup_sessions').selectAll().execute()).toEqual([]);
    // Down over Tuesday 09:30, back at 10:30: asked then, with the day's own cut-off.
    h.clock.set('2026-12-01T09:30:00Z');
    await h.tick();
    expect(prompts(h, 'amy')).toHaveLength(1);
    expect(lastDm(h, 'amy').text).toContain('Daily · Tue, 1 Dec 2026');
    expect(lastDm(h, 'amy').text).toContain('Answers are due by 12:30 CET.');
    // The reminder comes, but not on the heels of the late prompt.
    await h.advance('2026-12-01T09:39:00Z');
    expect(dms(h, 'amy').filter((s) => s.text.startsWith('Reminder'))).toHaveLength(0);
    await h.advance('2026-12-01T09:40:00Z');
    expect(dms(h, 'amy').filter((s) => s.text.startsWith('Reminder'))).toHaveLength(1);
  });

  test('a prompt the platform refuses for one person is reported to the creator once; the others are asked', async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people: team('carol', 'amy', 'gone', 'ben') });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'gone', 'ben'] });
    h.platform.failures.set('gone', new PlatformError('NOT_FOUND', 'user_not_found', { platformCode: 'user_not_found' }));
    await h.advance('2026-12-01T12:00:00Z'); // Monday and Tuesday
    expect(prompts(h, 'amy')).toHaveLength(2);
    expect(prompts(h, 'ben')).toHaveLength(2);
    const told = dms(h, 'carol').filter((s) => s.text.includes('I could not send'));
    expect(told.map((s) => s.text)).toEqual([
      'I could not send Daily to @gone (the person or their direct messages cannot be found). The others are asked as usual. If they have left, remove them with /standup edit Daily.',
    ]);
    const summary = h.platform.sent.filter((s) => s.to === 'test:C-team' && s.text.startsWith('Daily · Mon, 30 Nov 2026 · summary'));
    expect(summary[0]!.text).toContain('Could not be reached (1): @gone');
    expect(summary[0]!.text).toContain('Did not respond (2): @amy, @ben');
    const failed = await database.db
      .selectFrom('standup_sessions')
      .select(['user_id', 'prompt_error'])
      .where('user_id', '=', 'gone')
      .execute();
    expect(failed).toEqual([
      { user_id: 'gone', prompt_error: 'NOT_FOUND' },
      { user_id: 'gone', prompt_error: 'NOT_FOUND' },
    ]);
  });

  test('a report channel that refuses is reported once; the answers are kept and posted once it works again', async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people: team('carol', 'amy', 'ben') });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'] });
    await h.advance('2026-11-30T08:35:00Z');
    h.platform.failures.set('test:C-team', new PlatformError('PERMISSION', 'not_in_channel'));
    for (const text of ['Done A', 'Do B', 'none']) await h.as('amy').directMessage(text);
    expect(h.repliesTo('amy').at(-1)).toContain('Thanks! Your Daily answers are in the channel.');
    await h.advance('2026-11-30T08:50:00Z'); // the publish job retries, and fails again quietly
    const told = dms(h, 'carol').filter((s) => s.text.includes('I could not post'));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain("I could not post Daily's answers in the channel (I am not allowed to post there).");
    h.platform.failures.delete('test:C-team');
    for (const text of ['Done C', 'Do D', 'none']) await h.as('ben').directMessage(text);
    const posts = h.platform.sent.filter((s) => s.op === 'post' && s.to === 'test:C-team' && s.text.startsWith('Daily · Mon'));
    expect(posts).toHaveLength(1);
    const thread = h.platform.sent.filter((s) => s.threadOf === posts[0]!.ref).map((s) => s.text.split('\n')[0]);
    expect(thread).toEqual(['@amy', '@ben']);
  });

  test('someone who moves zone is asked at 09:30 where they are now', async () => {
    const { h } = standupHarness(database, { start: '2026-11-28T12:00:00Z', people: team('carol', 'amy', 'ben') });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'] });
    // On Saturday amy flies to Tokyo and says so with /steady tz, which knows nothing of stand-ups.
    await h.as('amy').command('steady', 'tz Asia/Tokyo');
    // ben moves to New York with /standup tz, which moves his stand-ups at once.
    await h.as('ben').command('standup', 'tz America/New_York');
    expect(h.repliesTo('ben').at(-1)).toBe(
      'Your time zone is now America/New_York.\nDaily: I will ask you next on Mon, 30 Nov 2026, 09:30 EST (America/New_York).',
    );
    await h.advance('2026-12-01T00:00:00Z');
    const asked = await database.db
      .selectFrom('standup_sessions')
      .select(['user_id', 'date', 'zone', 'prompted_at'])
      .orderBy('prompted_at')
      .execute();
    expect(asked).toEqual([
      { user_id: 'amy', date: '2026-11-30', zone: 'Asia/Tokyo', prompted_at: new Date('2026-11-30T00:30:00Z') },
      { user_id: 'ben', date: '2026-11-30', zone: 'America/New_York', prompted_at: new Date('2026-11-30T14:30:00Z') },
    ]);
    // If the change lands between two hourly checks, the old rule's prompt notices and moves it.
    await database.db.updateTable('people').set({ time_zone: 'America/Chicago' }).where('user_id', '=', 'amy').execute();
    await h.advance('2026-12-01T00:30:00Z'); // 09:30 in Tokyo: amy is in Chicago now, not asked at 18:30 her time
    await h.advance('2026-12-01T15:30:00Z');
    const amy = await database.db
      .selectFrom('standup_sessions')
      .select(['date', 'zone', 'prompted_at'])
      .where('user_id', '=', 'amy')
      .orderBy('date')
      .execute();
    expect(amy.at(-1)).toEqual({ date: '2026-12-01', zone: 'America/Chicago', prompted_at: new Date('2026-12-01T15:30:00Z') });
    expect(prompts(h, 'amy').map((s) => s.text.split('\n')[0])).toEqual(['Daily · Mon, 30 Nov 2026', 'Daily · Tue, 1 Dec 2026']);
  });

  test('the prompt in chat is updated once answered, so no stale button stays', async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people: team('carol', 'amy') });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'], reminder: '0' });
    await h.advance('2026-11-30T12:00:00Z');
    expect(dms(h, 'amy').filter((s) => s.text.startsWith('Reminder'))).toHaveLength(0); // reminder 0: none
    const prompt = prompts(h, 'amy')[0]!;
    expect(current(h, prompt.ref)!.text).toContain('[Answer in a form] [Skip today]');
  });

  test("the day's message while the day is open: who answered, who missed their cut-off, who is still to be asked", async () => {
    const tokyo = { timeZone: 'Asia/Tokyo' };
    const { h } = standupHarness(database, {
      start: '2026-11-29T12:00:00Z',
      people: {
        carol: { displayName: 'Carol' },
        amy: { displayName: 'Amy', ...tokyo },
        cid: { displayName: 'Cid', ...tokyo },
        ben: { displayName: 'Ben', timeZone: 'America/Chicago' },
      },
    });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'cid', 'ben'] });
    await h.advance('2026-11-30T00:45:00Z');
    for (const text of ['Done', 'Doing', 'none']) await h.as('amy').directMessage(text);
    const ref = h.platform.sent.find((s) => s.to === 'test:C-team' && s.text.startsWith('Daily · Mon'))!.ref;
    expect(current(h, ref)!.text).toContain('Answered (1): @amy\nNot answered yet (1): @cid\nTo be asked later (1): @ben');
    await h.advance('2026-11-30T04:00:00Z'); // the Tokyo cut-off (12:30) has passed
    expect(current(h, ref)!.text).toBe(
      'Daily · Mon, 30 Nov 2026\nAnswered (1): @amy\nDid not respond (1): @cid\nTo be asked later (1): @ben\nAnswers are in the thread.',
    );
  });

  test("everyone whose cut-off falls at one moment is closed together: the channel gets the day's summary once, not a version per person", async () => {
    const names = ['amy', 'ben', 'cid', 'dot', 'eli', 'fay'];
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people: team('carol', ...names) });
    await createStandup(h, 'carol', { name: 'Daily', participants: names });
    await h.advance('2026-11-30T08:31:00Z');
    // Each answers the first question in chat and leaves the second (required) one open.
    for (const name of names) await h.as(name).directMessage(`Done by ${name}`);
    const dayMessages = () =>
      h.platform.sent.filter((s) => s.to === 'test:C-team' && !s.threadOf && s.text.startsWith('Daily · Mon, 30 Nov 2026'));
    expect(dayMessages()).toEqual([]);

    await h.advance('2026-11-30T11:31:00Z'); // the 12:30 cut-off in Berlin
    const inChannel = dayMessages();
    expect(inChannel.map((s) => s.op)).toEqual(['post']);
    expect(inChannel[0]!.text).toContain('Daily · Mon, 30 Nov 2026 · summary');
    expect(inChannel[0]!.text).toContain('Answered (6)');
    expect(h.platform.sent.filter((s) => s.op === 'update' && s.ref === inChannel[0]!.ref)).toEqual([]);
    expect(h.platform.sent.filter((s) => s.threadOf === inChannel[0]!.ref)).toHaveLength(6);
  });

  test("a channel changed mid-day: the day's thread stays where it began; the next day goes to the new channel", async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people: team('carol', 'amy', 'ben') });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'] });
    await h.advance('2026-11-30T08:35:00Z');
    for (const text of ['A', 'B', 'none']) await h.as('amy').directMessage(text);
    await h.as('carol').command('standup', 'edit Daily');
    expect(await h.as('carol').submit({ channel: 'test:C-new' })).toEqual({ status: 'done' });
    expect(h.sentTo('test:C-new')[0]).toContain('Daily reports here');
    for (const text of ['C', 'D', 'none']) await h.as('ben').directMessage(text);
    const monday = h.platform.sent.find((s) => s.op === 'post' && s.text.startsWith('Daily · Mon'))!;
    expect(monday.to).toBe('test:C-team');
    expect(h.platform.sent.filter((s) => s.threadOf === monday.ref).map((s) => [s.to, s.text.split('\n')[0]])).toEqual([
      ['test:C-team', '@amy'],
      ['test:C-team', '@ben'],
    ]);
    await h.advance('2026-12-01T08:35:00Z');
    for (const text of ['E', 'F', 'none']) await h.as('amy').directMessage(text);
    expect(h.platform.sent.find((s) => s.op === 'post' && s.text.startsWith('Daily · Tue'))!.to).toBe('test:C-new');
  });
});
