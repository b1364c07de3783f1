import { sql } from 'kysely';
import { PlatformError } from '../../src/core/errors';
import { UnreadableDirectMessage, listDirectMessagesBehind } from '../../src/storage/escalation/direct-messages-repository';
import { openTestDatabase, rows, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import type { Sent } from '../support/recording-platform';
import { TEAM, buttonOn, card, createPolicy, dms, makeAdmin, raise, resetDatabase, thread } from './support';

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

/** ESC-1 raised by alice for bob at 10:00 CET, due 14:00; Ops pages carol, then dave after 15 minutes. */
async function paged(h: Harness): Promise<void> {
  await makeAdmin(h, 'erin');
  await createPolicy(h, 'erin', 'Ops', [
    { users: ['carol'], wait: '15' },
    { users: ['dave'], wait: '30' },
  ]);
  await h.as('erin').command('escalate', 'policy default Ops');
  await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob' });
  await h.advance('2026-11-30T09:15:00Z');
}

/** A direct message as it looks now: its last update, or as sent. */
function now(h: Harness, sent: Sent): string {
  const updates = h.platform.sent.filter((s) => s.op === 'update' && s.to === sent.ref);
  return (updates[updates.length - 1] ?? sent).text;
}

const updatesOf = (h: Harness, sent: Sent) => h.platform.sent.filter((s) => s.op === 'update' && s.to === sent.ref);
const buttonLine = (text: string) => text.split('\n').at(-1);

describe('direct messages follow the escalation', () => {
  test("acknowledged on the card: the owner's notice and every page lose Acknowledge and say who acknowledged", async () => {
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await paged(h);
    const owned = dms(h, 'bob')[0]!;
    const [carolPage] = dms(h, 'carol');
    const [davePage] = dms(h, 'dave');
    expect(owned.text).toContain('You own ESC-1');
    expect(buttonLine(owned.text)).toBe('[Acknowledge] [Add update] [Change due] [Resolve] [View]');
    expect(buttonLine(davePage!.text)).toBe('[Acknowledge] [View]');
    // A change that shows on none of them (a policy level) sends no update.
    expect(updatesOf(h, owned)).toEqual([]);

    await h.as('bob').press(buttonOn(h, card(h, 'ESC-1'), 'Acknowledge'));

    expect(card(h, 'ESC-1').text).toContain('Status: Acknowledged by @bob');
    expect(now(h, owned)).toContain('You own ESC-1, raised by @alice.');
    expect(now(h, owned)).toContain('Now: acknowledged by @bob\n[Add update] [Change due] [Resolve] [View]');
    // No page asks anything of its reader any more: each says so first, and keeps only View.
    for (const page of [carolPage!, davePage!]) {
      expect(now(h, page)).toMatch(/^No longer needed: @bob acknowledged it\.\nESC-1 needs someone to acknowledge it\./);
      expect(buttonLine(now(h, page))).toBe('[View]');
    }
    // Once each, and nothing when a later change does not show on them.
    expect(updatesOf(h, owned)).toHaveLength(1);
    await h.as('carol').command('escalate', 'update ESC-1 Toner ordered');
    expect(updatesOf(h, owned)).toHaveLength(1);
    expect(updatesOf(h, davePage!)).toHaveLength(1);
  });

  test('resolved: the notice and the reminders say so and keep only View; then they are forgotten', async () => {
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await paged(h);
    await h.advance('2026-11-30T12:00:00Z');
    const owned = dms(h, 'bob')[0];
    const reminder = dms(h, 'bob').at(-1);
    expect(reminder!.text).toContain('Reminder: ESC-1 Printer down is due Mon, 30 Nov 2026, 14:00 CET (in 1h).');
    // bob's notice, the two pages, "nobody acknowledged" to bob and alice, the reminder.
    expect(await rows(database.db, 'escalation_direct_messages')).toHaveLength(6);

    // The due time moves: the reminder still says what it said, and when it is due now.
    await h.as('bob').command('escalate', 'due ESC-1 +3h Waiting for the supplier');
    expect(now(h, reminder!)).toContain('is due Mon, 30 Nov 2026, 14:00 CET (in 1h).');
    expect(now(h, reminder!)).toContain('Now: due Mon, 30 Nov 2026, 16:00 CET\n[Acknowledge] [Add update] [Change due] [Resolve] [View]');

    await h.advance('2026-11-30T12:30:00Z');
    await h.as('bob').press(buttonOn(h, card(h, 'ESC-1'), 'Resolve'));
    await h.as('bob').submit({ resolution: 'New printer bought.' });

    const resolvedFirst = /^Resolved by @bob: nothing more to do here\.\n/;
    for (const sent of [owned!, reminder!, dms(h, 'dave')[0]!, dms(h, 'alice').find((s) => s.text.startsWith('Nobody acknowledged'))!]) {
      expect(now(h, sent)).toMatch(resolvedFirst);
      expect(buttonLine(now(h, sent))).toBe('[View]');
    }
    expect(await rows(database.db, 'escalation_direct_messages')).toEqual([]);

    // Reopened: new messages go out; the old ones are not touched again.
    const before = h.platform.sent.filter((s) => s.op === 'update' && s.to === owned!.ref).length;
    await h.as('bob').command('escalate', 'reopen ESC-1 It broke again');
    await h.advance('2026-11-30T12:40:00Z');
    expect(updatesOf(h, owned!)).toHaveLength(before);
    const newPage = dms(h, 'carol').at(-1)!;
    expect(newPage.text).toContain('ESC-1 needs someone to acknowledge it.');
    expect((await rows(database.db, 'escalation_direct_messages')).map((r) => r.message_ref)).toEqual([newPage.ref]);
  });

  test("reassigned: the old owner's messages say first that it is no longer theirs, and keep only View", async () => {
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await paged(h);
    await h.advance('2026-11-30T12:00:00Z');
    const [owned, reminder] = [dms(h, 'bob')[0]!, dms(h, 'bob').at(-1)!];
    expect(reminder.text).toMatch(/^Reminder: ESC-1/);
    await h.as('alice').command('escalate', 'reassign ESC-1 <@frank> Bob is away');
    for (const sent of [owned, reminder]) {
      expect(now(h, sent)).toMatch(/^You no longer own ESC-1: @frank does now\.\n/);
      expect(buttonLine(now(h, sent))).toBe('[View]');
    }
    // The new owner's messages still apply.
    expect(buttonLine(dms(h, 'frank').at(-1)!.text)).toBe('[Acknowledge] [Add update] [Change due] [Resolve] [View]');
  });

  test('an old owner the first level paged too may still acknowledge from the one message they got', async () => {
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'Ops', [{ users: ['bob', 'carol'], wait: '15' }]);
    await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob', policy: '1' });
    const [owned] = dms(h, 'bob');
    expect(dms(h, 'bob')).toHaveLength(1);
    expect(owned!.text).toMatch(/^You own ESC-1, raised by @alice, and are on level 1 of 1 of Ops\./);
    await h.as('alice').command('escalate', 'reassign ESC-1 <@frank>');
    expect(now(h, owned!)).toMatch(
      /^You no longer own ESC-1: @frank does now\. You may still acknowledge it: the escalation policy paged you\.\n/,
    );
    expect(buttonLine(now(h, owned!))).toBe('[Acknowledge] [View]');
    await h.as('bob').press(buttonOn(h, owned!, 'Acknowledge'));
    expect(card(h, 'ESC-1').text).toContain('Status: Acknowledged by @bob');
    expect(buttonLine(now(h, owned!))).toBe('[View]');
  });

  test('reopened by the raiser: the owner on level 1 hears it once, in the reopened notice that names the level', async () => {
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'Ops', [{ users: ['bob'], wait: '15' }]);
    await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob', policy: '1' });
    await h.as('bob').command('escalate', 'resolve ESC-1 Bought a new one');
    const before = dms(h, 'bob').length;
    await h.as('alice').command('escalate', 'reopen ESC-1 It jams again');
    const after = dms(h, 'bob').slice(before);
    expect(after.map((s) => s.text.split('\n')[0])).toEqual([
      '@alice reopened ESC-1 Printer down: It jams again. Due Mon, 30 Nov 2026, 14:00 CET. You own it and are on level 1 of 1 of Ops.',
    ]);
    expect(buttonLine(after[0]!.text)).toBe('[Acknowledge] [Add update] [Change due] [Resolve] [View]');
    expect(thread(h, 'ESC-1').slice(-2)).toEqual([
      'Reopened by @alice: It jams again; due Mon, 30 Nov 2026, 14:00 CET',
      'Level 1 notified: @bob',
    ]);
  });

  test('one failing message does not hold up the card or the others; it is retried, and a deleted one is forgotten', async () => {
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await paged(h);
    const owned = dms(h, 'bob')[0]!;
    const [carolPage] = dms(h, 'carol');
    const [davePage] = dms(h, 'dave');
    h.platform.failures.set(owned.ref, new PlatformError('RATE_LIMITED', 'slow down'));
    h.platform.failures.set(carolPage!.ref, new PlatformError('NOT_FOUND', 'message_not_found'));

    await h.as('dave').press(buttonOn(h, davePage!, 'Acknowledge'));
    expect(card(h, 'ESC-1').text).toContain('Status: Acknowledged by @dave');
    expect(now(h, davePage!)).toMatch(/^Acknowledged by you\.\n/);
    expect(buttonLine(now(h, davePage!))).toBe('[View]');
    expect(now(h, owned)).toContain('[Acknowledge]');
    expect((await rows(database.db, 'escalation_direct_messages')).map((r) => r.user_id).sort()).toEqual(['bob', 'dave']);

    h.platform.failures.delete(owned.ref);
    await h.advance('2026-11-30T09:30:00Z');
    expect(now(h, owned)).toContain('Now: acknowledged by @dave\n[Add update] [Change due] [Resolve] [View]');
  });

  test('a restart between the change and the update: the next process updates them', async () => {
    const first = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await paged(first);
    const owned = dms(first, 'bob')[0]!;
    expect(await first.steady.scheduler.stop()).toBe(true);
    await first.as('bob').command('escalate', 'ack ESC-1');
    expect(updatesOf(first, owned)).toEqual([]);

    const second = new Harness(database, { start: '2026-11-30T09:16:00Z', people: TEAM });
    await second.advance(0);
    const updated = second.platform.sent.filter((s) => s.op === 'update' && s.to === owned.ref);
    expect(updated.map((s) => buttonLine(s.text))).toEqual(['[Add update] [Change due] [Resolve] [View]']);
    expect(updated[0]!.text).toContain('Now: acknowledged by @bob');
  });

  test('what is stored about a followed message is read back checked: a row that cannot be read is named, not drawn from guesses', async () => {
    const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await paged(h);
    const [e] = await rows(database.db, 'escalations');
    const stored = await listDirectMessagesBehind(database.db, String(e!.id), 2 ** 31 - 1);
    expect(stored.map((m) => [m.userId, m.message.kind]).sort()).toEqual([
      ['bob', 'notice'],
      ['carol', 'page'],
      ['dave', 'page'],
    ]);
    expect(stored.find((m) => m.userId === 'carol')!.message).toEqual({ kind: 'page', level: 1, levels: 2, why: 'policy' });
    await sql`update escalation_direct_messages set args = '{"notice":"sideways"}' where kind = 'notice'`.execute(database.db);
    await expect(listDirectMessagesBehind(database.db, String(e!.id), 2 ** 31 - 1)).rejects.toBeInstanceOf(UnreadableDirectMessage);
  });
});
