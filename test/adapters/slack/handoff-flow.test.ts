import type { SlackMessage } from '../../support/fake-slack';
import { GENERAL } from '../../support/slack-rig';
import { ALICE, BERLIN_TEAM, BOB, CAROL, peopleOf } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';

/**
 * Shift handoffs through Steady's real Slack app and workflows, with a real escalation to hand
 * over. eve (the supervisor) sets up "Ops" in #ops: 07–15, 15–23 and 23–07 in Berlin for alice,
 * bob and carol, from Tuesday 1 December 2026. alice, owning ESC-1, is reminded before 15:00,
 * writes her note in the modal (pre-filled with ESC-1), bob gets it at 15:00 and confirms, and
 * ESC-1 becomes his. At 23:00 carol (in London) gets bob's note, does not confirm, is chased, and
 * eve is told.
 */
const EVE = 'U0EVE';
const OPS = 'C0OPS';

const setup = useSlackRig({
  start: '2026-11-30T08:00:00Z',
  users: {
    ...peopleOf(BERLIN_TEAM, ALICE, BOB),
    [CAROL]: { ...BERLIN_TEAM[CAROL], tz: 'Europe/London' },
    [EVE]: { name: 'eve', realName: 'Eve Evans', tz: 'Europe/Berlin' },
  },
  channels: { [OPS]: 'ops', [GENERAL]: 'general' },
});

/** The latest DM to this person that has a button with this label. */
function dmWithButton(userId: string, label: string): SlackMessage {
  const found = [...setup.rig.slack.messagesIn(setup.rig.slack.dmChannel(userId))]
    .reverse()
    .find((m) => setup.rig.visible(m.blocks).includes(`[${label}]`));
  if (!found) throw new Error(`no DM to ${userId} with [${label}]`);
  return found;
}

/** The DMs a person got since `mark` (a count of their DMs before). */
const dmsSince = (userId: string, mark: number) => setup.rig.dmsTo(userId).slice(mark);
const element = (modal: { view: Record<string, any> }, id: string) => modal.view.blocks.find((b: any) => b.block_id === id).element;

describe('shift handoffs through Slack, with the real workflows', () => {
  test('eve sets up the rotation from its modal, in the zone Slack reports for her', async () => {
    await setup.rig.as(EVE, OPS).command('/handoff', 'rotation create');
    const modal = setup.rig.lastModal(EVE)!;
    expect(modal.view.callback_id).toBe('handoff.rotation');
    expect(setup.rig.visible(modal.view.blocks)).toBe(
      [
        'A rotation hands shifts from one person to the next, with a handoff note at each change.',
        'Name: <plain_text_input>',
        'Members, in the order they take shifts: <multi_users_select>',
        'Shifts: <plain_text_input>',
        'Days active: <multi_static_select>',
        'Time zone (IANA): <plain_text_input>',
        'First day (optional): <datepicker>',
        'Handoff channel: <conversations_select>',
        'Remind the outgoing person before their shift ends: <plain_text_input>',
        'Confirmation timeout after the shift starts: <plain_text_input>',
        'Supervisor (told when a handoff is missing or unconfirmed): <users_select>',
        'Note fields (separated by ;, * = required) (optional): <plain_text_input>',
      ].join('\n'),
    );
    expect(element(modal, 'shifts').initial_value).toBe('07:00-15:00, 15:00-23:00, 23:00-07:00');
    expect(element(modal, 'zone').initial_value).toBe('Europe/Berlin');
    expect(element(modal, 'start').initial_date).toBe('2026-11-30');
    expect(element(modal, 'channel').initial_conversation).toBe(OPS);
    expect(element(modal, 'supervisor').initial_user).toBe(EVE);

    const refused = await setup.rig
      .as(EVE)
      .submit({ name: 'Ops', members: [ALICE, BOB, CAROL], start: '2026-12-01', shifts: '07:00-15:00, 15:00-25:00' });
    expect(refused.body).toEqual({
      response_action: 'errors',
      errors: {
        shifts:
          '"15:00-25:00" is not a shift. Write shifts as 07:00-15:00, 15:00-23:00, 23:00-07:00; or one handover time a day (09:00); or weekly mon 09:00.',
      },
    });
    expect(setup.rig.postsIn(OPS)).toEqual([]);

    expect(await setup.rig.as(EVE).submit({ name: 'Ops', members: [ALICE, BOB, CAROL], start: '2026-12-01' })).toEqual({
      status: 200,
      body: undefined,
    });
    expect(setup.rig.dmsTo(EVE)).toEqual([
      [
        'Created the rotation Ops: 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin · members @Alice Adams, @Bob Brown, @Carol Clark · notes to #ops · supervisor @Eve Evans.',
        'First shift: Tue, 1 Dec 2026, 07:00 CET, @Alice Adams.',
        'Reminders come 30m before each shift ends; unconfirmed handoffs are chased after 15m.',
      ].join('\n'),
    ]);
    expect(setup.rig.postsIn(OPS).map((m) => setup.rig.visible(m.blocks))).toEqual([
      'Handoff notes of the Ops rotation will be posted here. 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin · members @Alice Adams, @Bob Brown, @Carol Clark · notes to #ops · supervisor @Eve Evans',
    ]);
  });

  test('each member is told they were added, with their first shift', async () => {
    await setup.rig.advance(1000);
    expect(setup.rig.dmsTo(BOB)).toEqual([
      [
        '@Eve Evans added you to the Ops rotation: 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin. Your first shift: Tue, 1 Dec 2026, 15:00 CET–23:00 CET.',
        'Before each of your shifts ends I will ask you for a handoff note for the next person; notes go to #ops. The supervisor is @Eve Evans.',
        '/handoff who Ops shows who is on; /handoff swap Ops @name <date> offers a shift in exchange for theirs.',
      ].join('\n'),
    ]);
  });

  test('alice owns an open escalation', async () => {
    await setup.rig.as(ALICE).command('/escalate', 'Printer down');
    await setup.rig.as(ALICE).submit({ impact: 'The floor cannot print', owner: ALICE, due: '2026-12-03T16:00:00Z' });
    expect(setup.rig.dmsTo(ALICE).at(-1)).toBe(
      'Raised ESC-1: Printer down\nPosted in #general · owner @Alice Adams · due Thu, 3 Dec 2026, 17:00 CET · no escalation policy',
    );
  });

  test('30 minutes before her shift ends alice is reminded; she writes the note in the modal, pre-filled with ESC-1', async () => {
    await setup.rig.advance('2026-12-01T13:29:00Z');
    expect(setup.rig.dmsTo(ALICE)).toHaveLength(2); // added to the rotation; ESC-1 raised
    await setup.rig.advance('2026-12-01T13:30:00Z');
    expect(setup.rig.dmsTo(ALICE).at(-1)).toBe(
      [
        'Handoff due: Ops',
        'Your shift ends at 15:00 CET. Write your handoff note for @Bob Brown, who takes over Tue, 1 Dec 2026, 15:00 CET.',
        "The form is pre-filled with your 1 open escalation and today's stand-up blockers.",
        '[Write handoff]',
      ].join('\n'),
    );

    await setup.rig.as(ALICE).press('Write handoff', dmWithButton(ALICE, 'Write handoff'));
    const modal = setup.rig.lastModal(ALICE)!;
    expect(modal.view.callback_id).toBe('handoff.note');
    expect(modal.view.title.text).toBe('Handoff: Ops');
    expect(setup.rig.visible(modal.view.blocks)).toBe(
      [
        'From you to @Bob Brown, shift change Tue, 1 Dec 2026, 15:00 CET.',
        'Status: <static_select>',
        'Summary: <plain_text_input>',
        'Open items (what, owner, by when) (optional): <plain_text_input>',
        'Decisions made (optional): <plain_text_input>',
        'Watch-outs and contingencies (optional): <plain_text_input>',
        'Your open escalations to hand over (untick to leave one out) (optional): <multi_static_select>',
        'Hand my open escalations to the next shift (optional): <checkboxes>',
      ].join('\n'),
    );
    expect(element(modal, 'escalations').initial_options.map((o: any) => o.text.text)).toEqual([
      'ESC-1 Printer down · due Thu, 3 Dec 2026, 17:00 CET',
    ]);
    expect(element(modal, 'transfer').initial_options).toHaveLength(1);

    expect((await setup.rig.as(ALICE).submit({ status: 'watch' })).body).toEqual({
      response_action: 'errors',
      errors: { section1: 'Summary is needed: a line or two is enough.' },
    });
    const saved = await setup.rig.as(ALICE).submit({
      status: 'watch',
      section1: 'Quiet morning. Printer on floor 2 still flaky.',
      section4: 'If backups fail again, page storage.',
    });
    expect(saved).toEqual({ status: 200, body: undefined });
    expect(setup.rig.dmsTo(ALICE).at(-1)).toBe(
      'Saved. Your Ops handoff note goes to @Bob Brown and #ops at 15:00 CET. You can change it until then with /handoff note.',
    );
    expect(setup.rig.postsIn(OPS)).toHaveLength(1);
    expect(setup.rig.dmsTo(BOB).filter((t) => t.startsWith('Handoff'))).toEqual([]);
  });

  test('at 15:00 the note is posted in #ops and sent to bob, who confirms it; ESC-1 becomes his', async () => {
    await setup.rig.advance('2026-12-01T14:00:00Z');
    const note = [
      'Handoff · Ops',
      'From @Alice Adams to @Bob Brown · shift change Tue, 1 Dec 2026, 15:00 CET',
      'Status: Watch',
      'Written: 14:30 CET',
      'Summary',
      'Quiet morning. Printer on floor 2 still flaky.',
      'Watch-outs and contingencies',
      'If backups fail again, page storage.',
      'Open escalations',
      '• ESC-1 Printer down · due Thu, 3 Dec 2026, 17:00 CET',
    ];
    expect(setup.rig.visible(setup.rig.postsIn(OPS)[1]!.blocks)).toBe([...note, 'Confirming hands @Bob Brown this escalation.'].join('\n'));
    expect(setup.rig.dmsTo(BOB).slice(1)).toEqual([
      [...note, 'Confirming hands @Bob Brown this escalation.', '[Confirm] [Ask a question]'].join('\n'),
    ]);

    await setup.rig.advance('2026-12-01T14:05:00Z');
    const aliceMark = setup.rig.dmsTo(ALICE).length;
    await setup.rig.as(BOB).press('Confirm', dmWithButton(BOB, 'Confirm'));
    expect(setup.rig.privateTo(BOB).at(-1)).toBe('Handoff confirmed at 15:05 CET. You are on shift for Ops. ESC-1 is being handed to you.');
    // The hand-over runs as a durable job, as the ticker would run it a moment later.
    await setup.rig.advance(0);
    const confirmed = [...note, 'Confirmed by @Bob Brown at 15:05 CET. Handed over: ESC-1.'].join('\n');
    expect(setup.rig.visible(setup.rig.postsIn(OPS)[1]!.blocks)).toBe(confirmed);
    expect(setup.rig.dmsTo(BOB)[1]).toBe(confirmed);
    expect(dmsSince(ALICE, aliceMark)).toEqual([
      '@Bob Brown confirmed your Ops handoff at 15:05 CET. ESC-1 is now theirs.',
      'ESC-1 Printer down was handed over from you to @Bob Brown at a shift handoff. You no longer own it.\n[View]',
    ]);
    expect(setup.rig.dmsTo(BOB).at(-1)).toMatch(
      /^ESC-1 Printer down was handed over to you from @Alice Adams at a shift handoff\.\nESC-1 · SEV3 · Printer down\nOwner: @Bob Brown\n/,
    );
    const [card] = setup.rig.postsIn(GENERAL);
    expect(setup.rig.visible(card!.blocks)).toContain('Owner: @Bob Brown');
    expect(setup.rig.repliesTo(card!).map((m) => setup.rig.visible(m.blocks))).toEqual([
      'Handed over from @Alice Adams to @Bob Brown at a shift handoff: Shift handoff in Ops: handed over with the note and confirmed',
    ]);

    await setup.rig.as(EVE).command('/handoff', 'who');
    expect(setup.rig.privateTo(EVE).at(-1)).toBe(
      'Ops (Europe/Berlin)\nNow: @Bob Brown, until Tue, 1 Dec 2026, 23:00 CET\nNext: @Carol Clark, Tue, 1 Dec 2026, 23:00 CET – 07:00 CET (8h)',
    );
  });

  test('bob writes his note with /handoff note and keeps ESC-1; carol gets it at 23:00, her time, and does not confirm: she is chased, then eve is told', async () => {
    await setup.rig.advance('2026-12-01T21:30:00Z');
    expect(setup.rig.dmsTo(BOB).at(-1)).toContain('Your shift ends at 23:00 CET. Write your handoff note for @Carol Clark');
    await setup.rig.as(BOB).command('/handoff', 'note');
    const modal = setup.rig.lastModal(BOB)!;
    expect(setup.rig.visible(modal.view.blocks).split('\n')[0]).toBe('From you to @Carol Clark, shift change Tue, 1 Dec 2026, 23:00 CET.');
    expect(element(modal, 'escalations').initial_options.map((o: any) => o.value)).toEqual(['1']);
    expect(await setup.rig.as(BOB).submit({ status: 'steady', section1: 'Evening was calm.', transfer: false })).toEqual({
      status: 200,
      body: undefined,
    });

    const carolMark = setup.rig.dmsTo(CAROL).length;
    const eveMark = setup.rig.dmsTo(EVE).length;
    await setup.rig.advance('2026-12-01T22:00:00Z');
    expect(dmsSince(CAROL, carolMark)).toEqual([
      [
        'Handoff · Ops',
        'From @Bob Brown to @Carol Clark · shift change Tue, 1 Dec 2026, 22:00 GMT',
        'Status: Steady',
        'Written: 21:30 GMT',
        'Summary',
        'Evening was calm.',
        'Open escalations',
        '• ESC-1 Printer down · due Thu, 3 Dec 2026, 16:00 GMT',
        'Waiting for @Carol Clark to confirm.',
        '[Confirm] [Ask a question]',
      ].join('\n'),
    ]);

    await setup.rig.advance('2026-12-01T22:14:00Z');
    expect(dmsSince(CAROL, carolMark)).toHaveLength(1);
    await setup.rig.advance('2026-12-01T22:15:00Z');
    expect(dmsSince(CAROL, carolMark)[1]).toBe(
      'Please confirm the Ops handoff from @Bob Brown: it reached you at 22:00 GMT and is not confirmed yet.\n[Confirm] [Ask a question]',
    );
    await setup.rig.advance('2026-12-01T22:29:00Z');
    expect(dmsSince(EVE, eveMark)).toEqual([]);
    await setup.rig.advance('2026-12-01T22:30:00Z');
    expect(dmsSince(EVE, eveMark)).toEqual([
      "Handoff not confirmed: Ops\n@Carol Clark hasn't confirmed the handoff from @Bob Brown (shift started 23:00 CET). I reminded them at 23:15 CET.\nYou get this as the rotation's supervisor.",
    ]);
    expect(dmsSince(CAROL, carolMark)).toHaveLength(2);

    await setup.rig.advance('2026-12-01T22:40:00Z');
    await setup.rig.as(CAROL).press('Confirm', dmWithButton(CAROL, 'Confirm'));
    expect(setup.rig.privateTo(CAROL).at(-1)).toBe('Handoff confirmed at 22:40 GMT. You are on shift for Ops.');
    await setup.rig.advance(0);
    expect(setup.rig.dmsTo(BOB).at(-1)).toBe('@Carol Clark confirmed your Ops handoff at 23:40 CET.');
    expect(setup.rig.visible(setup.rig.postsIn(GENERAL)[0]!.blocks)).toContain('Owner: @Bob Brown');
  });

  test('eve puts alice on Wednesday night instead of carol, naming her with a mention', async () => {
    const aliceMark = setup.rig.dmsTo(ALICE).length;
    await setup.rig.as(EVE).command('/handoff', `override Ops <@${ALICE}|alice> 2026-12-02 23:00 2026-12-03 07:00`);
    expect(setup.rig.privateTo(EVE).at(-1)).toBe(
      '@Alice Adams covers Ops from Wed, 2 Dec 2026, 23:00 CET to Thu, 3 Dec 2026, 07:00 CET, instead of @Carol Clark.',
    );
    expect(dmsSince(ALICE, aliceMark)).toEqual([
      '@Eve Evans put you on Ops from Wed, 2 Dec 2026, 23:00 CET to Thu, 3 Dec 2026, 07:00 CET, instead of @Carol Clark.',
    ]);
  });

  test('/handoff history tells both shift changes', async () => {
    await setup.rig.as(EVE).command('/handoff', 'history Ops');
    expect(setup.rig.privateTo(EVE).at(-1)).toBe(
      [
        'Ops: handoffs, last 7d',
        'Tue, 1 Dec 2026, 23:00 CET · @Bob Brown → @Carol Clark · note on time (Steady) · confirmed 23:40 CET · raised to supervisor',
        'Evening was calm.',
        'Tue, 1 Dec 2026, 15:00 CET · @Alice Adams → @Bob Brown · note on time (Watch) · confirmed 15:05 CET',
        'Quiet morning. Printer on floor 2 still flaky.',
      ].join('\n'),
    );
  });
});
