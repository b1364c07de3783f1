import { rows } from '../../support/database';
import { channel, person, team } from '../../support/fake-teams-activities';
import { buttonsOf } from '../../support/fake-teams-cards';
import type { PostedMessage } from '../../support/fake-teams-connector';
import { BERLIN_TEAM, TEAM_ACROSS_ZONES } from '../../support/teams-people';
import { useTeamsRig } from '../../support/use-teams-rig';

/**
 * Shift handoffs as Teams people live them, with Steady's real workflows behind /api/messages: eve
 * sets up a Berlin rotation from a channel; alice (who owns an escalation) is reminded in her 1:1
 * chat, writes her note on the card; bob gets it at 15:00 and confirms with the card's button, and
 * the escalation becomes his; at 23:00 carol (in London) leaves bob's note unconfirmed, is chased,
 * eve is told, then carol confirms from the reminder.
 */
const BERLIN = 'Europe/Berlin';
const { alice, bob } = BERLIN_TEAM;
const { carol } = TEAM_ACROSS_ZONES;
const eve = person('eve', { name: 'Eve Evans', zone: BERLIN });
const ops = team('Ops');
const handoffs = channel(ops, 'Handoffs');

// Monday 30 Nov 2026, 09:00 in Berlin.
const setup = useTeamsRig({ start: '2026-11-30T08:00:00Z' });
beforeAll(async () => {
  for (const p of [alice, bob, carol, eve]) await setup.rig.install(p);
  await setup.rig.addToTeam(ops, eve, ['Handoffs']);
});

function since(who: typeof alice, mark: number): string[] {
  return setup.rig.textsIn(who).slice(mark);
}

/** The handoff note posted in the channel for a shift change (by its first lines). */
function noteInChannel(fromTo: string): PostedMessage {
  const found = setup.rig.sentIn(handoffs).filter((m) => setup.rig.text(m, BERLIN).startsWith(`Handoff · Ops\nFrom ${fromTo}`));
  expect(found).toHaveLength(1);
  return found[0]!;
}

function updatesOf(message: PostedMessage) {
  return setup.rig.connector.calls.filter((c) => c.op === 'update' && c.activityId === message.id && c.status === 200);
}

describe('a shift rotation in Teams', () => {
  test('`@Steady handoff rotation create` in the channel: the form card, then the rotation is announced', async () => {
    await setup.rig.say(eve, '@Steady handoff rotation create', handoffs);
    const form = setup.rig.last(handoffs);
    expect(setup.rig.text(form, BERLIN).split('\n')).toEqual([
      'New rotation',
      'For @Eve Evans',
      'A rotation hands shifts from one person to the next, with a handoff note at each change.',
      '[Name]',
      '[Members, in the order they take shifts]',
      '[Shifts: 07:00-15:00, 15:00-23:00, 23:00-07:00]',
      '07:00-15:00, 15:00-23:00, 23:00-07:00; or one handover a day (09:00); or weekly mon 09:00',
      '[Days active: Mon, Tue, Wed, Thu, Fri, Sat, Sun]',
      '[Time zone (IANA): Europe/Berlin]',
      'e.g. Europe/Berlin; shift times are wall-clock times there',
      '[First day: 2026-11-30]',
      '[Handoff channel: Ops › #Handoffs]',
      '[Remind the outgoing person before their shift ends: 30m]',
      '[Confirmation timeout after the shift starts: 15m]',
      '[Supervisor (told when a handoff is missing or unconfirmed): Eve Evans]',
      '[Note fields (separated by ;, * = required): Summary*; Open items (what, owner, by when); Decisions made; Watch-outs and contingencies]',
      'The status (steady / watch / unstable) is always asked',
      '[Create] [Cancel]',
    ]);

    const values = { Name: 'Ops', 'Members, in the order they take shifts': [alice, bob, carol], 'First day': '2026-12-01' };
    const refused = await setup.rig.submit(eve, form, { ...values, 'Remind the outgoing person before their shift ends': '9h' });
    expect(setup.rig.answerText(refused, BERLIN)).toContain(
      '[Remind the outgoing person before their shift ends: 9h]\nThe reminder must come during the shift: make it shorter than 8h, the shortest shift.',
    );
    expect(await rows(setup.database.db, 'rotations')).toEqual([]);

    await setup.rig.submit(eve, form, { ...values, 'Remind the outgoing person before their shift ends': '30m' });
    expect(setup.rig.text(form)).toBe('New rotation\n✓ Submitted by @Eve Evans');
    expect(setup.rig.textsIn(handoffs, BERLIN).at(-1)).toBe(
      'Handoff notes of the Ops rotation will be posted here. 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin · members @Alice Adams, @Bob Brown, @Carol Cole · notes to Ops › #Handoffs · supervisor @Eve Evans',
    );
    expect(setup.rig.textsIn(eve).at(-1)).toBe(
      [
        'Created the rotation Ops: 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin · members @Alice Adams, @Bob Brown, @Carol Cole · notes to Ops › #Handoffs · supervisor @Eve Evans.',
        'First shift: Tue, 1 Dec 2026, 07:00 CET, @Alice Adams.',
        'Reminders come 30m before each shift ends; unconfirmed handoffs are chased after 15m.',
      ].join('\n'),
    );
  });

  test('alice, on the morning shift, is given an escalation to own', async () => {
    await setup.rig.advance('2026-12-01T09:00:00Z');
    await setup.rig.say(eve, 'escalate Printer down');
    await setup.rig.submit(eve, setup.rig.last(eve), { Impact: 'Floor 2 cannot print', Owner: alice, 'Post in': 'Ops › #Handoffs' });
    expect(setup.rig.textsIn(eve).at(-1)).toBe(
      'Raised ESC-1: Printer down\nPosted in Ops › #Handoffs · owner @Alice Adams · due Wed, 2 Dec 2026, 17:00 CET · no escalation policy',
    );
  });

  test('30 minutes before her shift ends alice is reminded proactively and writes her note on the card', async () => {
    const mark = setup.rig.sentIn(alice).length;
    await setup.rig.advance('2026-12-01T13:29:00Z');
    expect(since(alice, mark)).toEqual([]);
    await setup.rig.advance('2026-12-01T13:30:00Z');
    expect(since(alice, mark)).toEqual([
      [
        'Handoff due: Ops',
        'Your shift ends at 15:00 CET. Write your handoff note for @Bob Brown, who takes over Tue, 1 Dec 2026, 15:00 CET.',
        "The form is pre-filled with your 1 open escalation and today's stand-up blockers.",
        '[Write handoff]',
      ].join('\n'),
    ]);

    await setup.rig.advance('2026-12-01T13:35:00Z');
    await setup.rig.click(alice, setup.rig.last(alice), 'Write handoff');
    const note = setup.rig.last(alice);
    expect(setup.rig.text(note, BERLIN).split('\n')).toEqual([
      'Handoff: Ops',
      'From you to @Bob Brown, shift change Tue, 1 Dec 2026, 15:00 CET.',
      '[Status: Steady]',
      '[Summary]',
      '[Open items (what, owner, by when)]',
      '[Decisions made]',
      '[Watch-outs and contingencies]',
      '[Your open escalations to hand over (untick to leave one out): ESC-1 Printer down · due Wed, 2 Dec 2026, 17:00 CET]',
      '[Hand my open escalations to the next shift: true]',
      '[Save note] [Cancel]',
    ]);
    await setup.rig.submit(alice, note, {
      Status: 'Watch',
      Summary: 'Quiet morning. Printer on floor 2 still flaky.',
      'Open items (what, owner, by when)': 'Vendor call at 16:00 (bob)',
    });
    expect(setup.rig.text(note)).toBe('Handoff: Ops\n✓ Submitted by @Alice Adams');
    expect(setup.rig.textsIn(alice).at(-1)).toBe(
      'Saved. Your Ops handoff note goes to @Bob Brown and Ops › #Handoffs at 15:00 CET. You can change it until then with /handoff note.',
    );
  });

  const aliceToBob = [
    'Handoff · Ops',
    'From @Alice Adams to @Bob Brown · shift change Tue, 1 Dec 2026, 15:00 CET',
    'Status: Watch',
    'Written: 14:35 CET',
    'Summary',
    'Quiet morning. Printer on floor 2 still flaky.',
    'Open items (what, owner, by when)',
    'Vendor call at 16:00 (bob)',
    'Open escalations',
    '• ESC-1 Printer down · due Wed, 2 Dec 2026, 17:00 CET',
  ].join('\n');

  test('at 15:00 the note goes to the channel and to bob, who confirms with the card button: the escalation is his', async () => {
    const mark = setup.rig.sentIn(bob).length;
    await setup.rig.advance('2026-12-01T14:00:00Z');
    const posted = noteInChannel('@Alice Adams to @Bob Brown');
    expect(setup.rig.text(posted, BERLIN)).toBe(`${aliceToBob}\nConfirming hands @Bob Brown this escalation.`);
    expect(since(bob, mark)).toEqual([`${aliceToBob}\nConfirming hands @Bob Brown this escalation.\n[Confirm] [Ask a question]`]);
    const toBob = setup.rig.last(bob);

    // Only bob can confirm it.
    await setup.rig.click(alice, toBob, 'Confirm');
    expect(setup.rig.textsIn(alice).at(-1)).toBe('This handoff is for @Bob Brown: only they can confirm it.');

    await setup.rig.advance('2026-12-01T14:05:00Z');
    const beforeConfirm = setup.rig.textsIn(bob).length;
    expect((await setup.rig.click(bob, toBob, 'Confirm')).status).toBe(200);
    // The answer to the click first; the handover it set off follows at once.
    expect(setup.rig.textsIn(bob)[beforeConfirm]).toBe(
      'Handoff confirmed at 15:05 CET. You are on shift for Ops. ESC-1 is being handed to you.',
    );
    await setup.rig.advance('2026-12-01T14:06:00Z');

    // Both copies of the note are updated in place: confirmed, no buttons left.
    const confirmed = `${aliceToBob}\nConfirmed by @Bob Brown at 15:05 CET. Handed over: ESC-1.`;
    expect(setup.rig.text(toBob, BERLIN)).toBe(confirmed);
    expect(setup.rig.text(posted, BERLIN)).toBe(confirmed);
    expect(buttonsOf(toBob.versions.at(-1))).toEqual([]);
    expect(updatesOf(toBob)).toHaveLength(1);
    expect(updatesOf(posted)).toHaveLength(1);

    // The escalation was handed over through the escalation workflow: its card, its thread, both owners.
    const card = setup.rig.sentIn(handoffs).find((m) => setup.rig.text(m).startsWith('ESC-1 · '))!;
    expect(setup.rig.text(card, BERLIN)).toContain('Owner: @Bob Brown');
    expect(setup.rig.connector.repliesTo(card.id).map((r) => setup.rig.text(r))).toEqual([
      'Handed over from @Alice Adams to @Bob Brown at a shift handoff: Shift handoff in Ops: handed over with the note and confirmed',
    ]);
    expect(setup.rig.textsIn(bob).at(-1)).toMatch(/^ESC-1 Printer down was handed over to you from @Alice Adams at a shift handoff\./);
    expect(setup.rig.textsIn(alice).slice(-2)).toEqual([
      '@Bob Brown confirmed your Ops handoff at 15:05 CET. ESC-1 is now theirs.',
      'ESC-1 Printer down was handed over from you to @Bob Brown at a shift handoff. You no longer own it.\n[View]',
    ]);
  });

  test('at 23:00 carol leaves the note unconfirmed: she is chased, eve is told, then she confirms from the reminder', async () => {
    await setup.rig.advance('2026-12-01T21:30:00Z');
    await setup.rig.click(bob, setup.rig.last(bob), 'Write handoff');
    await setup.rig.submit(bob, setup.rig.last(bob), { Summary: 'Evening was calm.' });

    const carolMark = setup.rig.sentIn(carol).length;
    const eveMark = setup.rig.sentIn(eve).length;
    await setup.rig.advance('2026-12-01T22:00:00Z');
    // carol reads it in London time.
    expect(since(carol, carolMark)).toEqual([
      [
        'Handoff · Ops',
        'From @Bob Brown to @Carol Cole · shift change Tue, 1 Dec 2026, 22:00 GMT',
        'Status: Steady',
        'Written: 21:30 GMT',
        'Summary',
        'Evening was calm.',
        'Open escalations',
        '• ESC-1 Printer down · due Wed, 2 Dec 2026, 16:00 GMT',
        'Confirming hands @Carol Cole this escalation.',
        '[Confirm] [Ask a question]',
      ].join('\n'),
    ]);

    await setup.rig.advance('2026-12-01T22:14:00Z');
    expect(since(carol, carolMark)).toHaveLength(1);
    await setup.rig.advance('2026-12-01T22:15:00Z');
    expect(since(carol, carolMark)[1]).toBe(
      'Please confirm the Ops handoff from @Bob Brown: it reached you at 22:00 GMT and is not confirmed yet.\n[Confirm] [Ask a question]',
    );
    expect(since(eve, eveMark)).toEqual([]);
    await setup.rig.advance('2026-12-01T22:30:00Z');
    expect(since(eve, eveMark)).toEqual([
      "Handoff not confirmed: Ops\n@Carol Cole hasn't confirmed the handoff from @Bob Brown (shift started 23:00 CET). I reminded them at 23:15 CET.\nYou get this as the rotation's supervisor.",
    ]);

    const beforeConfirm = setup.rig.textsIn(carol).length;
    await setup.rig.click(carol, setup.rig.last(carol), 'Confirm');
    expect(setup.rig.textsIn(carol)[beforeConfirm]).toBe(
      'Handoff confirmed at 22:30 GMT. You are on shift for Ops. ESC-1 is being handed to you.',
    );
    await setup.rig.advance('2026-12-01T22:31:00Z');
    expect(setup.rig.text(noteInChannel('@Bob Brown to @Carol Cole'), BERLIN)).toContain(
      'Confirmed by @Carol Cole at 23:30 CET. Handed over: ESC-1.',
    );

    // Nothing more is chased, and eve was told once.
    const after = setup.rig.sentIn(carol).length;
    await setup.rig.advance('2026-12-02T05:00:00Z');
    expect(
      setup.rig
        .textsIn(carol)
        .slice(after)
        .filter((t) => t.includes('Please confirm')),
    ).toEqual([]);
    expect(setup.rig.textsIn(eve).filter((t) => t.startsWith('Handoff not confirmed'))).toHaveLength(1);

    await setup.rig.say(eve, 'handoff history Ops');
    expect(setup.rig.textsIn(eve).at(-1)).toBe(
      [
        'Ops: handoffs, last 7d',
        'Tue, 1 Dec 2026, 23:00 CET · @Bob Brown → @Carol Cole · note on time (Steady) · confirmed 23:30 CET · raised to supervisor',
        'Evening was calm.',
        'Tue, 1 Dec 2026, 15:00 CET · @Alice Adams → @Bob Brown · note on time (Watch) · confirmed 15:05 CET',
        'Quiet morning. Printer on floor 2 still flaky.',
      ].join('\n'),
    );
  });
});
