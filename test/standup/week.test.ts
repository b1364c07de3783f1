import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { buttonOf, createStandup, current, dms, lastDm, resetDatabase, standupHarness, type FakeEscalations } from './support';
import type { StandupsApi } from '../../src/standup/api';
import type { EscalationSummary } from '../../src/escalation/api';
import { formatInZone, toLocal } from '../../src/core/zoned-time';

/**
 * What a team relies on, as one week of one stand-up: amy in Tokyo and ben in Chicago, from
 * Wednesday 28 October 2026 to Wednesday 4 November, across the end of US daylight saving time
 * (Sunday 1 November). The steps run in order and share the stand-up.
 */
let database: TestDatabase;
let h: Harness;
let escalations: FakeEscalations;
let api: () => StandupsApi;
let escalation: EscalationSummary;

beforeAll(async () => {
  database = await openTestDatabase();
  await resetDatabase(database.db);
  ({ h, escalations, api } = standupHarness(database, {
    start: '2026-10-28T12:00:00Z',
    people: {
      carol: { displayName: 'Carol', timeZone: 'Europe/London' },
      amy: { displayName: 'Amy', timeZone: 'Asia/Tokyo' },
      ben: { displayName: 'Ben', timeZone: 'America/Chicago' },
      dave: { displayName: 'Dave', timeZone: 'Europe/London' },
    },
  }));
});
afterAll(async () => {
  await database.close();
});

const TEAM = 'test:C-team';

/** The day's parent message in the report channel, as it reads now. */
function parent(date: string): { ref: string; text: string; sent: ReturnType<typeof current> } {
  const posted = h.platform.sent.filter((s) => s.op === 'post' && s.to === TEAM && !s.threadOf && s.text.startsWith(`Daily · ${date}`));
  expect(posted).toHaveLength(1);
  const sent = current(h, posted[0]!.ref)!;
  return { ref: posted[0]!.ref, text: sent.text, sent };
}

function replies(parentRef: string) {
  return h.platform.sent.filter((s) => s.op === 'post' && s.threadOf === parentRef);
}

function dmsContaining(userId: string, text: string) {
  return dms(h, userId).filter((s) => s.text.includes(text));
}

describe('a week of a stand-up in Tokyo and Chicago, across the end of US daylight saving time', () => {
  test('set up with the form: the channel is told, each participant is welcomed in their own zone', async () => {
    const outcome = await createStandup(h, 'carol', { name: 'Daily', participants: ['amy', 'ben'], holidays: '2026-11-03' });
    expect(outcome).toEqual({ status: 'done' });
    expect(h.repliesTo('carol')[0]).toBe(
      [
        "Daily is set up: Mon–Fri at 09:30, each participant's own time; answers go to the channel.",
        'Next prompts',
        '@amy (Asia/Tokyo): Thu, 29 Oct 2026, 09:30 GMT+9',
        '@ben (America/Chicago): Wed, 28 Oct 2026, 09:30 CDT',
        'People without a time zone of their own use the workspace default; they can set theirs with /steady tz <zone>.',
      ].join('\n'),
    );
    expect(h.sentTo(TEAM)[0]).toContain("Daily reports here: Mon–Fri at 09:30 each participant's own time. Set up by @carol.");
    await h.tick();
    expect(lastDm(h, 'amy').text).toContain('I will ask you 3 questions here Mon–Fri at 09:30 your time (Asia/Tokyo)');
    expect(lastDm(h, 'amy').text).toContain('The first is on Thu, 29 Oct 2026, 09:30 GMT+9.');
    expect(lastDm(h, 'ben').text).toContain('The first is on Wed, 28 Oct 2026, 09:30 CDT.');
  });

  test('Thursday: amy answers in chat with a blocker; ben is reminded once and misses; the summary at the last cut-off', async () => {
    await h.advance('2026-10-29T00:30:00Z'); // 09:30 in Tokyo, still Wednesday evening in Chicago
    const prompt = lastDm(h, 'amy');
    expect(prompt.text).toBe(
      [
        'Daily · Thu, 29 Oct 2026',
        'It is time for Daily (answers go to the channel). Reply here, one message per question, or answer them all in the form. Answers are due by 12:30 GMT+9.',
        '[Answer in a form] [Skip today]',
        'Daily · question 1 of 3',
        'What did you get done since the last stand-up?',
      ].join('\n'),
    );
    await h.advance('2026-10-29T00:40:00Z');
    const amy = h.as('amy', 'test:D-amy');
    await amy.directMessage('Shipped the login fix');
    await amy.directMessage('Review PRs');
    await amy.directMessage('Waiting for the VPN certificate');
    expect(h.repliesTo('amy')).toEqual([
      'Daily · question 2 of 3\nWhat will you do today?',
      'Daily · question 3 of 3 (optional: reply "skip" to leave it blank)\nAnything blocking you?',
      'Thanks! Your Daily answers are in the channel. You can change them until 12:30 GMT+9.\n[Edit answers]',
    ]);
    const day = parent('Thu, 29 Oct 2026');
    expect(day.text).toBe(
      [
        'Daily · Thu, 29 Oct 2026',
        'Answered (1): @amy',
        'To be asked later (1): @ben',
        '🚧 Blockers (1)',
        '@amy: Waiting for the VPN certificate',
        '[Escalate]',
        'Answers are in the thread.',
      ].join('\n'),
    );
    expect(replies(day.ref).map((r) => r.text)).toEqual([
      '@amy\nWhat did you get done since the last stand-up?\nShipped the login fix\nWhat will you do today?\nReview PRs\n🚧 Blocker: Waiting for the VPN certificate',
    ]);
    // The prompt no longer offers to answer; a reminder is not sent to someone who answered.
    expect(current(h, prompt.ref)!.text).toBe('Daily · Thu, 29 Oct 2026\nAnswered. Thank you.\n[Edit answers]');
    // Once ben is asked, the day's message says he has not answered yet (redrawn a minute later).
    await h.advance('2026-10-29T14:31:00Z');
    expect(parent('Thu, 29 Oct 2026').text).toContain('Answered (1): @amy\nNot answered yet (1): @ben\n🚧 Blockers (1)');
    await h.advance('2026-10-29T17:30:00Z'); // ben: asked 09:30 CDT (14:30Z), reminded 10:30, cut-off 12:30
    expect(dmsContaining('amy', 'Reminder')).toHaveLength(0);
    const reminders = dmsContaining('ben', 'Reminder: Daily (Thu, 29 Oct 2026)');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toContain('They are due by 12:30 CDT.');
    expect(parent('Thu, 29 Oct 2026').text).toBe(
      [
        'Daily · Thu, 29 Oct 2026 · summary',
        'Answered (1): @amy',
        'Did not respond (1): @ben',
        '🚧 Blockers (1)',
        '@amy: Waiting for the VPN certificate',
        '[Escalate]',
        'Answers are in the thread.',
      ].join('\n'),
    );
  });

  test('the blocker is escalated from the summary, the form pre-filled, and then shows the reference', async () => {
    const day = parent('Thu, 29 Oct 2026');
    await h.as('carol', TEAM).press(buttonOf(h, day.sent!, 'Escalate'), day.ref);
    expect(escalations.opened).toHaveLength(1);
    const { by, prefill } = escalations.opened[0]!;
    expect(by).toBe('carol');
    expect(prefill).toMatchObject({
      title: 'Waiting for the VPN certificate',
      raiserId: 'amy',
      source: { kind: 'standup-blocker', label: 'Blocker from Daily, Thu, 29 Oct 2026', message: day.ref },
    });
    expect(prefill.impact).toContain('Blocks Amy (reported in Daily on Thu, 29 Oct 2026): Waiting for the VPN certificate');
    escalation = await escalations.raiseLast('dave');
    expect(parent('Thu, 29 Oct 2026').text).toContain('@amy: Waiting for the VPN certificate · escalated as ESC-101');
    expect(parent('Thu, 29 Oct 2026').text).not.toContain('[Escalate]');
    await h.as('ben', TEAM).press(buttonOf(h, day.sent!, 'Escalate'), day.ref);
    expect(h.repliesTo('ben')).toContain('That blocker is already escalated as ESC-101.');
    expect(await api().unresolvedBlockers('test:W1', ['amy', 'ben'], new Date('2026-10-28T00:00:00Z'))).toEqual([
      expect.objectContaining({
        standupName: 'Daily',
        userId: 'amy',
        text: 'Waiting for the VPN certificate',
        date: '2026-10-29',
        escalationReference: 'ESC-101',
      }),
    ]);
    escalations.resolve('dave', escalation.id);
    expect(await api().unresolvedBlockers('test:W1', ['amy', 'ben'], new Date('2026-10-28T00:00:00Z'))).toEqual([]);
    escalations.open.set('dave', [escalation]);
  });

  test('Friday: amy skips with the button and is not reminded; ben answers in the form', async () => {
    await h.advance('2026-10-30T00:31:00Z');
    const prompt = lastDm(h, 'amy');
    expect(prompt.text).toContain('Daily · Fri, 30 Oct 2026');
    await h.as('amy', 'test:D-amy').press(buttonOf(h, prompt, 'Skip today'));
    expect(h.repliesTo('amy').at(-1)).toBe('Skipped: nobody will chase you for Daily today (Fri, 30 Oct 2026).\n[Answer anyway]');
    expect(current(h, prompt.ref)!.text).toBe('Daily · Fri, 30 Oct 2026\nSkipped today.\n[Answer anyway]');

    await h.advance('2026-10-30T14:35:00Z');
    const benPrompt = lastDm(h, 'ben');
    expect(benPrompt.text).toContain('Daily · Fri, 30 Oct 2026');
    const ben = h.as('ben', 'test:D-ben');
    await ben.press(buttonOf(h, benPrompt, 'Answer in a form'));
    const form = h.lastForm('ben')!;
    expect(form.fields.map((f) => [f.label, f.required])).toEqual([
      ['What did you get done since the last stand-up?', true],
      ['What will you do today?', true],
      ['Anything blocking you?', false],
    ]);
    expect(await ben.submit({ q1: '', q2: 'On-call handover' })).toEqual({
      status: 'invalid',
      errors: { q1: 'This question needs an answer (or skip today from the message).' },
    });
    expect(await ben.submit({ q1: 'Closed three tickets', q2: 'On-call handover', q3: 'none' })).toEqual({ status: 'done' });
    await h.advance('2026-10-30T17:30:00Z');
    expect(dmsContaining('amy', 'Reminder: Daily (Fri')).toHaveLength(0);
    const day = parent('Fri, 30 Oct 2026');
    expect(day.text).toBe(
      ['Daily · Fri, 30 Oct 2026 · summary', 'Answered (1): @ben', 'Skipped (1): @amy', 'Answers are in the thread.'].join('\n'),
    );
    expect(replies(day.ref).map((r) => r.text)).toEqual([
      '@ben\nWhat did you get done since the last stand-up?\nClosed three tickets\nWhat will you do today?\nOn-call handover\nAnything blocking you?\nnone',
    ]);
  });

  test('Monday, after Chicago moved to CST: the hint from last time, an edit in place before the cut-off, a late answer', async () => {
    await h.advance('2026-11-02T00:30:00Z');
    const prompt = lastDm(h, 'amy');
    expect(prompt.text).toContain('Daily · Mon, 2 Nov 2026');
    expect(prompt.text).toContain('Last time you planned: Review PRs');
    const amy = h.as('amy', 'test:D-amy');
    await amy.press(buttonOf(h, prompt, 'Answer in a form'));
    expect(h.lastForm('amy')!.fields[0]!.hint).toBe('Last time you planned: Review PRs');
    await amy.submit({ q1: 'Reviewed PRs', q2: 'Write the migration', q3: '' });
    const day = parent('Mon, 2 Nov 2026');
    const [reply] = replies(day.ref);
    expect(reply!.text).toBe(
      '@amy\nWhat did you get done since the last stand-up?\nReviewed PRs\nWhat will you do today?\nWrite the migration',
    );

    await h.advance('2026-11-02T01:00:00Z');
    await amy.press(buttonOf(h, current(h, prompt.ref)!, 'Edit answers'));
    const form = h.lastForm('amy')!;
    expect(form.fields.map((f) => ('initial' in f ? f.initial : undefined))).toEqual(['Reviewed PRs', 'Write the migration', undefined]);
    await amy.submit({ q2: 'Write the migration and its tests' });
    expect(h.repliesTo('amy').at(-1)).toContain('Updated: your Daily answers are in the channel.');
    expect(replies(day.ref)).toHaveLength(1); // edited in place, not posted again
    expect(current(h, reply!.ref)!.text).toBe(
      '@amy · edited\nWhat did you get done since the last stand-up?\nReviewed PRs\nWhat will you do today?\nWrite the migration and its tests',
    );

    await h.advance('2026-11-02T15:30:00Z'); // 09:30 CST
    expect(lastDm(h, 'ben').text).toContain('Daily · Mon, 2 Nov 2026');
    expect(lastDm(h, 'ben').text).toContain('Answers are due by 12:30 CST.');
    await h.advance('2026-11-02T19:00:00Z'); // past ben's cut-off (18:30Z)
    expect(parent('Mon, 2 Nov 2026').text).toContain('Did not respond (1): @ben');
    const ben = h.as('ben', 'test:D-ben');
    await ben.directMessage('Fixed the flaky test');
    await ben.directMessage('Pairing with amy');
    await ben.directMessage('skip');
    expect(h.repliesTo('ben').at(-1)).toBe(
      'Thanks! Your Daily answers are in the channel. The cut-off had passed, so they are marked late.',
    );
    expect(replies(day.ref).map((r) => r.text)[1]).toBe(
      '@ben · answered late\nWhat did you get done since the last stand-up?\nFixed the flaky test\nWhat will you do today?\nPairing with amy',
    );
    expect(parent('Mon, 2 Nov 2026').text).toBe(
      ['Daily · Mon, 2 Nov 2026 · summary', 'Answered (2): @amy, @ben (late)', 'Answers are in the thread.'].join('\n'),
    );
    // After her cut-off amy's answers are final.
    await amy.press(buttonOf(h, current(h, prompt.ref)!, 'Edit answers'));
    expect(h.repliesTo('amy').at(-1)).toBe('The cut-off for this stand-up (Mon, 2 Nov 2026) has passed, so your answers are final now.');
  });

  test('Tuesday is a holiday; ben is out of office on Wednesday and is not asked', async () => {
    await h.advance('2026-11-03T12:00:00Z');
    await h.as('ben').command('standup', 'skip until 2026-11-06');
    expect(h.repliesTo('ben').at(-1)).toBe(
      'You are out of office until Fri, 6 Nov 2026: none of your 1 stand-up will ask you. /standup back ends it early.',
    );
    await h.advance('2026-11-04T00:35:00Z');
    const amy = h.as('amy', 'test:D-amy');
    await amy.directMessage('Migration merged');
    await amy.directMessage('Deploy it');
    await amy.directMessage('no');
    await h.advance('2026-11-04T20:00:00Z');
    expect(dmsContaining('amy', 'Tue, 3 Nov')).toHaveLength(0);
    expect(dmsContaining('ben', 'Tue, 3 Nov')).toHaveLength(0);
    expect(dmsContaining('ben', 'Wed, 4 Nov')).toHaveLength(0);
    const day = parent('Wed, 4 Nov 2026');
    expect(day.text).toBe(
      ['Daily · Wed, 4 Nov 2026 · summary', 'Answered (1): @amy', 'Skipped (1): @ben (out of office)', 'Answers are in the thread.'].join(
        '\n',
      ),
    );
    expect(replies(day.ref)[0]!.text).toContain('Anything blocking you?\nno'); // "no" is not a blocker
  });

  test('each was asked at 09:30 their own time, on their own weekdays, once a day', async () => {
    const sessions = await database.db
      .selectFrom('standup_sessions')
      .select(['user_id', 'date', 'prompt_at', 'prompted_at', 'skip_reason'])
      .orderBy('prompt_at')
      .execute();
    const asked = sessions.map((s) => {
      const zone = s.user_id === 'amy' ? 'Asia/Tokyo' : 'America/Chicago';
      return `${s.user_id} ${s.date} ${s.prompted_at ? formatInZone(s.prompted_at, zone) : `not asked (${s.skip_reason})`}`;
    });
    expect(asked).toEqual([
      'ben 2026-10-28 Wed, 28 Oct 2026, 09:30 CDT',
      'amy 2026-10-29 Thu, 29 Oct 2026, 09:30 GMT+9', // Wednesday 19:30 in Chicago
      'ben 2026-10-29 Thu, 29 Oct 2026, 09:30 CDT',
      'amy 2026-10-30 Fri, 30 Oct 2026, 09:30 GMT+9',
      'ben 2026-10-30 Fri, 30 Oct 2026, 09:30 CDT',
      'amy 2026-11-02 Mon, 2 Nov 2026, 09:30 GMT+9', // Sunday 18:30 in Chicago
      'ben 2026-11-02 Mon, 2 Nov 2026, 09:30 CST', // 15:30Z now, 14:30Z the week before
      'amy 2026-11-04 Wed, 4 Nov 2026, 09:30 GMT+9',
      'ben 2026-11-04 not asked (away)',
    ]);
    for (const s of sessions) expect(toLocal(s.prompt_at, s.user_id === 'amy' ? 'Asia/Tokyo' : 'America/Chicago').time).toBe('09:30');
    // One prompt per person and day, however the week went.
    expect(dmsContaining('amy', 'It is time for Daily')).toHaveLength(4);
    expect(dmsContaining('ben', 'It is time for Daily')).toHaveLength(4);
  });

  test("the report's figures: on time, late, skipped, missed, participation, streak, blockers", async () => {
    await h.as('carol').command('standup', 'report Daily 7d');
    expect(h.repliesTo('carol').at(-1)).toBe(
      [
        'Daily · last 7 days',
        'Thu, 29 Oct 2026 to Wed, 4 Nov 2026',
        '@amy: 3 on time, 0 late, 1 skipped, 0 missed · participation 100% · streak 3 · blockers 1',
        '@ben: 1 on time, 1 late, 1 skipped, 1 missed · participation 67% · streak 2 · blockers 0',
        'Team: participation 83% · 1 blocker raised, 1 escalated',
        'Participation counts answered days (on time or late) against the days asked; skipped days are left out.',
      ].join('\n'),
    );
    await h.as('carol').command('standup', 'report Daily 30d');
    expect(h.repliesTo('carol').at(-1)).toContain(
      '@ben: 1 on time, 1 late, 1 skipped, 2 missed · participation 50% · streak 2 · blockers 0',
    );
    await h.as('carol').command('standup', 'report Daily 365d');
    expect(h.repliesTo('carol').at(-1)).toBe('Reports cover 1 to 90 days, e.g. /standup report Daily 30d.');
  });

  test('a later answer without a blocker clears the blocker for handoffs, even while its escalation is open', async () => {
    expect(escalations.open.get('dave')).toEqual([escalation]);
    expect(await api().unresolvedBlockers('test:W1', ['amy'], new Date('2026-10-28T00:00:00Z'))).toEqual([]);
  });
});
