import { openTestDatabase, type TestDatabase } from '../support/database';
import { handoffHarness, resetHandoffs, rotationValues } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetHandoffs(database));

describe('the pre-filled note', () => {
  test('an escalation or blocker left out is neither shown nor handed over; unticking the checkbox keeps them', async () => {
    const { h, escalations, standups } = handoffHarness(database, '2026-11-30T22:00:00Z');
    escalations.add('alice', 'ESC-1', 'Printer down', '2026-12-01T17:00:00Z');
    escalations.add('alice', 'ESC-2', 'Handled by alice herself', '2026-12-02T09:00:00Z');
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
      userId: 'carol',
      text: 'Laptop broken',
      date: '2026-12-01',
      reportedAt: new Date('2026-12-01T08:05:00Z'),
      escalationReference: 'ESC-9',
    });
    standups.blockers.push({
      standupId: '1',
      standupName: 'Daily',
      userId: 'carol',
      text: "Yesterday's",
      date: '2026-11-30',
      reportedAt: new Date('2026-11-30T08:05:00Z'),
    });
    await h.as('eve', 'test:C-ops').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.advance('2026-12-01T13:30:00Z');
    await h.as('alice').command('handoff', 'note');
    // The day's blockers of the rotation's members: since midnight in the rotation's zone.
    expect(standups.asked.at(-1)).toEqual({ userIds: ['alice', 'bob', 'carol'], since: new Date('2026-11-30T23:00:00Z') });
    const blockers = h.lastForm('alice')!.fields.find((f) => f.id === 'blockers')!;
    expect(blockers.kind === 'multiselect' && blockers.options.map((o) => o.label)).toEqual([
      '@bob: Waiting on the vendor',
      '@carol: Laptop broken',
    ]);
    const [, carolsBlocker] = blockers.kind === 'multiselect' ? blockers.options : [];
    await h
      .as('alice')
      .submit({ status: 'steady', section1: 'Handing over the printer.', escalations: ['1'], blockers: [carolsBlocker!.value] });
    // Reopened before delivery, the form shows what was kept.
    await h.as('alice').command('handoff', 'note');
    const again = h.lastForm('alice')!;
    expect(again.fields.find((f) => f.id === 'escalations')).toMatchObject({ initial: ['1'] });
    expect(again.fields.find((f) => f.id === 'section1')).toMatchObject({ initial: 'Handing over the printer.' });
    expect(again.fields.find((f) => f.id === 'status')).toMatchObject({ initial: 'steady' });
    await h.advance('2026-12-01T14:00:00Z');
    const card = h.sentTo('bob').at(-1)!;
    expect(card).toContain(
      'Open escalations\n• ESC-1 Printer down · due Tue, 1 Dec 2026, 18:00 CET\nStand-up blockers\n• @carol: Laptop broken (Daily, ESC-9)\nConfirming hands @bob this escalation.',
    );
    expect(card).not.toContain('ESC-2');
    await h.as('bob').press(h.buttonsOf(h.platform.sent.filter((s) => s.to === 'bob').at(-1)!)[0]!);
    await h.tick();
    expect(escalations.transfers.map((t) => t.escalationId)).toEqual(['1']);

    // bob keeps his: the checkbox unticked, nothing is transferred on confirmation.
    escalations.add('bob', 'ESC-3', 'Bob keeps this', '2026-12-03T09:00:00Z');
    await h.advance('2026-12-01T21:40:00Z');
    await h.as('bob').command('handoff', 'note');
    await h.as('bob').submit({ status: 'steady', section1: 'Keeping ESC-3.', transfer: false });
    await h.advance('2026-12-01T22:00:00Z');
    expect(h.sentTo('carol').at(-1)).toContain('Waiting for @carol to confirm.');
    await h.as('carol').press(h.buttonsOf(h.platform.sent.filter((s) => s.to === 'carol').at(-1)!)[0]!);
    expect(h.repliesTo('carol').at(-1)).toBe('Handoff confirmed at 23:00 CET. You are on shift for Ops.');
    await h.tick();
    expect(escalations.transfers.map((t) => t.escalationId)).toEqual(['1']);
  });
});
