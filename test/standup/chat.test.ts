import { openTestDatabase, type TestDatabase } from '../support/database';
import { buttonOf, createStandup, lastDm, resetDatabase, standupHarness } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database.db));

const people = {
  carol: { displayName: 'Carol', timeZone: 'Europe/Berlin' },
  amy: { displayName: 'Amy', timeZone: 'Europe/Berlin' },
};

async function answersOf(userId: string) {
  const rows = await database.db
    .selectFrom('standup_sessions as x')
    .innerJoin('standups as s', 's.id', 'x.standup_id')
    .select(['s.name', 'x.answers', 'x.answered_at'])
    .where('x.user_id', '=', userId)
    .orderBy('s.name')
    .execute();
  return rows.map((r) => [r.name, r.answers, r.answered_at !== null]);
}

describe('answering in chat', () => {
  test('two stand-ups the same morning: one at a time, oldest first, each question saying whose it is; a restart changes nothing', async () => {
    const first = standupHarness(database, { start: '2026-11-29T12:00:00Z', people });
    await createStandup(first.h, 'carol', { name: 'Daily', participants: ['amy'] });
    await createStandup(
      first.h,
      'carol',
      { name: 'Platform sync', participants: ['amy'], time: '09:45', questions: 'What changed in the platform?\nAny incidents? [blocker]' },
      'test:C-platform',
    );
    await first.h.advance('2026-11-30T08:31:00Z');
    const amy = first.h.as('amy', 'test:D-amy');
    await amy.directMessage('Fixed the build');
    await first.h.advance('2026-11-30T08:45:00Z');
    expect(lastDm(first.h, 'amy').text).toBe(
      [
        'Platform sync · Mon, 30 Nov 2026',
        'It is time for Platform sync (answers go to the channel). I will ask its questions here once you finish Daily, or answer them all now in the form. Answers are due by 12:45 CET.',
        '[Answer in a form] [Skip today]',
      ].join('\n'),
    );

    // Steady restarts: the conversation's state is in the database.
    const second = standupHarness(database, { start: '2026-11-30T08:46:00Z', people });
    const again = second.h.as('amy', 'test:D-amy');
    await again.directMessage('Release 2.3');
    await again.directMessage('none');
    expect(second.h.repliesTo('amy')).toEqual([
      'Daily · question 3 of 3 (optional: reply "skip" to leave it blank)\nAnything blocking you?',
      'Thanks! Your Daily answers are in the channel. You can change them until 12:30 CET.\n[Edit answers]',
      'Next: Platform sync (Mon, 30 Nov 2026).\nPlatform sync · question 1 of 2\nWhat changed in the platform?',
    ]);
    await again.directMessage('Upgraded PostgreSQL');
    await again.directMessage('One: the 02:00 failover');
    expect(await answersOf('amy')).toEqual([
      ['Daily', { q1: 'Fixed the build', q2: 'Release 2.3', q3: 'none' }, true],
      ['Platform sync', { q1: 'Upgraded PostgreSQL', q2: 'One: the 02:00 failover' }, true],
    ]);
    const platformDay = second.h.platform.sent.find((s) => s.to === 'test:C-platform' && s.text.startsWith('Platform sync · Mon'));
    expect(platformDay!.text).toContain('@amy: One: the 02:00 failover');

    // Nothing open any more: a message to the bot is not taken as an answer.
    await again.directMessage('thanks!');
    expect(second.h.repliesTo('amy').at(-1)).toBe('Hi! I work through commands. Try /steady help to see them.');
  });

  test('a required question cannot be skipped, an over-long answer is refused, "skip today" skips the day', async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'] });
    await h.advance('2026-11-30T08:31:00Z');
    const amy = h.as('amy', 'test:D-amy');
    await amy.directMessage('skip');
    expect(h.repliesTo('amy').at(-1)).toBe(
      'This question needs an answer. To skip the whole stand-up today, reply "skip today".\nDaily · question 1 of 3\nWhat did you get done since the last stand-up?',
    );
    await amy.directMessage('x'.repeat(2001));
    expect(h.repliesTo('amy').at(-1)).toContain('That answer is 2001 characters; keep it to 2000, or use the form.');
    await amy.directMessage('Skip today');
    expect(h.repliesTo('amy').at(-1)).toBe('Skipped: nobody will chase you for Daily today (Mon, 30 Nov 2026).\n[Answer anyway]');
    const [session] = await database.db.selectFrom('standup_sessions').select(['skip_reason', 'answers']).execute();
    expect(session).toEqual({ skip_reason: 'chat', answers: {} });
    // Changing one's mind: the form answers a skipped day after all.
    await amy.press(buttonOf(h, lastDm(h, 'amy'), 'Answer in a form'));
    await amy.submit({ q1: 'A', q2: 'B' });
    const [after] = await database.db.selectFrom('standup_sessions').select(['skip_reason', 'skipped_at', 'answered_at']).execute();
    expect(after).toMatchObject({ skip_reason: null, skipped_at: null });
    expect(after!.answered_at).not.toBeNull();
  });

  test("someone else's answers cannot be given, nor edited", async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people: { ...people, eve: { displayName: 'Eve' } } });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'] });
    await h.advance('2026-11-30T08:31:00Z');
    const answer = buttonOf(h, lastDm(h, 'amy'), 'Answer in a form');
    await h.as('eve').press(answer);
    expect(h.repliesTo('eve').at(-1)).toBe("Those are someone else's stand-up answers; only they can give or change them.");
    await h.as('amy').press(answer);
    await h.as('eve').submit({ q1: 'hijack', q2: 'hijack' }, h.lastForm('amy'));
    expect(h.repliesTo('eve').at(-1)).toBe("Those are someone else's stand-up answers; only they can give or change them.");
    expect(await answersOf('amy')).toEqual([['Daily', {}, false]]);
  });

  test('home: the open prompt with its buttons, the next stand-ups in local time, out of office', async () => {
    const { h } = standupHarness(database, { start: '2026-11-29T12:00:00Z', people });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'] });
    await h.as('amy').command('steady', 'home');
    expect(h.repliesTo('amy').at(-1)).toBe('Stand-ups\nYour next stand-ups\nDaily: Mon, 30 Nov 2026, 09:30 CET');
    await h.advance('2026-11-30T08:31:00Z');
    await h.as('amy').command('steady', 'home');
    expect(h.repliesTo('amy').at(-1)).toBe(
      [
        'Stand-ups',
        'Daily · Mon, 30 Nov 2026: waiting for your answers, due by 12:30 CET.',
        '[Answer] [Skip today]',
        'Your next stand-ups',
        'Daily: Tue, 1 Dec 2026, 09:30 CET',
      ].join('\n'),
    );
    const home = await h.steady.dispatcher.home({ workspaceId: 'test:W1', userId: 'amy' });
    await h.as('amy').press(buttonOf(h, { op: 'post', to: '', ref: '', message: home, text: '' }, 'Skip today'));
    await h.as('amy').command('standup', 'skip until 2026-12-04');
    await h.as('amy').command('steady', 'home');
    expect(h.repliesTo('amy').at(-1)).toBe(
      [
        'Stand-ups',
        'You are out of office until Fri, 4 Dec 2026 (/standup back ends it).',
        'Your next stand-ups',
        'Daily: Tue, 1 Dec 2026, 09:30 CET',
      ].join('\n'),
    );
    await h.as('amy').command('standup', 'back');
    expect(h.repliesTo('amy').at(-1)).toBe('Welcome back: your stand-ups ask you again from Tue, 1 Dec 2026. Today stays skipped.');
    await h.as('carol').command('steady', 'home');
    expect(h.repliesTo('carol').at(-1)).toBe('Nothing needs you right now. Try /steady help to see what Steady does.');
  });
});
