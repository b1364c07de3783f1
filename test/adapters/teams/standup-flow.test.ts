import { rows } from '../../support/database';
import { channel, team } from '../../support/fake-teams-activities';
import { buttonsOf } from '../../support/fake-teams-cards';
import { personalConversationId, type PostedMessage } from '../../support/fake-teams-connector';
import { TEAM_ACROSS_ZONES } from '../../support/teams-people';
import { useTeamsRig } from '../../support/use-teams-rig';

/**
 * A stand-up as Teams people live it, with Steady's real workflows behind /api/messages: amy in
 * Tokyo and ben in Chicago, whose zones Steady learns from what their Teams clients report. Each is
 * asked proactively in their 1:1 chat at 09:30 their time; amy answers in chat, ben is reminded once
 * (by a bot that was restarted after his prompt went out) and misses; the summary with amy's blocker
 * goes to the channel, and its Escalate button raises a real escalation. The next day ben answers on
 * the form card.
 */
const TOKYO = 'Asia/Tokyo';
const CHICAGO = 'America/Chicago';
const LONDON = 'Europe/London';
const { carol, amy, ben } = TEAM_ACROSS_ZONES;
const ops = team('Ops');
const standups = channel(ops, 'Standups');

// Monday 30 Nov 2026: 18:00 in London, 12:00 in Chicago, already Tuesday 03:00 in Tokyo.
const setup = useTeamsRig({ start: '2026-11-30T18:00:00Z' });

function since(who: typeof amy, mark: number): string[] {
  return setup.rig.textsIn(who).slice(mark);
}

/** The day's top-level message in the report channel, as it reads now. */
function dayMessage(date: string): PostedMessage {
  const found = setup.rig.sentIn(standups).filter((m) => !m.threadRootId && setup.rig.text(m, LONDON).startsWith(`Daily · ${date}`));
  expect(found).toHaveLength(1);
  return found[0]!;
}

function personalSends(who: typeof amy) {
  return setup.rig.connector.calls.filter(
    (c) => c.op === 'send' && c.conversationId === personalConversationId(who.id) && c.status === 201,
  );
}

describe('a stand-up in Teams for Tokyo and Chicago', () => {
  test("installing the app tells Steady each person's zone, as their Teams client reports it", async () => {
    await setup.rig.install(amy);
    await setup.rig.install(ben);
    await setup.rig.addToTeam(ops, carol, ['Standups']);
    const zones = (await rows(setup.database.db, 'teams_members')).map((m) => [m.user_id, m.time_zone]);
    expect(zones).toEqual(
      expect.arrayContaining([
        [amy.id, TOKYO],
        [ben.id, CHICAGO],
      ]),
    );
  });

  test('`@Steady standup create Daily` in the channel: the form card, the note in the channel, a welcome in each zone', async () => {
    await setup.rig.say(carol, '@Steady standup create Daily', standups);
    const form = setup.rig.last(standups);
    expect(form.threadRootId).toBeDefined();
    expect(setup.rig.text(form, LONDON).split('\n')).toEqual([
      'New stand-up',
      'For @Carol Cole',
      '[Name: Daily]',
      '[Report channel: Ops › #Standups]',
      'Answers are posted here, one thread a day',
      '[Participants: Carol Cole]',
      '[Questions: What did you get done since the last stand-up?',
      'What will you do today?',
      'Anything blocking you? [optional] [blocker]]',
      'One a line, up to 10. Add [optional] to a question that may be left blank and [blocker] to the one that asks about blockers.',
      '[Days: Mon, Tue, Wed, Thu, Fri]',
      '[Time: 09:30]',
      '24-hour clock',
      "[Time zone: Each participant's own time zone]",
      '[Fixed time zone: Europe/London]',
      'Only for one fixed time zone: an IANA name such as Europe/Berlin',
      '[Reminder after (minutes): 60]',
      '0 for no reminder',
      '[Cut-off after (hours): 3]',
      "The day's summary is posted then; 1 to 12",
      '[Holidays]',
      'Dates nobody is asked, as YYYY-MM-DD, separated by commas',
      '[Stand-up admins]',
      'Besides you, who may edit, pause or delete it',
      '[Create] [Cancel]',
    ]);

    // A reminder after the cut-off is refused by its field; nothing is created.
    const refused = await setup.rig.submit(carol, form, { Participants: [amy, ben], 'Reminder after (minutes)': '240' });
    expect(setup.rig.answerText(refused, LONDON)).toContain(
      '[Reminder after (minutes): 240]\n0 for no reminder\nThe reminder must come before the cut-off (180 minutes after the time).',
    );
    expect(await rows(setup.database.db, 'standups')).toEqual([]);

    await setup.rig.submit(carol, form, { Participants: [amy, ben], 'Reminder after (minutes)': '60' });
    expect(setup.rig.text(form)).toBe('New stand-up\n✓ Submitted by @Carol Cole');
    expect(setup.rig.textsIn(standups, LONDON).at(-1)).toBe(
      "Daily reports here: Mon–Fri at 09:30 each participant's own time. Set up by @Carol Cole.\n\nEach day gets one message; the answers go in its thread and it becomes the summary at the cut-off.",
    );
    // carol reads each next prompt in her own zone (Teams shows card times in the reader's zone).
    expect(setup.rig.textsIn(carol).at(-1)).toBe(
      [
        "Daily is set up: Mon–Fri at 09:30, each participant's own time; answers go to Ops › #Standups.",
        'Next prompts',
        '@Amy Abe (Asia/Tokyo): Tue, 1 Dec 2026, 00:30 GMT',
        '@Ben Bell (America/Chicago): Tue, 1 Dec 2026, 15:30 GMT',
        'People without a time zone of their own use the workspace default; they can set theirs with /steady tz <zone>.',
      ].join('\n'),
    );

    await setup.rig.advance(1000);
    expect(setup.rig.textsIn(amy).at(-1)).toContain(
      'I will ask you 3 questions here Mon–Fri at 09:30 your time (Asia/Tokyo); answers go to Ops › #Standups. The first is on Tue, 1 Dec 2026, 09:30 GMT+9.',
    );
    expect(setup.rig.textsIn(ben).at(-1)).toContain(
      'I will ask you 3 questions here Mon–Fri at 09:30 your time (America/Chicago); answers go to Ops › #Standups. The first is on Tue, 1 Dec 2026, 09:30 CST.',
    );
  });

  let amyPrompt: PostedMessage;

  test('09:30 in Tokyo: amy is asked proactively in her 1:1 chat; ben, still asleep in Chicago, is not', async () => {
    const amyMark = setup.rig.sentIn(amy).length;
    const benMark = setup.rig.sentIn(ben).length;
    await setup.rig.advance('2026-12-01T00:29:00Z');
    expect(since(amy, amyMark)).toEqual([]);
    await setup.rig.advance('2026-12-01T00:30:00Z');
    expect(since(amy, amyMark)).toEqual([
      [
        'Daily · Tue, 1 Dec 2026',
        'It is time for Daily (answers go to Ops › #Standups). Reply here, one message per question, or answer them all in the form. Answers are due by 12:30 GMT+9.',
        '[Answer in a form] [Skip today]',
        'Daily · question 1 of 3',
        'What did you get done since the last stand-up?',
      ].join('\n'),
    ]);
    amyPrompt = setup.rig.last(amy);
    expect(personalSends(amy).at(-1)!.body.replyToId).toBeUndefined();
    expect(since(ben, benMark)).toEqual([]);
  });

  test('amy answers in chat, one message a question, even one that starts with a command word', async () => {
    await setup.rig.advance('2026-12-01T00:40:00Z');
    const mark = setup.rig.sentIn(amy).length;
    await setup.rig.say(amy, 'Shipped the login fix');
    // "Escalate" begins her answer: while a stand-up waits for her, it is an answer, not a command.
    await setup.rig.say(amy, 'Escalate the VPN certificate delay to IT');
    await setup.rig.say(amy, 'Waiting for the VPN certificate');
    expect(since(amy, mark)).toEqual([
      'Daily · question 2 of 3\nWhat will you do today?',
      'Daily · question 3 of 3 (optional: reply "skip" to leave it blank)\nAnything blocking you?',
      'Thanks! Your Daily answers are in Ops › #Standups. You can change them until 12:30 GMT+9.\n[Edit answers]',
    ]);
    expect(await rows(setup.database.db, 'escalations')).toEqual([]);
    // The prompt card is updated in place: it no longer offers to answer.
    expect(setup.rig.text(amyPrompt)).toBe('Daily · Tue, 1 Dec 2026\nAnswered. Thank you.\n[Edit answers]');
    expect(setup.rig.connector.calls.some((c) => c.op === 'update' && c.activityId === amyPrompt.id && c.status === 200)).toBe(true);

    const day = dayMessage('Tue, 1 Dec 2026');
    expect(setup.rig.text(day, LONDON)).toBe(
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
    expect(setup.rig.connector.repliesTo(day.id).map((r) => setup.rig.text(r, LONDON))).toEqual([
      '@Amy Abe\n\nWhat did you get done since the last stand-up?\nShipped the login fix\n\nWhat will you do today?\nEscalate the VPN certificate delay to IT\n\n🚧 Blocker: Waiting for the VPN certificate',
    ]);
  });

  test('09:30 in Chicago ben is asked; the bot restarts; his reminder still comes at 10:30, once, to the stored chat', async () => {
    const mark = setup.rig.sentIn(ben).length;
    await setup.rig.advance('2026-12-01T15:30:00Z');
    expect(since(ben, mark)).toEqual([
      expect.stringMatching(/^Daily · Tue, 1 Dec 2026\nIt is time for Daily .* Answers are due by 12:30 CST\./),
    ]);

    // A deploy: this instance stops, a new one starts on the same database, with nothing in memory.
    const before = setup.rig.adapter;
    await setup.rig.restart();
    expect(setup.rig.adapter).not.toBe(before);

    await setup.rig.advance('2026-12-01T16:29:00Z');
    expect(since(ben, mark)).toHaveLength(1);
    const sendsBefore = personalSends(ben).length;
    await setup.rig.advance('2026-12-01T16:30:00Z');
    expect(since(ben, mark)[1]).toBe(
      'Reminder: Daily (Tue, 1 Dec 2026) is waiting for your answers. They are due by 12:30 CST.\n[Answer in a form] [Skip today]\nDaily · question 1 of 3\nWhat did you get done since the last stand-up?',
    );
    // Sent by the new instance through the stored reference: to ben's 1:1 chat at the service URL Teams gave.
    const reminder = personalSends(ben).slice(sendsBefore);
    expect(reminder).toHaveLength(1);
    expect(reminder[0]!.body).toEqual(expect.objectContaining({ type: 'message' }));
    expect(reminder[0]!.body.replyToId).toBeUndefined();
    const stored = (await rows(setup.database.db, 'teams_conversations')).find((c) => c.user_id === ben.id);
    expect(stored).toEqual(expect.objectContaining({ conversation_id: personalConversationId(ben.id), service_url: setup.rig.serviceUrl }));
    // amy answered: she gets no reminder.
    expect(setup.rig.textsIn(amy).filter((t) => t.startsWith('Reminder'))).toEqual([]);
  });

  test("at ben's cut-off the day's message becomes the summary, with amy's blocker to escalate", async () => {
    await setup.rig.advance('2026-12-01T18:29:00Z');
    expect(setup.rig.text(dayMessage('Tue, 1 Dec 2026'), LONDON)).not.toContain('summary');
    await setup.rig.advance('2026-12-01T18:31:00Z');
    const day = dayMessage('Tue, 1 Dec 2026');
    expect(setup.rig.text(day, LONDON)).toBe(
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
    expect(buttonsOf(day.versions.at(-1)).map((b) => b.title)).toEqual(['Escalate']);
    expect(setup.rig.textsIn(ben).filter((t) => t.startsWith('Reminder: Daily (Tue, 1 Dec 2026)'))).toHaveLength(1);
  });

  test("the blocker's Escalate button on the summary opens the real escalation form; once raised the summary shows it", async () => {
    const day = dayMessage('Tue, 1 Dec 2026');
    await setup.rig.click(carol, day, 'Escalate');
    const form = setup.rig.last(standups);
    expect(form.threadRootId).toBe(day.id);
    const shown = setup.rig.text(form, LONDON);
    expect(shown).toContain('Raised on behalf of @Amy Abe. From: Blocker from Daily, Tue, 1 Dec 2026.');
    expect(shown).toContain(
      '[Title: Waiting for the VPN certificate]\n[Impact: Blocks Amy Abe (reported in Daily on Tue, 1 Dec 2026): Waiting for the VPN certificate]',
    );
    await setup.rig.submit(carol, form, { Owner: ben });
    expect(setup.rig.textsIn(carol).at(-1)).toBe(
      'Raised ESC-1: Waiting for the VPN certificate\nPosted in Ops › #Standups · owner @Ben Bell · due Wed, 2 Dec 2026, 23:00 GMT · no escalation policy',
    );
    expect(setup.rig.text(day, LONDON)).toBe(
      [
        'Daily · Tue, 1 Dec 2026 · summary',
        'Answered (1): @Amy Abe',
        'Did not respond (1): @Ben Bell',
        '🚧 Blockers (1)',
        '@Amy Abe: Waiting for the VPN certificate · escalated as ESC-1',
        'Answers are in the thread.',
      ].join('\n'),
    );
    const card = setup.rig.sentIn(standups).find((m) => setup.rig.text(m).startsWith('ESC-1 · '))!;
    expect(setup.rig.text(card, CHICAGO)).toContain('Raised by: @Amy Abe (via @Carol Cole)');
    expect(setup.rig.text(card, CHICAGO)).toContain('Due: Wed, 2 Dec 2026, 17:00 CST');
  });

  test('Wednesday ben answers on the form card instead; his answers join the day in the channel', async () => {
    await setup.rig.advance('2026-12-02T15:30:00Z');
    const prompt = setup.rig.last(ben);
    expect(setup.rig.text(prompt)).toMatch(/^Daily · Wed, 2 Dec 2026\n/);
    await setup.rig.advance('2026-12-02T15:40:00Z');
    await setup.rig.click(ben, prompt, 'Answer in a form');
    const form = setup.rig.last(ben);
    expect(setup.rig.text(form, CHICAGO)).toContain(
      '[What did you get done since the last stand-up?]\n[What will you do today?]\n[Anything blocking you?]',
    );
    await setup.rig.submit(ben, form, {
      'What did you get done since the last stand-up?': 'Closed three tickets',
      'What will you do today?': 'On-call handover',
    });
    expect(setup.rig.text(prompt)).toBe('Daily · Wed, 2 Dec 2026\nAnswered. Thank you.\n[Edit answers]');
    const day = dayMessage('Wed, 2 Dec 2026');
    expect(setup.rig.text(day, LONDON)).toContain('Answered (1): @Ben Bell');
    expect(setup.rig.connector.repliesTo(day.id).map((r) => setup.rig.text(r, LONDON))).toContainEqual(
      '@Ben Bell\n\nWhat did you get done since the last stand-up?\nClosed three tickets\n\nWhat will you do today?\nOn-call handover',
    );
  });

  test("past her cut-off amy's unanswered prompt no longer takes `escalate …` as an answer: it raises", async () => {
    expect(setup.rig.text(dayMessage('Wed, 2 Dec 2026'), LONDON)).toContain('Did not respond (1): @Amy Abe');
    await setup.rig.say(amy, 'escalate VPN certificate still missing');
    expect(setup.rig.text(setup.rig.last(amy), TOKYO)).toMatch(/^Raise an escalation\n.*\n\[Title: VPN certificate still missing\]/);
  });
});
