import type { SlackMessage } from '../../support/fake-slack';
import { GENERAL } from '../../support/slack-rig';
import { ALICE, BERLIN_TEAM, BOB, CAROL, DAVE, ERIN } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';

/**
 * One escalation, start to finish, through Steady's real Slack app and its real workflows: an
 * admin sets up a two-level policy, alice raises "Printer down" from the modal, nobody acknowledges
 * so the policy climbs, bob acknowledges on the card, hands it to carol, it goes overdue and is
 * chased, carol resolves it with a decision, and `/escalate show` tells the whole story.
 * Monday 30 November 2026, from 10:00 in Berlin; dave is in New York.
 */
const setup = useSlackRig({ start: '2026-11-30T09:00:00Z', users: BERLIN_TEAM, channels: { [GENERAL]: 'general' } });

/** ESC-1's card in #general as it reads now. */
function card(): SlackMessage {
  const [posted, ...others] = setup.rig.postsIn(GENERAL);
  expect(others).toEqual([]);
  return posted!;
}

const thread = () => setup.rig.repliesTo(card()).map((m) => setup.rig.visible(m.blocks));

describe('an escalation through Slack, with the real workflows', () => {
  test('an admin sets up a two-level policy from its modal and makes it the default', async () => {
    await setup.rig.as(ERIN).command('/escalate', `admins add <@${ERIN}|erin>`);
    expect(setup.rig.privateTo(ERIN).at(-1)).toBe(
      '@Erin Evans is now a workspace admin (the first one of this workspace: from now on only admins can add more).',
    );

    await setup.rig.as(ERIN).command('/escalate', 'policy create Ops');
    const modal = setup.rig.lastModal(ERIN)!;
    expect(modal.view.callback_id).toBe('escalation.policy');
    expect(setup.rig.visible(modal.view.blocks).split('\n').slice(1, 6)).toEqual([
      'Name: <plain_text_input>',
      'Repeat: <static_select>',
      'Level 1: people (optional): <multi_users_select>',
      'Level 1: channel (optional): <conversations_select>',
      'Level 1: minutes to wait for acknowledgement (optional): <plain_text_input>',
    ]);
    expect(await setup.rig.as(ERIN).submit({ l1_users: [CAROL], l1_wait: '15', l2_users: [DAVE], l2_wait: '30' })).toEqual({
      status: 200,
      body: undefined,
    });
    await setup.rig.as(ERIN).command('/escalate', 'policy default Ops');
    expect(setup.rig.privateTo(ERIN).at(-1)).toBe('New escalations now use Ops unless the raiser picks another.');
  });

  test('/escalate with a title opens the raise modal; its submission posts the card, DMs the owner and pages level 1', async () => {
    await setup.rig.as(ALICE).command('/escalate', 'Printer down');
    const modal = setup.rig.lastModal(ALICE)!;
    expect(modal.view.callback_id).toBe('escalation.raise');
    expect(setup.rig.visible(modal.view.blocks)).toBe(
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
    const refused = await setup.rig.as(ALICE).submit({ owner: BOB });
    expect(refused.body).toEqual({ response_action: 'errors', errors: { impact: 'The impact (who or what is affected) is required.' } });
    expect(setup.rig.postsIn(GENERAL)).toEqual([]);

    const done = await setup.rig
      .as(ALICE)
      .submit({ impact: 'The whole floor cannot print', recommendation: 'Buy a new one', severity: 'SEV2', owner: BOB });
    expect(done).toEqual({ status: 200, body: undefined });
    expect(setup.rig.visible(card().blocks)).toBe(
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
    expect(setup.rig.dmsTo(ALICE)).toEqual([
      'Raised ESC-1: Printer down\nPosted in #general · owner @Bob Brown · due Mon, 30 Nov 2026, 14:00 CET · policy Ops',
    ]);
    expect(setup.rig.dmsTo(BOB)).toEqual([
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
    expect(setup.rig.dmsTo(CAROL)).toEqual([
      expect.stringMatching(/^ESC-1 needs someone to acknowledge it\. You are on level 1 of 2 of Ops\.\nESC-1 · SEV2 · Printer down\n/),
    ]);
    expect(setup.rig.dmsTo(DAVE)).toEqual([]);
  });

  test('nobody acknowledges: level 2 is paged at 10:15, not a minute before, in his own zone', async () => {
    await setup.rig.advance('2026-11-30T09:14:00Z');
    expect(setup.rig.dmsTo(DAVE)).toEqual([]);
    await setup.rig.advance('2026-11-30T09:15:00Z');
    expect(setup.rig.dmsTo(DAVE)).toEqual([
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
    expect(setup.rig.visible(card().blocks)).toContain('Escalation policy: Ops: level 2 of 2 notified');
    expect(thread()).toEqual(['Level 1 notified: @Carol Clark', 'Level 2 notified: @Dave Davis']);
    // Both paged people find it first on their App Home, with the Acknowledge button.
    await setup.rig.as(DAVE).openHome();
    expect(setup.rig.visible(setup.rig.home(DAVE)!).split('\n').slice(0, 3)).toEqual([
      'Waiting for your acknowledgement',
      'ESC-1 [SEV2] Printer down · owner @Bob Brown · due Mon, 30 Nov 2026, 08:00 EST',
      '[Acknowledge] [View]',
    ]);
    await setup.rig.as(CAROL).openHome();
    expect(setup.rig.visible(setup.rig.home(CAROL)!)).toMatch(/^Waiting for your acknowledgement\nESC-1 \[SEV2\] Printer down/);
  });

  test('the owner presses Acknowledge on the card: the card is updated in place and the thread told', async () => {
    await setup.rig.advance('2026-11-30T09:20:00Z');
    const updatesBefore = setup.rig.slack.callsOf('chat.update').length;
    await setup.rig.as(BOB).press('Acknowledge', card());
    expect(setup.rig.privateTo(BOB).at(-1)).toBe('You acknowledged ESC-1: Printer down. The escalation policy stops here.');
    expect(setup.rig.slack.callsOf('chat.update').length).toBeGreaterThan(updatesBefore);
    const text = setup.rig.visible(card().blocks);
    expect(text).toContain('Status: Acknowledged by @Bob Brown');
    expect(text).toContain('Escalation policy: Ops: level 2 of 2 notified (stopped)');
    expect(text).toContain('[Add update] [Reassign] [Change due] [Resolve] [Cancel]');
    expect(text).not.toContain('[Acknowledge]');
    expect(thread()).toEqual(['Level 1 notified: @Carol Clark', 'Level 2 notified: @Dave Davis', 'Acknowledged by @Bob Brown']);
    await setup.rig.as(DAVE).openHome();
    expect(setup.rig.visible(setup.rig.home(DAVE)!)).toMatch(/^Nothing needs you right now\./);
    // His own direct message follows: chat.update'd in place, without Acknowledge, saying who acknowledged.
    const owned = setup.rig.slack.messagesIn(setup.rig.slack.dmChannel(BOB))[0]!;
    expect(
      setup.rig.slack.callsOf('chat.update').filter((c) => c.args.channel === setup.rig.slack.dmChannel(BOB) && c.args.ts === owned.ts),
    ).toHaveLength(1);
    expect(setup.rig.visible(owned.blocks)).toContain('Now: acknowledged by @Bob Brown\n[Add update] [Change due] [Resolve] [View]');
    // The chain stops: nobody is paged again.
    await setup.rig.advance('2026-11-30T10:30:00Z');
    expect(setup.rig.dmsTo(CAROL)).toHaveLength(1);
    expect(setup.rig.dmsTo(DAVE)).toHaveLength(1);
  });

  test('bob hands it to carol by mentioning her after the command word; both are told, the card follows', async () => {
    await setup.rig.advance('2026-11-30T10:30:00Z');
    await setup.rig.as(BOB).command('/escalate', `reassign ESC-1 <@${CAROL}|carol> I am off this afternoon`);
    expect(setup.rig.privateTo(BOB).at(-1)).toBe('ESC-1 now belongs to @Carol Clark. @Bob Brown and @Carol Clark have been told.');
    expect(setup.rig.dmsTo(CAROL).at(-1)).toBe(
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
    expect(setup.rig.visible(card().blocks)).toContain('Owner: @Carol Clark');
    expect(thread().at(-1)).toBe('Reassigned from @Bob Brown to @Carol Clark by @Bob Brown: I am off this afternoon');
    // bob's own message no longer applies to him: it says so first, and keeps only View.
    const owned = setup.rig.visible(setup.rig.slack.messagesIn(setup.rig.slack.dmChannel(BOB))[0]!.blocks).split('\n');
    expect(owned.slice(0, 2)).toEqual([
      'You no longer own ESC-1: @Carol Clark does now.',
      'You own ESC-1, raised by @Alice Adams. Please acknowledge it, then drive it to a decision by the due time.',
    ]);
    expect(owned.at(-1)).toBe('[View]');
  });

  test('the new owner is reminded an hour before the due time, told when it goes overdue, then chased hourly', async () => {
    const before = setup.rig.dmsTo(CAROL).length;
    await setup.rig.advance('2026-11-30T11:59:00Z');
    expect(setup.rig.dmsTo(CAROL)).toHaveLength(before);
    await setup.rig.advance('2026-11-30T12:00:00Z');
    expect(setup.rig.dmsTo(CAROL).slice(before)).toEqual([
      'Reminder: ESC-1 Printer down is due Mon, 30 Nov 2026, 14:00 CET (in 1h).\nResolve it, add an update, or change the due time if it needs longer.\n[Add update] [Change due] [Resolve] [View]',
    ]);

    await setup.rig.advance('2026-11-30T13:00:00Z');
    expect(setup.rig.dmsTo(CAROL).at(-1)).toBe(
      'ESC-1 Printer down is now overdue: it was due Mon, 30 Nov 2026, 14:00 CET.\nResolve it with the decision, add an update, or change the due time (with a reason).\n[Add update] [Change due] [Resolve] [View]',
    );
    expect(setup.rig.visible(card().blocks)).toContain('Due: Mon, 30 Nov 2026, 14:00 CET (overdue)');
    expect(thread().at(-1)).toBe('Overdue: it was due Mon, 30 Nov 2026, 14:00 CET');

    await setup.rig.advance('2026-11-30T13:59:00Z');
    expect(setup.rig.dmsTo(CAROL)).toHaveLength(before + 2);
    await setup.rig.advance('2026-11-30T14:00:00Z');
    expect(setup.rig.dmsTo(CAROL).at(-1)).toBe(
      'ESC-1 Printer down has been overdue for 1h (due Mon, 30 Nov 2026, 14:00 CET).\nResolve it with the decision, add an update, or change the due time (with a reason).\n[Add update] [Change due] [Resolve] [View]',
    );
    // bob gave it away: none of this reaches him.
    expect(setup.rig.dmsTo(BOB)).toHaveLength(1);
  });

  test('carol resolves it from the card with a decision: the card shows it, the raiser is told, the chasing stops', async () => {
    await setup.rig.advance('2026-11-30T14:30:00Z');
    await setup.rig.as(CAROL).press('Resolve', card());
    const modal = setup.rig.lastModal(CAROL)!;
    expect(modal.view.title.text).toBe('Resolve ESC-1');
    expect(setup.rig.visible(modal.view.blocks)).toBe(
      'ESC-1: Printer down. Record the decision taken, or how it was resolved.\nDecision or resolution: <plain_text_input>',
    );
    // The recommended decision is offered as the resolution.
    expect(modal.view.blocks[1].element.initial_value).toBe('Buy a new one');
    expect(await setup.rig.as(CAROL).submit({ resolution: 'Bought a new printer; the old one is recycled.' })).toEqual({
      status: 200,
      body: undefined,
    });
    expect(setup.rig.dmsTo(CAROL).at(-1)).toBe(
      'Resolved ESC-1: Printer down. The decision is recorded and every pending reminder is cancelled.',
    );

    const text = setup.rig.visible(card().blocks);
    expect(text).toContain('Status: Resolved by @Carol Clark');
    expect(text).toContain('Due: Mon, 30 Nov 2026, 14:00 CET (resolved late)');
    expect(text).toContain('Decision\nBought a new printer; the old one is recycled.');
    expect(text.split('\n').at(-1)).toBe('[Reopen]');
    expect(thread().at(-1)).toBe('Resolved by @Carol Clark (after the due time): Bought a new printer; the old one is recycled.');
    expect(setup.rig.dmsTo(ALICE).at(-1)).toBe(
      '@Carol Clark resolved ESC-1 Printer down.\nDecision\nBought a new printer; the old one is recycled.\n[View]',
    );

    const carolBefore = setup.rig.dmsTo(CAROL).length;
    await setup.rig.advance('2026-12-01T09:00:00Z');
    expect(setup.rig.dmsTo(CAROL)).toHaveLength(carolBefore);
  });

  test("/escalate show lists every step on the timeline, in the reader's zone", async () => {
    await setup.rig.as(ALICE).command('/escalate', 'show ESC-1');
    const shown = setup.rig.privateTo(ALICE).at(-1)!;
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

    await setup.rig.as(DAVE).command('/escalate', 'show ESC-1');
    expect(setup.rig.privateTo(DAVE).at(-1)).toContain('Mon, 30 Nov 2026, 04:15 EST · Level 2 notified: @Dave Davis');
  });

  test('deleting the policy asks first, only to the admin; the button in that answer deletes it', async () => {
    await setup.rig.as(ERIN).command('/escalate', 'policy delete Ops');
    const asked = setup.rig.slack.responses.at(-1)!.body;
    expect(setup.rig.privateTo(ERIN).at(-1)).toBe(
      'Delete the escalation policy Ops? It is the default for new escalations: new ones will have no policy unless the raiser picks one. Escalations already raised with it keep their copy and carry on.\n[Delete Ops]',
    );
    expect(asked.response_type).not.toBe('in_channel');
    await setup.rig.as(ERIN).command('/escalate', 'policy list');
    expect(setup.rig.privateTo(ERIN).at(-1)).toContain('Ops (default):');

    await setup.rig.as(ERIN).press('Delete Ops', { ephemeral: asked.blocks });
    expect(setup.rig.privateTo(ERIN).at(-1)).toBe(
      'Deleted the escalation policy Ops. Escalations raised with it keep their copy and carry on.',
    );
    await setup.rig.as(ERIN).command('/escalate', 'policy list');
    expect(setup.rig.privateTo(ERIN).at(-1)).toBe(
      'There are no escalation policies yet. An admin can create one with /escalate policy create <name>.',
    );
  });
});
