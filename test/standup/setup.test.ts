import { PlatformError } from '../../src/core/errors';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { createStandup, resetDatabase, standupHarness } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database.db));

const people = {
  carol: { displayName: 'Carol', timeZone: 'Europe/London' },
  amy: { displayName: 'Amy', timeZone: 'Asia/Tokyo' },
  ben: { displayName: 'Ben', timeZone: 'America/Chicago' },
  root: { displayName: 'Root', timeZone: 'UTC' },
  bot: { displayName: 'Some bot', isBot: true },
};

async function nothingStored() {
  for (const table of ['standups', 'standup_participants', 'standup_sessions', 'recurring_rules', 'jobs'] as const) {
    expect([table, await database.db.selectFrom(table).selectAll().execute()]).toEqual([table, []]);
  }
}

describe('setting a stand-up up: bad input gets a clear message and nothing is half-stored', () => {
  test.each([
    ['a time of 25:00', { time: '25:00' }, { time: 'Write the time as HH:MM on the 24-hour clock, from 00:00 to 23:59 (e.g. 09:30).' }],
    [
      'an unknown zone',
      { zoneMode: 'fixed', zone: 'Mars/Olympus_Mons' },
      { zone: '"Mars/Olympus_Mons" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/Chicago or Asia/Tokyo.' },
    ],
    ['a fixed zone left out', { zoneMode: 'fixed', zone: '' }, { zone: 'Name the fixed time zone, e.g. Europe/Berlin.' }],
    ['no participants', { participants: [] }, { participants: 'Add at least one participant.' }],
    ['no questions', { questions: '  \n ' }, { questions: 'Add at least one question, one a line.' }],
    [
      'more than 10 questions',
      { questions: Array.from({ length: 11 }, (_, i) => `Question ${i + 1}?`).join('\n') },
      { questions: 'A stand-up has at most 10 questions; this one has 11. Remove 1.' },
    ],
    [
      'two blocker questions',
      { questions: 'Blocked? [blocker]\nStuck? [blocker]' },
      { questions: 'Only one question can be the [blocker] question.' },
    ],
    ['no days', { days: [] }, { days: 'Choose at least one day of the week.' }],
    ['a cut-off of 20 hours', { cutoff: '20' }, { cutoff: 'Write the cut-off as hours after the time, from 1 to 12 (e.g. 3).' }],
    [
      'a reminder after the cut-off',
      { reminder: '240' },
      { reminder: 'The reminder must come before the cut-off (180 minutes after the time).' },
    ],
    [
      'a holiday that is not a date',
      { holidays: '2026-12-24, 2026-02-30' },
      { holidays: '"2026-02-30" is not a date; write holidays as YYYY-MM-DD, separated by commas.' },
    ],
    [
      'someone who is not in the workspace',
      { participants: ['amy', 'zed'] },
      { participants: `I can't find "zed" in this workspace. Choose people who are members.` },
    ],
    [
      'a bot as participant',
      { participants: ['bot'] },
      { participants: `I can't find "bot" in this workspace. Choose people who are members.` },
    ],
  ])('%s', async (_what, values, errors) => {
    const { h } = standupHarness(database, { people });
    const outcome = await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'], ...values });
    expect(outcome).toEqual({ status: 'invalid', errors });
    await nothingStored();
  });

  test('every problem is reported at once, each on its field', async () => {
    const { h } = standupHarness(database, { people });
    const outcome = await createStandup(h, 'carol', { name: ' ', participants: [], questions: '', time: '9.30', cutoff: 'soon' });
    expect(outcome?.status).toBe('invalid');
    expect(Object.keys(outcome?.status === 'invalid' ? outcome.errors : {}).sort()).toEqual([
      'cutoff',
      'name',
      'participants',
      'questions',
      'time',
    ]);
    await nothingStored();
  });

  test('a channel the bot cannot post in is refused before anything is stored', async () => {
    const { h } = standupHarness(database, { people });
    h.platform.failures.set('test:C-secret', new PlatformError('PERMISSION', 'not_in_channel'));
    const outcome = await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'], channel: 'test:C-secret' });
    expect(outcome).toEqual({
      status: 'invalid',
      errors: { channel: 'I am not allowed to post in that channel. Invite me to it, or choose another.' },
    });
    // In the platform's own words, when it has them.
    h.platform.wording = { invite: 'in Slack: /invite @Steady' };
    expect(await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'], channel: 'test:C-secret' })).toEqual({
      status: 'invalid',
      errors: { channel: 'I am not allowed to post in that channel. Invite me to it (in Slack: /invite @Steady), or choose another.' },
    });
    h.platform.failures.set('test:C-gone', new PlatformError('NOT_FOUND', 'channel_not_found'));
    expect(await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'], channel: 'test:C-gone' })).toEqual({
      status: 'invalid',
      errors: { channel: 'I cannot find that channel. Choose another, or invite me to it first.' },
    });
    await nothingStored();
  });

  test('a name already taken (in any case) is refused; an unknown name says how to find the right one', async () => {
    const { h } = standupHarness(database, { people });
    expect(await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'] })).toEqual({ status: 'done' });
    expect(await createStandup(h, 'ben', { name: 'daily ', participants: ['ben'] })).toEqual({
      status: 'invalid',
      errors: { name: 'There is already a stand-up called Daily. Choose another name, or change that one with /standup edit Daily.' },
    });
    for (const command of [
      'show Weekly',
      'edit Weekly',
      'join Weekly',
      'pause Weekly',
      'now Weekly',
      'delete Weekly',
      'report Weekly 7d',
    ]) {
      await h.as('carol').command('standup', command);
      expect(h.repliesTo('carol').at(-1)).toBe(
        'There is no stand-up called "Weekly". /standup list shows the stand-ups of this workspace.',
      );
    }
    await h.as('carol').command('standup', 'show');
    expect(h.repliesTo('carol').at(-1)).toBe('Which stand-up? /standup show <name> (/standup list shows them).');
    await h.as('carol').command('standup', 'frobnicate');
    expect(h.repliesTo('carol').at(-1)).toBe('I don\'t know "/standup frobnicate". /standup help lists what it does.');
    await h.as('carol').command('standup', 'tz Mars/Base');
    expect(h.repliesTo('carol').at(-1)).toBe(
      '"Mars/Base" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Tokyo.',
    );
    await h.as('carol').command('standup', 'skip until next week');
    expect(h.repliesTo('carol').at(-1)).toBe('Use /standup skip today, or /standup skip until YYYY-MM-DD (the last day you are away).');
    await h.as('carol').command('standup', 'skip until 2026-01-01');
    expect(h.repliesTo('carol').at(-1)).toBe('2026-01-01 is in the past; give the last day you will be away.');
    expect(await database.db.selectFrom('standup_absences').selectAll().execute()).toEqual([]);
  });

  test('questions keep their markers: optional, blocker; numbering and bullets are tidied', async () => {
    const { h } = standupHarness(database, { people });
    await createStandup(h, 'carol', {
      name: 'Weekly',
      participants: ['amy'],
      questions: '1. What shipped?\n- Any risks? [optional] [blocker]\n\n• What next? [OPTIONAL]',
    });
    const [row] = await database.db.selectFrom('standups').select('questions').execute();
    expect(row!.questions).toEqual([
      { id: 'q1', text: 'What shipped?', required: true, blocker: false },
      { id: 'q2', text: 'Any risks?', required: false, blocker: true },
      { id: 'q3', text: 'What next?', required: false, blocker: false },
    ]);
  });
});

describe('managing stand-ups', () => {
  test("only the creator, the stand-up's admins and workspace admins may edit, pause, ask now or delete", async () => {
    const { h } = standupHarness(database, { people, steady: { configuredAdmins: ['test:W1/root'] } });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'], admins: ['amy'] });
    for (const command of ['edit Daily', 'pause Daily', 'now Daily', 'delete Daily']) {
      await h.as('ben').command('standup', command);
      expect(h.repliesTo('ben').at(-1)).toMatch(/^Only the stand-up's creator \(@carol\), its admins or a workspace admin can .* Daily\.$/);
    }
    await h.as('amy').command('standup', 'pause Daily');
    expect(h.repliesTo('amy').at(-1)).toBe('Daily is paused: nobody is asked until it is resumed (/standup resume Daily).');
    await h.as('root').command('standup', 'resume Daily');
    expect(h.repliesTo('root').at(-1)).toBe('Daily is running again; everyone is asked at their next time.');
    // A form submitted by someone without the right is refused, even with the stand-up's id in it.
    await h.as('carol').command('standup', 'edit Daily');
    const form = h.lastForm('carol')!;
    await h.as('ben').submit({ name: 'Hijacked' }, form);
    expect(h.repliesTo('ben').at(-1)).toContain("Only the stand-up's creator (@carol)");
    expect((await database.db.selectFrom('standups').select('name').execute()).map((r) => r.name)).toEqual(['Daily']);
  });

  test('edit: the form comes back filled in; changes re-schedule everyone and welcome newcomers', async () => {
    const { h } = standupHarness(database, { people, start: '2026-11-30T12:00:00Z' });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'] });
    await h.as('carol').command('standup', 'edit daily');
    const form = h.lastForm('carol')!;
    expect(form.title).toBe('Edit Daily');
    const initial = Object.fromEntries(form.fields.map((f) => [f.id, 'initial' in f ? f.initial : undefined]));
    expect(initial).toMatchObject({
      name: 'Daily',
      channel: 'test:C-team',
      participants: ['amy', 'ben'],
      questions: 'What did you get done since the last stand-up?\nWhat will you do today?\nAnything blocking you? [optional] [blocker]',
      days: ['1', '2', '3', '4', '5'],
      time: '09:30',
      zoneMode: 'participant',
      reminder: '60',
      cutoff: '3',
    });
    await h.platform.clear();
    expect(
      await h
        .as('carol')
        .submit({ participants: ['amy', 'carol', 'root'], time: '10:15', zoneMode: 'fixed', zone: 'Europe/Berlin', days: ['1', '3'] }),
    ).toEqual({ status: 'done' });
    expect(h.repliesTo('carol').at(-1)).toContain('Daily is saved: Mon, Wed at 10:15, Europe/Berlin time');
    const rules = await database.db
      .selectFrom('recurring_rules')
      .select(['key', 'cron', 'zone'])
      .where('key', 'like', 'standup:%:%')
      .orderBy('key')
      .execute();
    expect(rules.map((r) => [r.key.split(':')[2], r.cron, r.zone])).toEqual([
      ['amy', '15 10 * * 1,3', 'Europe/Berlin'],
      ['carol', '15 10 * * 1,3', 'Europe/Berlin'],
      ['root', '15 10 * * 1,3', 'Europe/Berlin'],
    ]);
    expect(h.platform.sent.filter((s) => s.to === 'test:C-team')).toEqual([]); // same channel: no new announcement
    await h.tick();
    // The stand-up's zone is Berlin; root reads its first time in his own (UTC).
    expect(h.sentTo('root')).toEqual([
      'Daily: you have been added by @carol. I will ask you 3 questions here Mon, Wed at 10:15 Europe/Berlin time; answers go to the channel. The first is on Wed, 2 Dec 2026, 09:15 UTC.\n' +
        'Away? /standup skip until YYYY-MM-DD. Not for you? /standup leave Daily',
    ]);
    expect(h.sentTo('carol')).toEqual([]); // who made the change needs no welcome
  });

  test('list, show, join, leave, help', async () => {
    const { h } = standupHarness(database, { people, start: '2026-11-30T12:00:00Z' });
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy'] });
    await h.as('ben').command('standup', 'join Daily');
    expect(h.repliesTo('ben').at(-1)).toBe('You joined Daily. I will ask you next on Mon, 30 Nov 2026, 09:30 CST (America/Chicago).');
    await h.as('ben').command('standup', 'join Daily');
    expect(h.repliesTo('ben').at(-1)).toBe('You already take part in Daily.');
    await h.as('ben').command('standup', 'list');
    expect(h.repliesTo('ben').at(-1)).toBe(
      "Stand-ups\nDaily · the channel · Mon–Fri at 09:30, each participant's own time · 2 people · you take part",
    );
    await h.as('ben').command('standup', 'show Daily');
    expect(h.repliesTo('ben').at(-1)).toBe(
      [
        'Daily',
        "Reports to the channel: Mon–Fri at 09:30, each participant's own time.",
        'Reminder 60 minutes after the time; cut-off 3 hours after the time.',
        'Questions',
        'What did you get done since the last stand-up?\nWhat will you do today?\nAnything blocking you? [optional] [blocker]',
        'Participants (2)',
        '@amy (Asia/Tokyo): Tue, 1 Dec 2026, 09:30 GMT+9',
        '@ben (America/Chicago): Mon, 30 Nov 2026, 09:30 CST',
        'Created by @carol; admins: none',
      ].join('\n'),
    );
    await h.as('ben').command('standup', 'leave Daily');
    expect(h.repliesTo('ben').at(-1)).toBe('You left Daily; it will not ask you again.');
    expect(await database.db.selectFrom('recurring_rules').select('key').where('key', 'like', '%:ben').execute()).toEqual([]);
    await h.as('ben').command('standup', 'help');
    expect(h.repliesTo('ben').at(-1)).toContain(
      '/standup skip [today | until YYYY-MM-DD] · /standup back: out of office across all your stand-ups',
    );
    await h.as('ben').command('steady', 'help');
    expect(h.repliesTo('ben').at(-1)).toContain('/standup create [name]: set up a stand-up');
  });

  test('now asks everyone not yet asked today; delete asks first, then removes everything', async () => {
    const { h } = standupHarness(database, { people, start: '2026-12-05T12:00:00Z' }); // a Saturday
    await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'] });
    await h.as('carol').command('standup', 'now Daily');
    expect(h.repliesTo('carol').at(-1)).toBe('Asking @amy, @ben now.');
    await h.tick();
    expect(h.sentTo('amy').at(-1)).toContain('Daily · Sat, 5 Dec 2026'); // 21:00 in Tokyo
    expect(h.sentTo('ben').at(-1)).toContain('Daily · Sat, 5 Dec 2026');
    await h.as('carol').command('standup', 'now Daily');
    expect(h.repliesTo('carol').at(-1)).toBe('Everyone was already asked today.');

    await h.as('carol').command('standup', 'delete Daily');
    const confirm = h.repliesTo('carol').at(-1)!;
    expect(confirm).toBe(
      'Delete Daily? Nobody will be asked any more and its reports go. Messages already in the channel stay.\n[Delete Daily]',
    );
    await h
      .as('carol')
      .press({ actionId: 'standup.delete', value: (await database.db.selectFrom('standups').select('id').executeTakeFirstOrThrow()).id });
    expect(h.repliesTo('carol').at(-1)).toBe('Deleted Daily.');
    expect(await database.db.selectFrom('standups').selectAll().execute()).toEqual([]);
    expect(await database.db.selectFrom('standup_sessions').selectAll().execute()).toEqual([]);
    expect(await database.db.selectFrom('recurring_rules').select('key').where('key', 'like', 'standup:%:%').execute()).toEqual([]);
    expect(
      await database.db.selectFrom('jobs').select('kind').where('state', '=', 'pending').where('owner', 'is not', null).execute(),
    ).toEqual([]);
    await h.advance('2026-12-09T00:00:00Z');
    expect(h.sentTo('amy').filter((t) => t.includes('It is time for'))).toHaveLength(1);
  });
});
