import type { Button } from '../../src/core/message';
import { findJobs } from '../../src/storage/jobs-repository';
import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { handoffHarness, resetHandoffs, rotationValues } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetHandoffs(database));

/** The buttons of the last message sent to someone that has a button with this label. */
function buttonTo(h: Harness, target: string, label: string): Button {
  const sent = [...h.platform.sent].reverse().find((s) => s.to === target && h.buttonsOf(s).some((b) => b.label === label));
  if (!sent) throw new Error(`no "${label}" button sent to ${target}`);
  return h.buttonsOf(sent).find((b) => b.label === label)!;
}

/** What someone received since a point in the record of sends. */
function since(h: Harness, mark: number, target: string): string[] {
  return h.platform.sent
    .slice(mark)
    .filter((s) => s.to === target && s.op !== 'update')
    .map((s) => s.text);
}

/**
 * A full day of three shifts in Berlin (07–15, 15–23, 23–07) for alice, bob and carol, supervised
 * by eve: a swap moves bob's evening to carol, an override puts dave on the night, and the three
 * handoffs go: on time and confirmed with escalations handed over; missing, chased up to the
 * supervisor, then written late; on time but confirmed late.
 */
describe('a day of three shifts', () => {
  test('every shift change, every chase, every confirmation, once', async () => {
    const { h, escalations, standups, onShift } = handoffHarness(database, '2026-11-30T08:00:00Z');
    escalations.add('alice', 'ESC-1', 'Printer down', '2026-12-01T17:00:00Z');
    escalations.add('alice', 'ESC-2', 'Backups failing', '2026-12-02T09:00:00Z');
    escalations.add('bob', 'ESC-3', 'Bob keeps this one', '2026-12-03T09:00:00Z');
    standups.blockers.push({
      standupId: '1',
      standupName: 'Daily',
      userId: 'bob',
      text: 'Waiting on the vendor',
      date: '2026-12-01',
      reportedAt: new Date('2026-12-01T08:00:00Z'),
    });
    standups.blockers.push({
      standupId: '1',
      standupName: 'Daily',
      userId: 'zed',
      text: 'Not a member',
      date: '2026-12-01',
      reportedAt: new Date('2026-12-01T08:00:00Z'),
    });
    const [alice, bob, carol, dave, eve] = ['alice', 'bob', 'carol', 'dave', 'eve'].map((u) => h.as(u));

    // Monday: eve sets up the rotation from #ops, starting Tuesday.
    await eve!.in('test:C-ops').command('handoff', 'rotation create');
    expect(await eve!.submit(rotationValues())).toEqual({ status: 'done' });
    expect(h.repliesTo('eve')[0]).toContain('First shift: Tue, 1 Dec 2026, 07:00 CET, @alice.');
    await h.tick();
    expect(h.sentTo('carol')).toEqual([
      expect.stringContaining(
        '@eve added you to the Ops rotation: 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin. Your first shift: Tue, 1 Dec 2026, 23:00 CET–07:00 CET.',
      ),
    ]);

    // bob swaps his Tuesday evening for carol's Tuesday night; carol accepts.
    await bob!.command('handoff', 'swap <@carol> 2026-12-01');
    expect(h.repliesTo('bob')[0]).toBe(
      "Asked @carol to take your Ops shift Tue, 1 Dec 2026, 15:00 CET–23:00 CET in exchange for theirs Tue, 1 Dec 2026, 23:00 CET–07:00 CET. I'll tell you when they answer.",
    );
    await carol!.press(buttonTo(h, 'carol', 'Accept'));
    expect(h.repliesTo('carol')[0]).toContain('Done: you now work Ops Tue, 1 Dec 2026, 15:00 CET–23:00 CET');
    expect(h.sentTo('bob').at(-1)).toContain('@carol accepted your Ops shift swap: you now work Tue, 1 Dec 2026, 23:00 CET–07:00 CET');

    // eve puts dave (in London) on the night instead of bob.
    await eve!.command('handoff', 'override <@dave> 2026-12-01 23:00 2026-12-02 07:00');
    expect(h.repliesTo('eve').at(-1)).toBe(
      '@dave covers Ops from Tue, 1 Dec 2026, 23:00 CET to Wed, 2 Dec 2026, 07:00 CET, instead of @bob.',
    );
    expect(h.sentTo('dave').at(-1)).toBe(
      '@eve put you on Ops from Tue, 1 Dec 2026, 22:00 GMT to Wed, 2 Dec 2026, 06:00 GMT, instead of @bob.',
    );
    expect(h.sentTo('bob').at(-1)).toContain('@dave covers your Ops shift from Tue, 1 Dec 2026, 23:00 CET');

    // Who is on, as escalation policies ask it.
    expect(await onShift.onShift('test:W1', (await onShift.rotations('test:W1'))[0]!.id, new Date('2026-12-01T10:00:00Z'))).toEqual([
      'alice',
    ]);
    const rotationId = (await onShift.rotations('test:W1'))[0]!.id;
    expect(await onShift.onShift('test:W1', rotationId, new Date('2026-12-01T15:00:00Z'))).toEqual(['carol']);
    expect(await onShift.onShift('test:W1', rotationId, new Date('2026-12-02T01:00:00Z'))).toEqual(['dave']);
    expect(await onShift.onShift('test:W1', rotationId, new Date('2026-12-02T07:00:00Z'))).toEqual(['alice']);
    expect(await onShift.onShift('other:W', rotationId, new Date('2026-12-02T07:00:00Z'))).toEqual([]);

    // ── 15:00 shift change, alice → carol: note on time, confirmed, escalations handed over.
    let mark = h.platform.sent.length;
    await h.advance('2026-12-01T13:29:00Z');
    expect(since(h, mark, 'alice')).toEqual([]);
    await h.advance('2026-12-01T13:35:00Z');
    expect(since(h, mark, 'alice')).toEqual([
      'Handoff due: Ops\nYour shift ends at 15:00 CET. Write your handoff note for @carol, who takes over Tue, 1 Dec 2026, 15:00 CET.\n' +
        "The form is pre-filled with your 2 open escalations and today's stand-up blockers.\n[Write handoff]",
    ]);
    await alice!.press(buttonTo(h, 'alice', 'Write handoff'));
    const form = h.lastForm('alice')!;
    expect(form.fields.map((f) => f.label)).toEqual([
      'Status',
      'Summary',
      'Open items (what, owner, by when)',
      'Decisions made',
      'Watch-outs and contingencies',
      'Your open escalations to hand over (untick to leave one out)',
      "Today's stand-up blockers (untick to leave one out)",
      'Hand my open escalations to the next shift',
    ]);
    const escalationField = form.fields.find((f) => f.id === 'escalations')!;
    expect(escalationField.kind === 'multiselect' && escalationField.options.map((o) => o.label)).toEqual([
      'ESC-1 Printer down · due Tue, 1 Dec 2026, 18:00 CET',
      'ESC-2 Backups failing · due Wed, 2 Dec 2026, 10:00 CET',
    ]);
    expect(escalationField.kind === 'multiselect' && escalationField.initial).toEqual(['1', '2']);
    const blockerField = form.fields.find((f) => f.id === 'blockers')!;
    expect(blockerField.kind === 'multiselect' && blockerField.options.map((o) => o.label)).toEqual(['@bob: Waiting on the vendor']);
    expect(form.fields.find((f) => f.id === 'transfer')).toMatchObject({ kind: 'checkbox', initial: true });
    // A required field left empty comes back with a message; nothing is saved.
    expect(await alice!.submit({ status: 'watch' })).toEqual({
      status: 'invalid',
      errors: { section1: 'Summary is needed: a line or two is enough.' },
    });
    expect(
      await alice!.submit({
        status: 'watch',
        section1: 'Quiet morning. Printer on floor 2 still flaky.',
        section2: 'Vendor call at 16:00 (carol)',
        section4: 'If backups fail again, page storage.',
      }),
    ).toEqual({ status: 'done' });
    expect(h.repliesTo('alice').at(-1)).toBe(
      'Saved. Your Ops handoff note goes to @carol and the channel at 15:00 CET. You can change it until then with /handoff note.',
    );

    mark = h.platform.sent.length;
    await h.advance('2026-12-01T14:00:00Z');
    const [posted] = since(h, mark, 'test:C-ops');
    expect(posted).toBe(
      [
        'Handoff · Ops',
        'From @alice to @carol · shift change Tue, 1 Dec 2026, 15:00 CET',
        'Status: Watch',
        'Written: 14:35 CET',
        'Summary\nQuiet morning. Printer on floor 2 still flaky.',
        'Open items (what, owner, by when)\nVendor call at 16:00 (carol)',
        'Watch-outs and contingencies\nIf backups fail again, page storage.',
        'Open escalations\n• ESC-1 Printer down · due Tue, 1 Dec 2026, 18:00 CET\n• ESC-2 Backups failing · due Wed, 2 Dec 2026, 10:00 CET',
        'Stand-up blockers\n• @bob: Waiting on the vendor (Daily)',
        'Confirming hands @carol these 2 escalations.',
      ].join('\n'),
    );
    const toCarol = since(h, mark, 'carol');
    expect(toCarol).toHaveLength(1);
    expect(toCarol[0]).toContain('[Confirm] [Ask a question]');

    // carol asks; alice answers.
    await h.advance('2026-12-01T14:02:00Z');
    await carol!.press(buttonTo(h, 'carol', 'Ask a question'));
    await carol!.submit({ question: 'Which printer exactly?' });
    expect(h.sentTo('alice').at(-1)).toBe('@carol asks about your Ops handoff:\nWhich printer exactly?\n[Answer]');
    await alice!.press(buttonTo(h, 'alice', 'Answer'));
    await alice!.submit({ answer: 'The one by the kitchen.' });
    expect(h.sentTo('carol').at(-1)).toBe(
      '@alice answered your question about the Ops handoff.\nYou asked: Which printer exactly?\nAnswer: The one by the kitchen.',
    );

    // Only carol can confirm; she does at 15:05.
    await bob!.press(buttonTo(h, 'carol', 'Confirm'));
    expect(h.repliesTo('bob').at(-1)).toBe('This handoff is for @carol: only they can confirm it.');
    await h.advance('2026-12-01T14:05:00Z');
    await carol!.press(buttonTo(h, 'carol', 'Confirm'));
    expect(h.repliesTo('carol').at(-1)).toBe(
      'Handoff confirmed at 15:05 CET. You are on shift for Ops. ESC-1 and ESC-2 are being handed to you.',
    );
    await h.tick();
    expect(escalations.transfers).toEqual([
      {
        workspaceId: 'test:W1',
        escalationId: '1',
        toUserId: 'carol',
        actorId: 'carol',
        reason: 'Shift handoff in Ops: handed over with the note and confirmed',
      },
      {
        workspaceId: 'test:W1',
        escalationId: '2',
        toUserId: 'carol',
        actorId: 'carol',
        reason: 'Shift handoff in Ops: handed over with the note and confirmed',
      },
    ]);
    expect(h.sentTo('alice').at(-1)).toBe('@carol confirmed your Ops handoff at 15:05 CET. ESC-1 and ESC-2 are now theirs.');
    const updated = h.platform.sent.filter((s) => s.op === 'update' && s.text.startsWith('Handoff · Ops')).map((s) => s.text);
    expect(updated).toHaveLength(2);
    for (const text of updated) {
      expect(text).toContain('Confirmed by @carol at 15:05 CET. Handed over: ESC-1, ESC-2.');
      expect(text).not.toContain('[Confirm]');
    }
    await carol!.press(buttonTo(h, 'carol', 'Confirm'));
    expect(h.repliesTo('carol').at(-1)).toBe('You confirmed this handoff at 15:05 CET.');

    // ── 23:00 shift change, carol → dave: no note. Reminded, chased, dave told, eve told.
    mark = h.platform.sent.length;
    await h.advance('2026-12-01T21:30:00Z');
    expect(since(h, mark, 'carol')).toEqual([expect.stringContaining('Your shift ends at 23:00 CET. Write your handoff note for @dave')]);
    await h.advance('2026-12-01T22:00:00Z');
    expect(since(h, mark, 'carol')[1]).toBe(
      'Your Ops shift ended at 23:00 CET and there is no handoff note yet. @dave is waiting for it: please write it now.\n[Write handoff]',
    );
    expect(since(h, mark, 'dave')).toEqual([
      "Your Ops shift started at 22:00 GMT. @carol hasn't written the handoff note yet; I have asked for it and will send it to you as soon as it is written.",
    ]);
    await h.advance('2026-12-01T22:14:00Z');
    expect(since(h, mark, 'eve')).toEqual([]);
    await h.advance('2026-12-01T22:15:00Z');
    expect(since(h, mark, 'eve')).toEqual([
      "Handoff note missing: Ops\n@carol went off shift at 23:00 CET with no handoff note for @dave. I chased them at 23:00 CET.\nYou get this as the rotation's supervisor.",
    ]);
    // carol writes it late, from the command; it goes out at once. She now owns ESC-1 and ESC-2 but keeps them.
    await h.advance('2026-12-01T22:30:00Z');
    await carol!.command('handoff', 'note');
    expect(h.lastForm('carol')!.fields.find((f) => f.id === 'transfer')).toBeDefined();
    await carol!.submit({ status: 'steady', section1: 'Evening was calm.', transfer: false });
    expect(h.repliesTo('carol').at(-1)).toBe('Thanks: your Ops handoff note is on its way to @dave and the channel now.');
    await h.tick();
    expect(since(h, mark, 'dave')[1]).toContain('Written: 22:30 GMT (30m after the shift ended)');
    await h.advance('2026-12-01T22:40:00Z');
    await dave!.press(buttonTo(h, 'dave', 'Confirm'));
    await h.tick();
    expect(escalations.transfers).toHaveLength(2);

    // ── 07:00 shift change, dave → alice: note on time, confirmed late.
    mark = h.platform.sent.length;
    await h.advance('2026-12-02T05:40:00Z');
    expect(since(h, mark, 'dave')).toEqual([expect.stringContaining('Your shift ends at 06:00 GMT. Write your handoff note for @alice')]);
    await dave!.press(buttonTo(h, 'dave', 'Write handoff'));
    await dave!.submit({ status: 'unstable', section1: 'Disk alarms on db-3 since 04:00.' });
    await h.advance('2026-12-02T06:14:00Z');
    expect(since(h, mark, 'alice')).toHaveLength(1);
    await h.advance('2026-12-02T06:15:00Z');
    expect(since(h, mark, 'alice')[1]).toBe(
      'Please confirm the Ops handoff from @dave: it reached you at 07:00 CET and is not confirmed yet.\n[Confirm] [Ask a question]',
    );
    await h.advance('2026-12-02T06:30:00Z');
    expect(since(h, mark, 'eve')).toEqual([
      "Handoff not confirmed: Ops\n@alice hasn't confirmed the handoff from @dave (shift started 07:00 CET). I reminded them at 07:15 CET.\nYou get this as the rotation's supervisor.",
    ]);
    await h.advance('2026-12-02T06:45:00Z');
    await alice!.press(buttonTo(h, 'alice', 'Confirm'));
    await h.advance('2026-12-02T07:00:00Z');

    // Stats and history of the day.
    await eve!.command('handoff', 'stats Ops 2d');
    expect(h.repliesTo('eve').at(-1)).toBe(
      [
        'Handoff stats, last 2d',
        'Ops',
        'Handoffs: 3',
        'Notes on time: 2 of 3 (67%); late: 1; missing: 0',
        'Confirmation rate: 3 of 3 delivered (100%)',
        'Median time to confirm: 10m',
        'Chased for a note: 1; raised to the supervisor: 2',
      ].join('\n'),
    );
    await eve!.command('handoff', 'history Ops');
    expect(h.repliesTo('eve').at(-1)).toBe(
      [
        'Ops: handoffs, last 7d',
        'Wed, 2 Dec 2026, 07:00 CET · @dave → @alice · note on time (Unstable) · confirmed 07:45 CET · raised to supervisor',
        'Disk alarms on db-3 since 04:00.',
        'Tue, 1 Dec 2026, 23:00 CET · @carol → @dave · note 30m late (Steady) · confirmed 23:40 CET · chased · raised to supervisor',
        'Evening was calm.',
        'Tue, 1 Dec 2026, 15:00 CET · @alice → @carol · note on time (Watch) · confirmed 15:05 CET',
        'Quiet morning. Printer on floor 2 still flaky.',
      ].join('\n'),
    );

    // Nothing was sent twice, and the chain goes on: the next shift change is planned.
    const sends = h.platform.sent.filter((s) => s.op !== 'update').map((s) => `${s.to}|${s.text}`);
    expect(new Set(sends).size).toBe(sends.length);
    const pending = await findJobs(database.db, { state: 'pending', kind: 'handoff.remind' });
    expect(pending.map((j) => j.runAt.toISOString())).toEqual(['2026-12-02T13:30:00.000Z']);
    await eve!.command('handoff', 'who');
    expect(h.repliesTo('eve').at(-1)).toBe(
      'Ops (Europe/Berlin)\nNow: @alice, until Wed, 2 Dec 2026, 15:00 CET\nNext: @bob, Wed, 2 Dec 2026, 15:00 CET – 23:00 CET (8h)',
    );
  });
});
