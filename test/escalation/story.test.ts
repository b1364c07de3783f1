import { findJobs } from '../../src/storage/jobs-repository';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { GENERAL, TEAM, buttonOn, card, cardRef, createPolicy, dms, makeAdmin, pendingJobs, raise, resetDatabase, thread } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await resetDatabase(database);
});

describe('the escalation story, end to end: what a team relies on, from raise to stats', () => {
  test('SEV2 with a two-level policy: climbs, is acknowledged, reminded, goes overdue, is chased, resolved, shown and counted', async () => {
    // Monday 30 Nov 2026, 10:00 in Berlin.
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'Ops', [
      { users: ['carol'], wait: '15' },
      { users: ['dave'], wait: '30' },
    ]);
    await h.as('erin').command('escalate', 'policy default Ops');

    // Raise: SEV2, owner bob, due by default (4 h).
    expect(await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob', recommendation: 'Buy a new one' })).toEqual({
      status: 'done',
    });
    expect(h.repliesTo('alice').at(-1)).toBe(
      'Raised ESC-1: Printer down\nPosted in the channel · owner @bob · due Mon, 30 Nov 2026, 14:00 CET · policy Ops',
    );
    const posted = h.platform.sent.find((s) => s.op === 'post' && s.ref === cardRef(h, 'ESC-1'))!;
    expect(posted.to).toBe(GENERAL);
    expect(posted.text).toContain('ESC-1 · SEV2 · Printer down');
    expect(dms(h, 'bob')[0]!.text).toContain('You own ESC-1, raised by @alice.');
    // Level 1 is notified at once.
    expect(dms(h, 'carol').map((s) => s.text)).toEqual([
      expect.stringContaining('ESC-1 needs someone to acknowledge it. You are on level 1 of 2 of Ops.'),
    ]);
    expect(card(h, 'ESC-1').text).toContain('Escalation policy: Ops: level 1 of 2 notified');

    // Nobody acknowledges: level 2 is notified at 10:15, not a minute before.
    await h.advance('2026-11-30T09:14:00Z');
    expect(dms(h, 'dave')).toEqual([]);
    await h.advance('2026-11-30T09:15:00Z');
    expect(dms(h, 'dave').map((s) => s.text)).toEqual([
      expect.stringContaining('ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of Ops.'),
    ]);
    expect(card(h, 'ESC-1').text).toContain('Escalation policy: Ops: level 2 of 2 notified');

    // The level-2 person acknowledges from the page: the chain stops.
    await h.advance('2026-11-30T09:20:00Z');
    await h.as('dave').press(buttonOn(h, dms(h, 'dave')[0]!, 'Acknowledge'));
    expect(h.repliesTo('dave').at(-1)).toBe('You acknowledged ESC-1: Printer down. The escalation policy stops here.');
    expect(card(h, 'ESC-1').text).toContain('Status: Acknowledged by @dave');
    expect(dms(h, 'bob').at(-1)!.text).toContain('@dave acknowledged ESC-1 Printer down.');
    expect((await pendingJobs(h)).map((j) => j.kind).sort()).toEqual(['escalation.due', 'escalation.due']);
    await h.advance('2026-11-30T10:30:00Z');
    expect(dms(h, 'carol')).toHaveLength(1);
    expect(dms(h, 'dave')).toHaveLength(1);

    // The owner is reminded an hour (a quarter of the 4 h given) before the due time.
    const bobBefore = dms(h, 'bob').length;
    await h.advance('2026-11-30T11:59:00Z');
    expect(dms(h, 'bob')).toHaveLength(bobBefore);
    await h.advance('2026-11-30T12:00:00Z');
    expect(dms(h, 'bob').at(-1)!.text).toContain('Reminder: ESC-1 Printer down is due Mon, 30 Nov 2026, 14:00 CET (in 1h).');

    // At the due time it goes overdue; then it is chased every hour.
    await h.advance('2026-11-30T13:00:00Z');
    expect(dms(h, 'bob').at(-1)!.text).toContain('ESC-1 Printer down is now overdue: it was due Mon, 30 Nov 2026, 14:00 CET.');
    expect(card(h, 'ESC-1').text).toContain('Due: Mon, 30 Nov 2026, 14:00 CET (overdue)');
    await h.advance('2026-11-30T14:00:00Z');
    expect(dms(h, 'bob').at(-1)!.text).toContain('ESC-1 Printer down has been overdue for 1h (due Mon, 30 Nov 2026, 14:00 CET).');

    // The owner resolves it: every pending reminder is cancelled.
    await h.advance('2026-11-30T14:30:00Z');
    await h.as('bob').press(buttonOn(h, card(h, 'ESC-1'), 'Resolve'));
    expect(h.lastForm('bob')?.title).toBe('Resolve ESC-1');
    await h.as('bob').submit({ resolution: 'Bought a new printer; the old one is recycled.' });
    expect(h.repliesTo('bob').at(-1)).toBe(
      'Resolved ESC-1: Printer down. The decision is recorded and every pending reminder is cancelled.',
    );
    expect(card(h, 'ESC-1').text).toContain('Status: Resolved by @bob');
    expect(card(h, 'ESC-1').text).toContain('Decision\nBought a new printer; the old one is recycled.');
    expect(h.buttonsOf(card(h, 'ESC-1')).map((b) => b.label)).toEqual(['Reopen']);
    expect(dms(h, 'alice').at(-1)!.text).toContain('@bob resolved ESC-1 Printer down.');
    const pending = await pendingJobs(h);
    expect(pending.map((j) => j.kind)).toEqual(['escalation.card']); // only the card refresh when the reopen window closes
    const cancelled = await findJobs(database.db, { owner: 'escalation:1', state: 'cancelled' });
    expect(cancelled.map((j) => [j.kind, j.runAt.toISOString()])).toContainEqual(['escalation.due', '2026-11-30T15:00:00.000Z']);
    const bobAfter = dms(h, 'bob').length;
    await h.advance('2026-12-01T09:00:00Z');
    expect(dms(h, 'bob')).toHaveLength(bobAfter);

    // The timeline under the card and in `show` has every step.
    expect(thread(h, 'ESC-1')).toEqual([
      'Level 1 notified: @carol',
      'Level 2 notified: @dave',
      'Acknowledged by @dave',
      'Overdue: it was due Mon, 30 Nov 2026, 14:00 CET',
      'Resolved by @bob (after the due time): Bought a new printer; the old one is recycled.',
    ]);
    await h.as('alice').command('escalate', 'show ESC-1');
    const shown = h.repliesTo('alice').at(-1)!;
    const timeline = shown.slice(shown.indexOf('Timeline')).split('\n').slice(1, -1);
    expect(timeline).toEqual([
      'Mon, 30 Nov 2026, 10:00 CET · Raised by @alice: SEV2, owner @bob, due Mon, 30 Nov 2026, 14:00 CET, policy Ops',
      'Mon, 30 Nov 2026, 10:00 CET · Level 1 notified: @carol',
      'Mon, 30 Nov 2026, 10:15 CET · Level 2 notified: @dave',
      'Mon, 30 Nov 2026, 10:20 CET · Acknowledged by @dave',
      'Mon, 30 Nov 2026, 13:00 CET · Owner reminded: due Mon, 30 Nov 2026, 14:00 CET',
      'Mon, 30 Nov 2026, 14:00 CET · Overdue: it was due Mon, 30 Nov 2026, 14:00 CET',
      'Mon, 30 Nov 2026, 15:00 CET · Owner chased (reminder 1 since it went overdue)',
      'Mon, 30 Nov 2026, 15:30 CET · Resolved by @bob (after the due time): Bought a new printer; the old one is recycled.',
    ]);
    expect(shown).toContain('Impact\nThe whole floor cannot print');
    expect(shown).toContain('Recommended decision\nBuy a new one');

    // Stats count it.
    await h.as('alice').command('escalate', 'stats 7d');
    const stats = h.repliesTo('alice').at(-1)!;
    expect(stats).toContain('Raised 1 · Resolved 1 · Open now 0 · Overdue now 0 · Resolved late 1');
    expect(stats).toContain('Time to acknowledge: median 20m, p90 20m (1 acknowledged)');
    expect(stats).toContain('Time to resolve: median 5h 30m, p90 5h 30m (1 resolved)');
    expect(stats).toContain('SEV2: raised 1, resolved 1, open 0, overdue now 0, resolved late 1');
  });
});
