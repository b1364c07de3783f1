import { openTestDatabase, type TestDatabase } from '../../support/database';
import type { SlackMessage } from '../../support/fake-slack';
import { GENERAL, SlackRig } from '../../support/slack-rig';

/**
 * One escalation, start to finish, through Steady's real Slack app and its real workflows: an
 * admin sets up a two-level policy, alice raises "Printer down" from the modal, nobody acknowledges
 * so the policy climbs, bob acknowledges on the card, hands it to carol, it goes overdue and is
 * chased, carol resolves it with a decision, and `/escalate show` tells the whole story.
 * Monday 30 November 2026, from 10:00 in Berlin; dave is in New York.
 */
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const CAROL = 'U0CAROL';
const DAVE = 'U0DAVE';
const ERIN = 'U0ERIN';

let database: TestDatabase;
let rig: SlackRig;
beforeAll(async () => {
  database = await openTestDatabase();
  rig = await SlackRig.start({
    database,
    start: '2026-11-30T09:00:00Z',
    users: {
      [ALICE]: { name: 'alice', realName: 'Alice Adams', tz: 'Europe/Berlin' },
      [BOB]: { name: 'bob', realName: 'Bob Brown', tz: 'Europe/Berlin' },
      [CAROL]: { name: 'carol', realName: 'Carol Clark', tz: 'Europe/Berlin' },
      [DAVE]: { name: 'dave', realName: 'Dave Davis', tz: 'America/New_York' },
      [ERIN]: { name: 'erin', realName: 'Erin Evans', tz: 'Europe/Berlin' },
    },
  });
  rig.slack.channelNames.set(GENERAL, 'general');
});
afterAll(async () => {
  await rig?.close();
  await database.close();
});

/** ESC-1's card in #general as it reads now. */
function card(): SlackMessage {
  const [posted, ...others] = rig.postsIn(GENERAL);
  expect(others).toEqual([]);
  return posted!;
}

const thread = () => rig.repliesTo(card()).map((m) => rig.visible(m.blocks));

describe('an escalation through Slack, with the real workflows', () => {
  test('an admin sets up a two-level policy from its modal and makes it the default', async () => {
    await rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
    expect(rig.privateTo(ERIN).at(-1)).toBe(
      '@Erin Evans is now a workspace admin (the first one of this workspace: from now on only admins can add more).',
    );

    await rig.as(ERIN).command('/escalate', 'policy create Ops');
    const modal = rig.lastModal(ERIN)!;
    expect(modal.view.callback_id).toBe('escalation.policy');
    expect(rig.visible(modal.view.blocks).split('\n').slice(1, 6)).toEqual([
      'Name: <plain_text_input>',
      'Repeat: <static_select>',
      'Level 1: people (optional): <multi_users_select>',
      'Level 1: channel (optional): <conversations_select>',
      'Level 1: minutes to wait for acknowledgement (optional): <plain_text_input>',
    ]);
    expect(await rig.as(ERIN).submit({ l1_users: [CAROL], l1_wait: '15', l2_users: [DAVE], l2_wait: '30' })).toEqual({
      status: 200,
      body: undefined,
    });
    await rig.as(ERIN).command('/escalate', 'policy default Ops');
    expect(rig.privateTo(ERIN).at(-1)).toBe('New escalations now use Ops unless the raiser picks another.');
  });

  test('/escalate with a title opens the raise modal; its submission posts the card, DMs the owner and pages level 1', async () => {
    await rig.as(ALICE).command('/escalate', 'Printer down');
    const modal = rig.lastModal(ALICE)!;
    expect(modal.view.callback_id).toBe('escalation.raise');
    expect(rig.visible(modal.view.blocks)).toBe(
      [
        'Gather the facts, state the impact, summarise the options and recommend a decision. One owner drives it to a decision by the due time.',
        'Title: <plain_text_input>',
        'Impact: <plain_text_input>',
        'Options considered (optional): <plain_text_input>',
        'Recommended decision (optional): <plain_text_input>',
        'Severity: <static_select>',
        'Owner: <users_select>',
        'Due by (optional): <datetimepicker>',
        'Post in (optional): <conversations_select>',
        'Escalation policy (optional): <static_select>',
      ].join('\n'),
    );
    const initial = Object.fromEntries(modal.view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.element]));
    expect(initial.title.initial_value).toBe('Printer down');
    expect(initial.channel.initial_conversation).toBe(GENERAL);
    expect(initial.policy.initial_option.text.text).toBe('Ops');
    expect(initial.severity.initial_option.value).toBe('SEV3');

    // Slack shows a missing impact under its field and keeps the modal open.
    const refused = await rig.as(ALICE).submit({ owner: BOB });
    expect(refused.body).toEqual({ response_action: 'errors', errors: { impact: 'The impact (who or what is affected) is required.' } });
    expect(rig.postsIn(GENERAL)).toEqual([]);

    const done = await rig
      .as(ALICE)
      .submit({ impact: 'The whole floor cannot print', recommendation: 'Buy a new one', severity: 'SEV2', owner: BOB });
    expect(done).toEqual({ status: 200, body: undefined });
    expect(rig.visible(card().blocks)).toBe(
      [
        'ESC-1 · SEV2 · Printer down',
        'Status: Open, waiting for acknowledgement',
        'Severity: SEV2',
        'Owner: @Bob Brown',
        'Raised by: @Alice Adams',
        'Due: Mon, 30 Nov 2026, 14:00 CET',
        'Escalation policy: Ops: level 1 of 2 notified',
        'Impact',
        'The whole floor cannot print',
        'Recommended decision',
        'Buy a new one',
        'Raised Mon, 30 Nov 2026, 10:00 CET',
        '[Acknowledge] [Add update] [Reassign] [Change due] [Resolve] [Cancel]',
      ].join('\n'),
    );
    // Each reader sees the due time in their own zone: Slack formats the date token.
    expect(JSON.stringify(card().blocks)).toContain(`<!date^${Date.parse('2026-11-30T13:00:00Z') / 1000}^`);
    // A modal has no channel to answer in, so the raiser's confirmation comes by DM.
    expect(rig.dmsTo(ALICE)).toEqual([
      'Raised ESC-1: Printer down\nPosted in #general · owner @Bob Brown · due Mon, 30 Nov 2026, 14:00 CET · policy Ops',
    ]);
    expect(rig.dmsTo(BOB)).toEqual([
      [
        'You own ESC-1, raised by @Alice Adams. Please acknowledge it, then drive it to a decision by the due time.',
        'ESC-1 · SEV2 · Printer down',
        'Owner: @Bob Brown',
        'Due: Mon, 30 Nov 2026, 14:00 CET',
        'Impact',
        'The whole floor cannot print',
        'Recommended decision',
        'Buy a new one',
        '[Acknowledge] [Add update] [Change due] [Resolve] [View]',
      ].join('\n'),
    ]);
    expect(rig.dmsTo(CAROL)).toEqual([
      expect.stringMatching(/^ESC-1 needs someone to acknowledge it\. You are on level 1 of 2 of Ops\.\nESC-1 · SEV2 · Printer down\n/),
    ]);
    expect(rig.dmsTo(DAVE)).toEqual([]);
  });

  test('nobody acknowledges: level 2 is paged at 10:15, not a minute before, in his own zone', async () => {
    await rig.advance('2026-11-30T09:14:00Z');
    expect(rig.dmsTo(DAVE)).toEqual([]);
    await rig.advance('2026-11-30T09:15:00Z');
    expect(rig.dmsTo(DAVE)).toEqual([
      [
        'ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of Ops.',
        'ESC-1 · SEV2 · Printer down',
        'Owner: @Bob Brown',
        'Due: Mon, 30 Nov 2026, 08:00 EST',
        'Impact',
        'The whole floor cannot print',
        'Recommended decision',
        'Buy a new one',
        '[Acknowledge] [View]',
      ].join('\n'),
    ]);
    expect(rig.visible(card().blocks)).toContain('Escalation policy: Ops: level 2 of 2 notified');
    expect(thread()).toEqual(['Level 1 notified: @Carol Clark', 'Level 2 notified: @Dave Davis']);
    // Both paged people find it first on their App Home, with the Acknowledge button.
    await rig.as(DAVE).openHome();
    expect(rig.visible(rig.home(DAVE)!).split('\n').slice(0, 3)).toEqual([
      'Waiting for your acknowledgement',
      'ESC-1 [SEV2] Printer down · owner @Bob Brown · due Mon, 30 Nov 2026, 08:00 EST',
      '[Acknowledge] [View]',
    ]);
    await rig.as(CAROL).openHome();
    expect(rig.visible(rig.home(CAROL)!)).toMatch(/^Waiting for your acknowledgement\nESC-1 \[SEV2\] Printer down/);
  });

  test('the owner presses Acknowledge on the card: the card is updated in place and the thread told', async () => {
    await rig.advance('2026-11-30T09:20:00Z');
    const updatesBefore = rig.slack.callsOf('chat.update').length;
    await rig.as(BOB).press('Acknowledge', card());
    expect(rig.privateTo(BOB).at(-1)).toBe('You acknowledged ESC-1: Printer down. The escalation policy stops here.');
    expect(rig.slack.callsOf('chat.update').length).toBeGreaterThan(updatesBefore);
    const text = rig.visible(card().blocks);
    expect(text).toContain('Status: Acknowledged by @Bob Brown');
    expect(text).toContain('Escalation policy: Ops: level 2 of 2 notified (stopped)');
    expect(text).toContain('[Add update] [Reassign] [Change due] [Resolve] [Cancel]');
    expect(text).not.toContain('[Acknowledge]');
    expect(thread()).toEqual(['Level 1 notified: @Carol Clark', 'Level 2 notified: @Dave Davis', 'Acknowledged by @Bob Brown']);
    await rig.as(DAVE).openHome();
    expect(rig.visible(rig.home(DAVE)!)).toMatch(/^Nothing needs you right now\./);
    // His own direct message follows: chat.update'd in place, without Acknowledge, saying who acknowledged.
    const owned = rig.slack.messagesIn(rig.slack.dmChannel(BOB))[0]!;
    expect(
      rig.slack.callsOf('chat.update').filter((c) => c.args.channel === rig.slack.dmChannel(BOB) && c.args.ts === owned.ts),
    ).toHaveLength(1);
    expect(rig.visible(owned.blocks)).toContain('Now: acknowledged by @Bob Brown\n[Add update] [Change due] [Resolve] [View]');
    // The chain stops: nobody is paged again.
    await rig.advance('2026-11-30T10:30:00Z');
    expect(rig.dmsTo(CAROL)).toHaveLength(1);
    expect(rig.dmsTo(DAVE)).toHaveLength(1);
  });

  test('bob hands it to carol by mentioning her after the command word; both are told, the card follows', async () => {
    await rig.advance('2026-11-30T10:30:00Z');
    await rig.as(BOB).command('/escalate', `reassign ESC-1 <@${CAROL}|carol> I am off this afternoon`);
    expect(rig.privateTo(BOB).at(-1)).toBe('ESC-1 now belongs to @Carol Clark. @Bob Brown and @Carol Clark have been told.');
    expect(rig.dmsTo(CAROL).at(-1)).toBe(
      [
        '@Bob Brown reassigned ESC-1 Printer down to you: I am off this afternoon',
        'ESC-1 · SEV2 · Printer down',
        'Owner: @Carol Clark',
        'Due: Mon, 30 Nov 2026, 14:00 CET',
        'Impact',
        'The whole floor cannot print',
        'Recommended decision',
        'Buy a new one',
        '[Add update] [Change due] [Resolve] [View]',
      ].join('\n'),
    );
    expect(rig.visible(card().blocks)).toContain('Owner: @Carol Clark');
    expect(thread().at(-1)).toBe('Reassigned from @Bob Brown to @Carol Clark by @Bob Brown: I am off this afternoon');
    // bob's own message no longer applies to him: it says so first, and keeps only View.
    const owned = rig.visible(rig.slack.messagesIn(rig.slack.dmChannel(BOB))[0]!.blocks).split('\n');
    expect(owned.slice(0, 2)).toEqual([
      'You no longer own ESC-1: @Carol Clark does now.',
      'You own ESC-1, raised by @Alice Adams. Please acknowledge it, then drive it to a decision by the due time.',
    ]);
    expect(owned.at(-1)).toBe('[View]');
  });

  test('the new owner is reminded an hour before the due time, told when it goes overdue, then chased hourly', async () => {
    const before = rig.dmsTo(CAROL).length;
    await rig.advance('2026-11-30T11:59:00Z');
    expect(rig.dmsTo(CAROL)).toHaveLength(before);
    await rig.advance('2026-11-30T12:00:00Z');
    expect(rig.dmsTo(CAROL).slice(before)).toEqual([
      'Reminder: ESC-1 Printer down is due Mon, 30 Nov 2026, 14:00 CET (in 1h).\nResolve it, add an update, or change the due time if it needs longer.\n[Add update] [Change due] [Resolve] [View]',
    ]);

    await rig.advance('2026-11-30T13:00:00Z');
    expect(rig.dmsTo(CAROL).at(-1)).toBe(
      'ESC-1 Printer down is now overdue: it was due Mon, 30 Nov 2026, 14:00 CET.\nResolve it with the decision, add an update, or change the due time (with a reason).\n[Add update] [Change due] [Resolve] [View]',
    );
    expect(rig.visible(card().blocks)).toContain('Due: Mon, 30 Nov 2026, 14:00 CET (overdue)');
    expect(thread().at(-1)).toBe('Overdue: it was due Mon, 30 Nov 2026, 14:00 CET');

    await rig.advance('2026-11-30T13:59:00Z');
    expect(rig.dmsTo(CAROL)).toHaveLength(before + 2);
    await rig.advance('2026-11-30T14:00:00Z');
    expect(rig.dmsTo(CAROL).at(-1)).toBe(
      'ESC-1 Printer down has been overdue for 1h (due Mon, 30 Nov 2026, 14:00 CET).\nResolve it with the decision, add an update, or change the due time (with a reason).\n[Add update] [Change due] [Resolve] [View]',
    );
    // bob gave it away: none of this reaches him.
    expect(rig.dmsTo(BOB)).toHaveLength(1);
  });

  test('carol resolves it from the card with a decision: the card shows it, the raiser is told, the chasing stops', async () => {
    await rig.advance('2026-11-30T14:30:00Z');
    await rig.as(CAROL).press('Resolve', card());
    const modal = rig.lastModal(CAROL)!;
    expect(modal.view.title.text).toBe('Resolve ESC-1');
    expect(rig.visible(modal.view.blocks)).toBe(
      'ESC-1: Printer down. Record the decision taken, or how it was resolved.\nDecision or resolution: <plain_text_input>',
    );
    // The recommended decision is offered as the resolution.
    expect(modal.view.blocks[1].element.initial_value).toBe('Buy a new one');
    expect(await rig.as(CAROL).submit({ resolution: 'Bought a new printer; the old one is recycled.' })).toEqual({
      status: 200,
      body: undefined,
    });
    expect(rig.dmsTo(CAROL).at(-1)).toBe('Resolved ESC-1: Printer down. The decision is recorded and every pending reminder is cancelled.');

    const text = rig.visible(card().blocks);
    expect(text).toContain('Status: Resolved by @Carol Clark');
    expect(text).toContain('Due: Mon, 30 Nov 2026, 14:00 CET (resolved late)');
    expect(text).toContain('Decision\nBought a new printer; the old one is recycled.');
    expect(text.split('\n').at(-1)).toBe('[Reopen]');
    expect(thread().at(-1)).toBe('Resolved by @Carol Clark (after the due time): Bought a new printer; the old one is recycled.');
    expect(rig.dmsTo(ALICE).at(-1)).toBe(
      '@Carol Clark resolved ESC-1 Printer down.\nDecision\nBought a new printer; the old one is recycled.\n[View]',
    );

    const carolBefore = rig.dmsTo(CAROL).length;
    await rig.advance('2026-12-01T09:00:00Z');
    expect(rig.dmsTo(CAROL)).toHaveLength(carolBefore);
  });

  test("/escalate show lists every step on the timeline, in the reader's zone", async () => {
    await rig.as(ALICE).command('/escalate', 'show ESC-1');
    const shown = rig.privateTo(ALICE).at(-1)!;
    expect(shown).toContain('Posted in #general');
    const timeline = shown.slice(shown.indexOf('Timeline')).split('\n').slice(1, -1);
    expect(timeline).toEqual([
      'Mon, 30 Nov 2026, 10:00 CET · Raised by @Alice Adams: SEV2, owner @Bob Brown, due Mon, 30 Nov 2026, 14:00 CET, policy Ops',
      'Mon, 30 Nov 2026, 10:00 CET · Level 1 notified: @Carol Clark',
      'Mon, 30 Nov 2026, 10:15 CET · Level 2 notified: @Dave Davis',
      'Mon, 30 Nov 2026, 10:20 CET · Acknowledged by @Bob Brown',
      'Mon, 30 Nov 2026, 11:30 CET · Reassigned from @Bob Brown to @Carol Clark by @Bob Brown: I am off this afternoon',
      'Mon, 30 Nov 2026, 13:00 CET · Owner reminded: due Mon, 30 Nov 2026, 14:00 CET',
      'Mon, 30 Nov 2026, 14:00 CET · Overdue: it was due Mon, 30 Nov 2026, 14:00 CET',
      'Mon, 30 Nov 2026, 15:00 CET · Owner chased (reminder 1 since it went overdue)',
      'Mon, 30 Nov 2026, 15:30 CET · Resolved by @Carol Clark (after the due time): Bought a new printer; the old one is recycled.',
    ]);
    expect(shown.split('\n').at(-1)).toBe('[Reopen]');

    await rig.as(DAVE).command('/escalate', 'show ESC-1');
    expect(rig.privateTo(DAVE).at(-1)).toContain('Mon, 30 Nov 2026, 04:15 EST · Level 2 notified: @Dave Davis');
  });

  test('deleting the policy asks first, only to the admin; the button in that answer deletes it', async () => {
    await rig.as(ERIN).command('/escalate', 'policy delete Ops');
    const asked = rig.slack.responses.at(-1)!.body;
    expect(rig.privateTo(ERIN).at(-1)).toBe(
      'Delete the escalation policy Ops? It is the default for new escalations: new ones will have no policy unless the raiser picks one. Escalations already raised with it keep their copy and carry on.\n[Delete Ops]',
    );
    expect(asked.response_type).not.toBe('in_channel');
    await rig.as(ERIN).command('/escalate', 'policy list');
    expect(rig.privateTo(ERIN).at(-1)).toContain('Ops (default):');

    await rig.as(ERIN).press('Delete Ops', { ephemeral: asked.blocks });
    expect(rig.privateTo(ERIN).at(-1)).toBe('Deleted the escalation policy Ops. Escalations raised with it keep their copy and carry on.');
    await rig.as(ERIN).command('/escalate', 'policy list');
    expect(rig.privateTo(ERIN).at(-1)).toBe(
      'There are no escalation policies yet. An admin can create one with /escalate policy create <name>.',
    );
  });
});
