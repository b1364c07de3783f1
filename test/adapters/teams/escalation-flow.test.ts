import { rows } from '../../support/database';
import { channel, team } from '../../support/fake-teams-activities';
import { buttonsOf, mentionedIds } from '../../support/fake-teams-cards';
import { personalConversationId, type PostedMessage } from '../../support/fake-teams-connector';
import { BERLIN_TEAM, TEAM_ACROSS_ZONES } from '../../support/teams-people';
import type { TeamsRig } from '../../support/teams-rig';
import { useTeamsRig } from '../../support/use-teams-rig';

/**
 * The escalation workflow as Teams people live it, with Steady's real workflows behind
 * /api/messages: raised in a channel and in a 1:1 chat, the form a card, the escalation card in the
 * channel updated in place, the owner's 1:1 messages sent proactively, chased when overdue, resolved
 * with a decision, and the timeline shown.
 */
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const { alice } = BERLIN_TEAM;
const bob = { ...BERLIN_TEAM.bob, zone: NEW_YORK };
const carol = { ...TEAM_ACROSS_ZONES.carol, zone: BERLIN };
const ops = team('Ops');
const general = channel(ops, 'General');
const incidents = channel(ops, 'Incidents');

// Monday 30 Nov 2026, 10:00 in Berlin, 04:00 in New York.
const setup = useTeamsRig({ start: '2026-11-30T09:00:00Z' });
beforeAll(async () => {
  await setup.rig.install(alice);
  await setup.rig.install(bob);
  await setup.rig.addToTeam(ops, alice, ['Incidents']);
  // Carol is in the tenant but has never talked to Steady.
  setup.rig.knows(carol);
});

/** The escalation's card in a channel: the top-level post that starts with its reference. */
function cardOf(where: typeof incidents, reference: string): PostedMessage {
  const card = setup.rig.sentIn(where).find((m) => !m.threadRootId && setup.rig.text(m).startsWith(`${reference} · `));
  if (!card) throw new Error(`no card for ${reference}`);
  return card;
}

/** What the bot said under a message (channel thread replies), as read in Berlin. */
function thread(message: PostedMessage): string[] {
  return setup.rig.connector.repliesTo(message.id).map((r) => setup.rig.text(r, BERLIN));
}

function since(place: Parameters<TeamsRig['textsIn']>[0], mark: number, zone?: string): string[] {
  return setup.rig.textsIn(place, zone).slice(mark);
}

describe('an escalation in Teams, raised in a channel', () => {
  let card: PostedMessage;

  test('`@Steady escalate Printer down` in a channel opens the raise form as a card in the thread', async () => {
    const asked = await setup.rig.say(alice, '@Steady escalate Printer down', incidents);
    expect(asked.status).toBe(200);
    const form = setup.rig.last(incidents);
    expect(form.threadRootId).toBeDefined();
    expect(setup.rig.text(form, BERLIN).split('\n')).toEqual([
      'Raise an escalation',
      'For @Alice Adams',
      'Gather the facts, state the impact, summarise the options and recommend a decision. One owner drives it to a decision by the due time.',
      '[Title: Printer down]',
      '[Impact]',
      'Who or what is affected, and how badly.',
      '[Options considered]',
      '[Recommended decision]',
      '[Severity: SEV3: minor]',
      '[Owner]',
      'One person who drives it to a decision.',
      '[Due by] | [Time (Europe/Berlin)]',
      "Leave empty for the default by severity: SEV1 1h, SEV2 4h, SEV3 next business day 17:00 (owner's time), SEV4 3 business days, 17:00 (owner's time).",
      '[Post in: Ops › #Incidents]',
      'Where the escalation card goes.',
      '[Raise] [Cancel]',
    ]);

    // The owner left out: the same card comes back with the problem by the field, nothing raised.
    const refused = await setup.rig.submit(alice, form, { Impact: 'The whole floor cannot print', Severity: 'SEV2: major' });
    expect(setup.rig.answerText(refused, BERLIN)).toContain('[Owner]\nOne person who drives it to a decision.\nOwner is required.');
    expect(await rows(setup.database.db, 'escalations')).toEqual([]);

    const raised = await setup.rig.submit(alice, form, { Owner: bob, 'Recommended decision': 'Buy a new one' });
    expect(setup.rig.answerText(raised)).toBe('Raise an escalation\n✓ Submitted by @Alice Adams');
    expect(setup.rig.text(form)).toBe('Raise an escalation\n✓ Submitted by @Alice Adams');
  });

  test('the card is posted in the channel, the owner gets a proactive 1:1 message, the raiser the reference', async () => {
    card = cardOf(incidents, 'ESC-1');
    expect(setup.rig.text(card, BERLIN)).toBe(
      [
        'ESC-1 · SEV2 · Printer down',
        'Status: Open, waiting for acknowledgement',
        'Severity: SEV2',
        'Owner: @Bob Brown',
        'Raised by: @Alice Adams',
        'Due: Mon, 30 Nov 2026, 14:00 CET',
        'Escalation policy: None',
        'Impact',
        'The whole floor cannot print',
        'Recommended decision',
        'Buy a new one',
        'Raised Mon, 30 Nov 2026, 10:00 CET',
        '[Acknowledge] [Add update] [Reassign] [Change due] [Resolve]',
        '[Cancel]',
      ].join('\n'),
    );
    // Teams shows the card's times in each reader's zone.
    expect(setup.rig.text(card, NEW_YORK)).toContain('Due: Mon, 30 Nov 2026, 08:00 EST');
    expect(mentionedIds(card.versions[0])).toEqual(expect.arrayContaining([bob.id, alice.id]));

    expect(setup.rig.textsIn(alice).at(-1)).toBe(
      'Raised ESC-1: Printer down\nPosted in Ops › #Incidents · owner @Bob Brown · due Mon, 30 Nov 2026, 14:00 CET · no escalation policy',
    );
    const toBob = setup.rig.last(bob);
    expect(setup.rig.text(toBob, NEW_YORK)).toBe(
      [
        'You own ESC-1, raised by @Alice Adams. Please acknowledge it, then drive it to a decision by the due time.',
        'ESC-1 · SEV2 · Printer down',
        'Owner: @Bob Brown',
        'Due: Mon, 30 Nov 2026, 08:00 EST',
        'Impact',
        'The whole floor cannot print',
        'Recommended decision',
        'Buy a new one',
        '[Acknowledge] [Add update] [Change due] [Resolve] [View]',
      ].join('\n'),
    );
    // Sent proactively: a new message in bob's 1:1 chat, not a reply to anything he sent.
    expect(
      setup.rig.connector.calls.filter((c) => c.op === 'send' && c.conversationId === personalConversationId(bob.id) && c.status === 201),
    ).toHaveLength(2);
  });

  test('the owner clicks Acknowledge on the channel card: the card is updated in place, the step goes in its thread', async () => {
    await setup.rig.advance('2026-11-30T09:10:00Z');
    const updatesBefore = setup.rig.connector.calls.filter((c) => c.op === 'update').length;
    const answer = await setup.rig.click(bob, card, 'Acknowledge');
    expect(answer.status).toBe(200);
    const now = setup.rig.text(card, BERLIN);
    expect(setup.rig.answerText(answer, BERLIN)).toBe(now);
    expect(now).toContain('Status: Acknowledged by @Bob Brown');
    expect(buttonsOf(card.versions.at(-1)).map((b) => b.title)).toEqual(['Add update', 'Reassign', 'Change due', 'Resolve', 'Cancel']);
    const updates = setup.rig.connector.calls.filter((c) => c.op === 'update').slice(updatesBefore);
    expect(updates.map((u) => [u.activityId, u.status])).toContainEqual([card.id, 200]);
    expect(thread(card)).toEqual(['Acknowledged by @Bob Brown']);
    expect(setup.rig.textsIn(bob).at(-1)).toBe('You acknowledged ESC-1: Printer down.');
    // His "You own" message in his 1:1 chat follows: updated in place, without Acknowledge.
    const owned = setup.rig.sentIn(bob).find((m) => setup.rig.text(m, BERLIN).startsWith('You own ESC-1'))!;
    expect(updates.map((u) => [u.activityId, u.status])).toContainEqual([owned.id, 200]);
    expect(setup.rig.text(owned, BERLIN)).toContain('Now: acknowledged by @Bob Brown\n[Add update] [Change due] [Resolve] [View]');

    // A second click on the card as first sent (not yet refreshed on bob's screen) changes nothing.
    const again = await setup.rig.click(bob, card, 'Acknowledge', {}, { version: 0 });
    expect(again.status).toBe(200);
    expect(setup.rig.textsIn(bob).at(-1)).toBe('ESC-1 is already acknowledged by @Bob Brown.');
    expect(thread(card)).toEqual(['Acknowledged by @Bob Brown']);
    expect(setup.rig.text(card, BERLIN)).toBe(now);
  });

  test('the owner is reminded before the due time, then the card goes overdue and the owner is chased', async () => {
    const mark = setup.rig.sentIn(bob).length;
    await setup.rig.advance('2026-11-30T11:59:00Z');
    expect(since(bob, mark)).toEqual([]);
    await setup.rig.advance('2026-11-30T12:00:00Z');
    expect(since(bob, mark)).toEqual([
      'Reminder: ESC-1 Printer down is due Mon, 30 Nov 2026, 08:00 EST (in 1h).\nResolve it, add an update, or change the due time if it needs longer.\n[Add update] [Change due] [Resolve] [View]',
    ]);

    await setup.rig.advance('2026-11-30T13:00:00Z');
    expect(since(bob, mark)[1]).toBe(
      'ESC-1 Printer down is now overdue: it was due Mon, 30 Nov 2026, 08:00 EST.\nResolve it with the decision, add an update, or change the due time (with a reason).\n[Add update] [Change due] [Resolve] [View]',
    );
    expect(setup.rig.text(card, BERLIN)).toContain('Due: Mon, 30 Nov 2026, 14:00 CET (overdue)');
    expect(thread(card).at(-1)).toBe('Overdue: it was due Mon, 30 Nov 2026, 14:00 CET');

    await setup.rig.advance('2026-11-30T14:00:00Z');
    expect(since(bob, mark)).toHaveLength(3);
    expect(since(bob, mark)[2]).toMatch(/^ESC-1 Printer down has been overdue for 1h \(due Mon, 30 Nov 2026, 08:00 EST\)\./);
  });

  test('the owner resolves it from the card with the decision: the card shows it and only Reopen is left', async () => {
    await setup.rig.advance('2026-11-30T14:05:00Z');
    const opened = await setup.rig.click(bob, card, 'Resolve');
    expect(opened.status).toBe(200);
    // Teams has no modals for bots: the form is a card in the card's thread, for bob alone to send.
    const form = setup.rig.last(incidents);
    expect(form.threadRootId).toBe(card.id);
    expect(setup.rig.text(form)).toBe(
      'Resolve ESC-1\nFor @Bob Brown\nESC-1: Printer down. Record the decision taken, or how it was resolved.\n[Decision or resolution: Buy a new one]\n[Resolve] [Cancel]',
    );
    const byAlice = await setup.rig.submit(alice, form, { 'Decision or resolution': 'Not mine to take' });
    expect(setup.rig.answerText(byAlice)).toBe("This form is Bob Brown's. Run the command yourself to get your own.");

    await setup.rig.submit(bob, form, { 'Decision or resolution': 'Bought a new printer; the old one is recycled.' });
    expect(setup.rig.text(form)).toBe('Resolve ESC-1\n✓ Submitted by @Bob Brown');
    const resolved = setup.rig.text(card, BERLIN);
    expect(resolved).toContain('Status: Resolved by @Bob Brown');
    expect(resolved).toContain('Due: Mon, 30 Nov 2026, 14:00 CET (resolved late)');
    expect(resolved).toContain('Decision\nBought a new printer; the old one is recycled.');
    expect(buttonsOf(card.versions.at(-1)).map((b) => b.title)).toEqual(['Reopen']);
    expect(thread(card).at(-1)).toBe('Resolved by @Bob Brown (after the due time): Bought a new printer; the old one is recycled.');
    expect(setup.rig.textsIn(bob).at(-1)).toBe(
      'Resolved ESC-1: Printer down. The decision is recorded and every pending reminder is cancelled.',
    );
    expect(setup.rig.textsIn(alice).at(-1)).toBe(
      '@Bob Brown resolved ESC-1 Printer down.\nDecision\nBought a new printer; the old one is recycled.\n[View]',
    );

    // No more chasing.
    const mark = setup.rig.sentIn(bob).length;
    await setup.rig.advance('2026-12-01T09:00:00Z');
    expect(since(bob, mark)).toEqual([]);
  });

  test('`escalate show ESC-1` in the 1:1 chat lists the whole timeline', async () => {
    await setup.rig.say(alice, 'escalate show ESC-1');
    const shown = setup.rig.text(setup.rig.last(alice), BERLIN);
    expect(shown).toContain('Posted in Ops › #Incidents');
    expect(shown.slice(shown.indexOf('Timeline')).split('\n')).toEqual([
      'Timeline',
      'Mon, 30 Nov 2026, 10:00 CET · Raised by @Alice Adams: SEV2, owner @Bob Brown, due Mon, 30 Nov 2026, 14:00 CET, no escalation policy',
      'Mon, 30 Nov 2026, 10:10 CET · Acknowledged by @Bob Brown',
      'Mon, 30 Nov 2026, 13:00 CET · Owner reminded: due Mon, 30 Nov 2026, 14:00 CET',
      'Mon, 30 Nov 2026, 14:00 CET · Overdue: it was due Mon, 30 Nov 2026, 14:00 CET',
      'Mon, 30 Nov 2026, 15:00 CET · Owner chased (reminder 1 since it went overdue)',
      'Mon, 30 Nov 2026, 15:05 CET · Resolved by @Bob Brown (after the due time): Bought a new printer; the old one is recycled.',
      '[Reopen]',
    ]);
  });
});

describe('an escalation in Teams, raised in the 1:1 chat', () => {
  test('the form is a card in the chat, the card goes to the channel chosen, the new owner acknowledges from their 1:1 chat', async () => {
    await setup.rig.advance('2026-12-01T09:30:00Z');
    await setup.rig.say(alice, 'escalate Backups failing');
    const form = setup.rig.last(alice);
    expect(form.threadRootId).toBeUndefined();
    const shown = setup.rig.text(form, BERLIN);
    expect(shown).not.toContain('For @Alice Adams');
    expect(shown).toContain('[Title: Backups failing]');

    await setup.rig.submit(alice, form, {
      Impact: 'No backups since Sunday',
      Severity: 'SEV1: critical',
      Owner: carol,
      'Post in': 'Ops › #General',
    });
    expect(setup.rig.text(form)).toBe('Raise an escalation\n✓ Submitted by @Alice Adams');
    const card = cardOf(general, 'ESC-2');
    expect(setup.rig.text(card, BERLIN)).toContain('ESC-2 · SEV1 · Backups failing\nStatus: Open, waiting for acknowledgement');
    expect(setup.rig.text(card, BERLIN)).toContain('Due: Tue, 1 Dec 2026, 11:30 CET');
    expect(setup.rig.textsIn(alice).at(-1)).toContain('Raised ESC-2: Backups failing\nPosted in Ops › #General · owner @Carol Cole');

    // Carol never talked to Steady: her 1:1 chat was opened (create conversation) to tell her.
    expect(setup.rig.connector.calls.some((c) => c.op === 'create' && c.status === 201 && c.body.members?.[0]?.id === carol.id)).toBe(true);
    const page = setup.rig.last(carol);
    expect(setup.rig.text(page, BERLIN)).toMatch(/^You own ESC-2, raised by @Alice Adams\./);

    await setup.rig.advance('2026-12-01T09:40:00Z');
    // carol's Teams client is an older one: its click is an Action.Submit, a message carrying the button's data.
    await setup.rig.click(carol, page, 'Acknowledge', {}, { via: 'Action.Submit' });
    expect(setup.rig.textsIn(carol).at(-1)).toBe('You acknowledged ESC-2: Backups failing.');
    expect(setup.rig.text(card, BERLIN)).toContain('Status: Acknowledged by @Carol Cole');
    expect(thread(card)).toEqual(['Acknowledged by @Carol Cole']);
  });
});

describe("an escalation a policy paged someone for, on that person's Teams home", () => {
  test('`home` in the 1:1 chat lists it first as waiting for their acknowledgement; its Acknowledge button takes it off', async () => {
    await setup.rig.advance('2026-12-01T10:00:00Z');
    await setup.rig.say(alice, 'escalate admins add @Alice Adams', undefined, { mentions: [alice] });
    await setup.rig.say(alice, 'escalate policy create Duty');
    await setup.rig.submit(alice, setup.rig.last(alice), {
      Name: 'Duty',
      'Level 1: people': [bob],
      'Level 1: minutes to wait for acknowledgement': '15',
    });
    await setup.rig.say(alice, 'escalate policy default Duty');
    await setup.rig.say(alice, 'escalate Cooling alarm in room 2');
    await setup.rig.submit(alice, setup.rig.last(alice), {
      Impact: 'Servers may shut down',
      Severity: 'SEV1: critical',
      Owner: alice,
      'Post in': 'Ops › #General',
    });
    const reference = /^Raised (ESC-\d+): Cooling alarm/.exec(setup.rig.textsIn(alice).at(-1)!)![1]!;
    expect(setup.rig.textsIn(bob).at(-1)).toMatch(
      new RegExp(`^${reference} needs someone to acknowledge it\\. You are on level 1 of 1 of Duty\\.`),
    );

    await setup.rig.say(bob, 'home');
    const home = setup.rig.last(bob);
    expect(setup.rig.text(home, NEW_YORK)).toBe(
      [
        'Waiting for your acknowledgement',
        `${reference} [SEV1] Cooling alarm in room 2 · owner @Alice Adams · due Tue, 1 Dec 2026, 06:00 EST`,
        '[Acknowledge] [View]',
      ].join('\n'),
    );
    await setup.rig.click(bob, home, 'Acknowledge');
    expect(setup.rig.textsIn(bob).at(-1)).toBe(`You acknowledged ${reference}: Cooling alarm in room 2. The escalation policy stops here.`);
    await setup.rig.say(bob, 'home');
    expect(setup.rig.textsIn(bob).at(-1)).toMatch(/^Nothing needs you right now\./);
  });

  test('`escalate policy delete Duty` asks first with a button; clicking it deletes the policy', async () => {
    await setup.rig.say(alice, 'escalate policy delete Duty');
    const asked = setup.rig.last(alice);
    expect(setup.rig.text(asked)).toBe(
      'Delete the escalation policy Duty? It is the default for new escalations: new ones will have no policy unless the raiser picks one. Escalations already raised with it keep their copy and carry on.\n[Delete Duty]',
    );
    await setup.rig.say(alice, 'escalate policy list');
    expect(setup.rig.textsIn(alice).at(-1)).toContain('Duty (default):');
    await setup.rig.click(alice, asked, 'Delete Duty');
    expect(setup.rig.textsIn(alice).at(-1)).toBe(
      'Deleted the escalation policy Duty. Escalations raised with it keep their copy and carry on.',
    );
  });
});
