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

/**
 * 25 October 2026, Berlin falls back from CEST to CET at 03:00: the night shift 23:00–07:00 is 9
 * hours; its start and end stay at 23:00 and 07:00 on the wall clock, and so do the reminder and
 * the shift change.
 */
describe('a night shift across the autumn DST change in Europe/Berlin', () => {
  test('is 9 hours long, and its handoff happens at 07:00 CET', async () => {
    const { h, onShift } = handoffHarness(database, '2026-10-24T06:00:00Z');
    const eve = h.as('eve', 'test:C-ops');
    await eve.command('handoff', 'rotation create');
    // Created at 08:00 CEST on Saturday: cat covers the shift in progress, ann the one starting 15:00.
    await eve.submit(rotationValues({ name: 'Nights', members: ['cat', 'ann', 'ben'], start: '2026-10-24' }));
    expect(h.repliesTo('eve')[0]).toContain('On shift now: @cat, until 15:00 CEST.');

    await h.advance('2026-10-24T20:00:00Z');
    await h.as('ann').command('handoff', 'who');
    expect(h.repliesTo('ann').at(-1)).toBe(
      'Nights (Europe/Berlin)\nNow: @ann, until Sat, 24 Oct 2026, 23:00 CEST\nNext: @ben, Sat, 24 Oct 2026, 23:00 CEST – 07:00 CET (9h)',
    );
    // Reminded at 22:30 CEST for the 23:00 shift change.
    await h.advance('2026-10-24T20:30:00Z');
    expect(h.sentTo('ann').at(-1)).toContain('Your shift ends at 23:00 CEST. Write your handoff note for @ben');

    const rotationId = (await onShift.rotations('test:W1'))[0]!.id;
    const who = (iso: string) => onShift.onShift('test:W1', rotationId, new Date(iso));
    expect(await who('2026-10-24T20:59:59Z')).toEqual(['ann']);
    expect(await who('2026-10-24T21:00:00Z')).toEqual(['ben']); // 23:00 CEST
    expect(await who('2026-10-25T00:30:00Z')).toEqual(['ben']); // 02:30 CEST, the first time
    expect(await who('2026-10-25T01:30:00Z')).toEqual(['ben']); // 02:30 CET, the second time
    expect(await who('2026-10-25T05:59:59Z')).toEqual(['ben']);
    expect(await who('2026-10-25T06:00:00Z')).toEqual(['cat']); // 07:00 CET

    // The reminder comes at 06:30 CET (05:30 UTC), not an hour early.
    await h.advance('2026-10-25T05:29:00Z');
    expect(h.sentTo('ben').filter((t) => t.startsWith('Handoff due'))).toEqual([]);
    await h.advance('2026-10-25T05:30:00Z');
    expect(h.sentTo('ben').at(-1)).toBe(
      'Handoff due: Nights\nYour shift ends at 07:00 CET. Write your handoff note for @cat, who takes over Sun, 25 Oct 2026, 07:00 CET.\n[Write handoff]',
    );
    await h.as('ben').command('handoff', 'note');
    await h.as('ben').submit({ status: 'steady', section1: 'Long night, one extra hour. All quiet.' });
    await h.advance('2026-10-25T05:59:00Z');
    expect(h.sentTo('cat').filter((t) => t.startsWith('Handoff ·'))).toEqual([]);
    await h.advance('2026-10-25T06:00:00Z');
    expect(h.sentTo('cat').at(-1)).toContain('From @ben to @cat · shift change Sun, 25 Oct 2026, 07:00 CET');

    await h.as('cat').command('handoff', 'who Nights');
    expect(h.repliesTo('cat').at(-1)).toBe(
      'Nights (Europe/Berlin)\nNow: @cat, until Sun, 25 Oct 2026, 15:00 CET\nNext: @ann, Sun, 25 Oct 2026, 15:00 CET – 23:00 CET (8h)',
    );
  });
});
