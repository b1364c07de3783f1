import type { SlackMessage } from '../../support/fake-slack';
import { AMY, BEN, CAROL, TEAM_ACROSS_ZONES } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';

/**
 * A stand-up through Steady's real Slack app and workflows. carol (London) sets up "Daily" in #team
 * for amy in Tokyo and ben in Chicago, whose zones come from Slack's users.info. Each is asked at
 * 09:30 their own time. Tuesday 1 December 2026: amy answers in DMs with a blocker, ben is reminded
 * once and misses; the summary highlights the blocker, whose Escalate button opens the real
 * escalation modal pre-filled. Wednesday: ben answers in the form, amy skips the day.
 */
const TEAM = 'C0TEAM';

const setup = useSlackRig({
  start: '2026-11-30T16:00:00Z', // Monday: 10:00 in Chicago, already evening in Tokyo
  users: TEAM_ACROSS_ZONES,
  channels: { [TEAM]: 'team' },
});

/** The day's message in #team as it reads now. */
function day(date: string): SlackMessage {
  const posted = setup.rig.postsIn(TEAM).filter((m) => setup.rig.visible(m.blocks).startsWith(`Daily · ${date}`));
  expect(posted).toHaveLength(1);
  return posted[0]!;
}

const answersUnder = (message: SlackMessage) => setup.rig.repliesTo(message).map((m) => setup.rig.visible(m.blocks));
const prompted = (userId: string, date: string) =>
  setup.rig.dmsTo(userId).filter((t) => t.startsWith(`Daily · ${date}\nIt is time for Daily`));

describe('a stand-up through Slack, with the real workflows', () => {
  test('set up from the modal: the channel is told, each participant is welcomed in the zone Slack reports for them', async () => {
    await setup.rig.as(CAROL, TEAM).command('/standup', 'create Daily');
    const modal = setup.rig.lastModal(CAROL)!;
    expect(modal.view.callback_id).toBe('standup.setup');
    expect(setup.rig.visible(modal.view.blocks)).toBe(
      [
        'Name: <plain_text_input>',
        'Report channel: <conversations_select>',
        'Participants: <multi_users_select>',
        'Questions: <plain_text_input>',
        'Days: <multi_static_select>',
        'Time: <timepicker>',
        'Time zone: <static_select>',
        'Fixed time zone (optional): <plain_text_input>',
        'Reminder after (minutes): <plain_text_input>',
        'Cut-off after (hours): <plain_text_input>',
        'Holidays (optional): <plain_text_input>',
        'Stand-up admins (optional): <multi_users_select>',
      ].join('\n'),
    );
    const element = (id: string) => modal.view.blocks.find((b: any) => b.block_id === id).element;
    expect(element('name').initial_value).toBe('Daily');
    expect(element('channel').initial_conversation).toBe(TEAM);
    expect(element('questions').initial_value).toBe(
      'What did you get done since the last stand-up?\nWhat will you do today?\nAnything blocking you? [optional] [blocker]',
    );
    expect(element('time').initial_time).toBe('09:30');

    // A wrong time is shown under its field; nothing is set up.
    expect((await setup.rig.as(CAROL).submit({ participants: [AMY, BEN], cutoff: '20' })).body).toEqual({
      response_action: 'errors',
      errors: { cutoff: 'Write the cut-off as hours after the time, from 1 to 12 (e.g. 3).' },
    });
    expect(setup.rig.postsIn(TEAM)).toEqual([]);

    expect(await setup.rig.as(CAROL).submit({ participants: [AMY, BEN] })).toEqual({ status: 200, body: undefined });
    expect(setup.rig.dmsTo(CAROL)).toEqual([
      [
        "Daily is set up: Mon–Fri at 09:30, each participant's own time; answers go to #team.",
        'Next prompts',
        '@Amy Abe (Asia/Tokyo): Tue, 1 Dec 2026, 09:30 GMT+9',
        '@Ben Bell (America/Chicago): Tue, 1 Dec 2026, 09:30 CST',
        'People without a time zone of their own use the workspace default; they can set theirs with /steady tz <zone>.',
      ].join('\n'),
    ]);
    expect(setup.rig.postsIn(TEAM).map((m) => setup.rig.visible(m.blocks))).toEqual([
      "Daily reports here: Mon–Fri at 09:30 each participant's own time. Set up by @Carol Cole.\nEach day gets one message; the answers go in its thread and it becomes the summary at the cut-off.",
    ]);
    await setup.rig.advance(0);
    expect(setup.rig.dmsTo(AMY)).toEqual([
      expect.stringContaining(
        'I will ask you 3 questions here Mon–Fri at 09:30 your time (Asia/Tokyo); answers go to #team. The first is on Tue, 1 Dec 2026, 09:30 GMT+9.',
      ),
    ]);
    expect(setup.rig.dmsTo(BEN)).toEqual([
      expect.stringContaining(
        'I will ask you 3 questions here Mon–Fri at 09:30 your time (America/Chicago); answers go to #team. The first is on Tue, 1 Dec 2026, 09:30 CST.',
      ),
    ]);
  });

  test('each is asked at 09:30 their own time: amy at 00:30 UTC, ben at 15:30 UTC', async () => {
    await setup.rig.advance('2026-12-01T00:29:00Z');
    expect(prompted(AMY, 'Tue, 1 Dec 2026')).toEqual([]);
    await setup.rig.advance('2026-12-01T00:30:00Z');
    expect(prompted(AMY, 'Tue, 1 Dec 2026')).toEqual([
      [
        'Daily · Tue, 1 Dec 2026',
        'It is time for Daily (answers go to #team). Reply here, one message per question, or answer them all in the form. Answers are due by 12:30 GMT+9.',
        '[Answer in a form] [Skip today]',
        'Daily · question 1 of 3',
        'What did you get done since the last stand-up?',
      ].join('\n'),
    ]);
    expect(prompted(BEN, 'Tue, 1 Dec 2026')).toEqual([]);
  });

  test('amy answers by messaging the bot, one message per question, with a blocker', async () => {
    await setup.rig.advance('2026-12-01T00:40:00Z');
    const before = setup.rig.dmsTo(AMY).length;
    await setup.rig.as(AMY).dm('Shipped the login fix');
    await setup.rig.as(AMY).dm('Review PRs');
    await setup.rig.as(AMY).dm('Waiting for the VPN certificate');
    expect(setup.rig.dmsTo(AMY).slice(before)).toEqual([
      'Daily · question 2 of 3\nWhat will you do today?',
      'Daily · question 3 of 3 (optional: reply "skip" to leave it blank)\nAnything blocking you?',
      'Thanks! Your Daily answers are in #team. You can change them until 12:30 GMT+9.\n[Edit answers]',
    ]);
    // The prompt itself no longer offers to answer.
    expect(setup.rig.dmsTo(AMY)[1]).toBe('Daily · Tue, 1 Dec 2026\nAnswered. Thank you.\n[Edit answers]');
    expect(setup.rig.visible(day('Tue, 1 Dec 2026').blocks)).toBe(
      [
        'Daily · Tue, 1 Dec 2026',
        'Answered (1): @Amy Abe',
        'To be asked later (1): @Ben Bell',
        '🚧 Blockers (1)',
        '@Amy Abe: Waiting for the VPN certificate',
        '[Escalate]',
        'Answers are in the thread.',
      ].join('\n'),
    );
    expect(answersUnder(day('Tue, 1 Dec 2026'))).toEqual([
      '@Amy Abe\nWhat did you get done since the last stand-up?\nShipped the login fix\nWhat will you do today?\nReview PRs\n🚧 Blocker: Waiting for the VPN certificate',
    ]);
  });

  test('ben is asked at 09:30 in Chicago, reminded once an hour later, and at the cut-off the summary says he did not respond', async () => {
    await setup.rig.advance('2026-12-01T15:29:00Z');
    expect(prompted(BEN, 'Tue, 1 Dec 2026')).toEqual([]);
    await setup.rig.advance('2026-12-01T15:30:00Z');
    expect(prompted(BEN, 'Tue, 1 Dec 2026')).toEqual([expect.stringContaining('Answers are due by 12:30 CST.')]);
    await setup.rig.advance('2026-12-01T16:30:00Z');
    const reminders = setup.rig.dmsTo(BEN).filter((t) => t.startsWith('Reminder'));
    expect(reminders).toEqual([
      'Reminder: Daily (Tue, 1 Dec 2026) is waiting for your answers. They are due by 12:30 CST.\n[Answer in a form] [Skip today]\nDaily · question 1 of 3\nWhat did you get done since the last stand-up?',
    ]);
    await setup.rig.advance('2026-12-01T18:29:00Z');
    expect(setup.rig.visible(day('Tue, 1 Dec 2026').blocks)).not.toContain('summary');
    await setup.rig.advance('2026-12-01T19:00:00Z');
    expect(setup.rig.dmsTo(BEN).filter((t) => t.startsWith('Reminder'))).toHaveLength(1);
    expect(setup.rig.dmsTo(AMY).filter((t) => t.startsWith('Reminder'))).toEqual([]);
    expect(setup.rig.visible(day('Tue, 1 Dec 2026').blocks)).toBe(
      [
        'Daily · Tue, 1 Dec 2026 · summary',
        'Answered (1): @Amy Abe',
        'Did not respond (1): @Ben Bell',
        '🚧 Blockers (1)',
        '@Amy Abe: Waiting for the VPN certificate',
        '[Escalate]',
        'Answers are in the thread.',
      ].join('\n'),
    );
  });

  test("the blocker's Escalate button opens the escalation modal pre-filled; once raised, the summary shows the reference", async () => {
    await setup.rig.as(CAROL, TEAM).press('Escalate', day('Tue, 1 Dec 2026'));
    const modal = setup.rig.lastModal(CAROL)!;
    expect(modal.view.callback_id).toBe('escalation.raise');
    expect(setup.rig.visible(modal.view.blocks).split('\n')[0]).toBe(
      'Gather the facts, state the impact, summarise the options and recommend a decision. One owner drives it to a decision by the due time. Raised on behalf of @Amy Abe. From: Blocker from Daily, Tue, 1 Dec 2026.',
    );
    const element = (id: string) => modal.view.blocks.find((b: any) => b.block_id === id).element;
    expect(element('title').initial_value).toBe('Waiting for the VPN certificate');
    expect(element('impact').initial_value).toBe('Blocks Amy Abe (reported in Daily on Tue, 1 Dec 2026): Waiting for the VPN certificate');
    expect(element('channel').initial_conversation).toBe(TEAM);

    expect(await setup.rig.as(CAROL).submit({ owner: CAROL })).toEqual({ status: 200, body: undefined });
    expect(setup.rig.dmsTo(CAROL).at(-1)).toBe(
      'Raised ESC-1: Waiting for the VPN certificate\nPosted in #team · owner @Carol Cole · due Wed, 2 Dec 2026, 17:00 GMT · no escalation policy',
    );
    const card = setup.rig.postsIn(TEAM).find((m) => m.text.startsWith('ESC-1'))!;
    expect(setup.rig.visible(card.blocks)).toContain('Raised by: @Amy Abe (via @Carol Cole)');
    expect(setup.rig.visible(card.blocks)).toContain('Blocker from Daily, Tue, 1 Dec 2026');
    const summary = setup.rig.visible(day('Tue, 1 Dec 2026').blocks);
    expect(summary).toContain('@Amy Abe: Waiting for the VPN certificate · escalated as ESC-1');
    expect(summary).not.toContain('[Escalate]');
  });

  test('Wednesday: amy skips the day by message; ben answers in the form', async () => {
    await setup.rig.advance('2026-12-02T00:30:00Z');
    expect(prompted(AMY, 'Wed, 2 Dec 2026')).toEqual([
      expect.stringMatching(/What did you get done since the last stand-up\?\nLast time you planned: Review PRs$/),
    ]);
    await setup.rig.as(AMY).dm('skip today');
    expect(setup.rig.dmsTo(AMY).at(-1)).toBe('Skipped: nobody will chase you for Daily today (Wed, 2 Dec 2026).\n[Answer anyway]');
    expect(setup.rig.dmsTo(AMY).at(-2)).toBe('Daily · Wed, 2 Dec 2026\nSkipped today.\n[Answer anyway]');

    await setup.rig.advance('2026-12-02T15:30:00Z');
    const prompt = setup.rig.slack.messagesIn(setup.rig.slack.dmChannel(BEN)).at(-1)!;
    expect(setup.rig.visible(prompt.blocks)).toContain('Daily · Wed, 2 Dec 2026');
    await setup.rig.as(BEN).press('Answer in a form', prompt);
    const modal = setup.rig.lastModal(BEN)!;
    expect(setup.rig.visible(modal.view.blocks)).toBe(
      [
        'Wed, 2 Dec 2026 · due by 12:30 CST',
        'What did you get done since the last stand-up?: <plain_text_input>',
        'What will you do today?: <plain_text_input>',
        'Anything blocking you? (optional): <plain_text_input>',
      ].join('\n'),
    );
    expect((await setup.rig.as(BEN).submit({ q1: '', q2: 'On-call handover' })).body).toEqual({
      response_action: 'errors',
      errors: { q1: 'This question needs an answer (or skip today from the message).' },
    });
    expect(await setup.rig.as(BEN).submit({ q1: 'Closed three tickets', q2: 'On-call handover' })).toEqual({
      status: 200,
      body: undefined,
    });
    expect(setup.rig.dmsTo(BEN).at(-1)).toBe(
      'Thanks! Your Daily answers are in #team. You can change them until 12:30 CST.\n[Edit answers]',
    );
    expect(setup.rig.visible(prompt.blocks)).toBe('Daily · Wed, 2 Dec 2026\nAnswered. Thank you.\n[Edit answers]');
    expect(answersUnder(day('Wed, 2 Dec 2026'))).toEqual([
      '@Ben Bell\nWhat did you get done since the last stand-up?\nClosed three tickets\nWhat will you do today?\nOn-call handover',
    ]);

    await setup.rig.advance('2026-12-02T19:00:00Z');
    expect(setup.rig.dmsTo(BEN).filter((t) => t.startsWith('Reminder'))).toHaveLength(1);
    expect(setup.rig.visible(day('Wed, 2 Dec 2026').blocks)).toBe(
      ['Daily · Wed, 2 Dec 2026 · summary', 'Answered (1): @Ben Bell', 'Skipped (1): @Amy Abe', 'Answers are in the thread.'].join('\n'),
    );
  });

  test('the report counts both days', async () => {
    await setup.rig.as(CAROL).command('/standup', 'report Daily 7d');
    expect(setup.rig.privateTo(CAROL).at(-1)).toBe(
      [
        'Daily · last 7 days',
        'Thu, 26 Nov 2026 to Wed, 2 Dec 2026',
        '@Amy Abe: 1 on time, 0 late, 1 skipped, 0 missed · participation 100% · streak 1 · blockers 1',
        '@Ben Bell: 1 on time, 0 late, 0 skipped, 1 missed · participation 50% · streak 1 · blockers 0',
        'Team: participation 67% · 1 blocker raised, 1 escalated',
        'Participation counts answered days (on time or late) against the days asked; skipped days are left out.',
      ].join('\n'),
    );
  });
});
