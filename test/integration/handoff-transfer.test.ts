import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { card, raise, thread } from '../escalation/support';
import { createStandup } from '../standup/support';
import { OPS, TEAM_CHANNEL, createRotation, lastButton, resetDatabase, since, steadyAt } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database));

async function owners(h: Harness): Promise<string[]> {
  const rows = await h.database.db.selectFrom('escalations').select(['number', 'owner_id', 'status']).orderBy('number').execute();
  return rows.map((e) => `ESC-${e.number} ${e.owner_id} ${e.status}`);
}

/** The timeline lines of `/escalate show`, without their times. */
async function timeline(h: Harness, reference: string): Promise<string[]> {
  await h.as('erin').command('escalate', `show ${reference}`);
  const shown = h.repliesTo('erin').at(-1)!;
  return shown
    .slice(shown.indexOf('Timeline'))
    .split('\n')
    .slice(1)
    .filter((l) => l.includes(' · '))
    .map((l) => l.slice(l.indexOf(' · ') + 3));
}

/**
 * alice goes off shift at 15:00 Berlin owning two escalations, with a colleague blocked in the
 * morning's stand-up. Her note is pre-filled with both and the blocker; "hand my open escalations
 * to the next shift" stays ticked. bob confirms the note: what alice still owns becomes his, each
 * escalation's timeline and card say so, and its reminders go to bob from then on.
 */
describe("a handoff that hands the outgoing person's escalations to the next shift", () => {
  test('pre-fills the note, and on confirmation makes the incoming person the owner, on the timeline', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await createStandup(h, 'carol', { name: 'Daily', participants: ['carol', 'dave'] }, TEAM_CHANNEL);

    // Tuesday morning: carol is blocked; alice (on shift 07:00–15:00) comes to own two escalations.
    await h.advance('2026-12-01T08:35:00Z');
    for (const text of ['Patched db-2', 'Upgrade db-3', 'Waiting on the storage vendor'])
      await h.as('carol', 'test:D-carol').directMessage(text);
    await raise(h, 'erin', { title: 'Printer down', owner: 'alice', severity: 'SEV2' });
    await h.advance('2026-12-01T12:00:00Z');
    await raise(h, 'erin', { title: 'Backups failing', owner: 'alice', severity: 'SEV2' });
    await raise(h, 'erin', { title: 'Carol keeps this', owner: 'carol', severity: 'SEV3' });

    // 14:30 Berlin: alice is reminded and writes the note from the pre-filled form.
    let mark = h.platform.sent.length;
    await h.advance('2026-12-01T13:30:00Z');
    expect(since(h, mark, 'alice').filter((t) => t.startsWith('Handoff'))).toEqual([
      'Handoff due: Ops\nYour shift ends at 15:00 CET. Write your handoff note for @bob, who takes over Tue, 1 Dec 2026, 15:00 CET.\n' +
        "The form is pre-filled with your 2 open escalations (1 overdue) and today's stand-up blockers.\n[Write handoff]",
    ]);
    await h.as('alice').press(lastButton(h, 'alice', 'Write handoff'));
    const form = h.lastForm('alice')!;
    const labels = (id: string) => {
      const field = form.fields.find((f) => f.id === id);
      return field?.kind === 'multiselect' ? field.options.map((o) => o.label) : [];
    };
    expect(labels('escalations')).toEqual([
      'ESC-1 Printer down · overdue since Tue, 1 Dec 2026, 13:35 CET',
      'ESC-2 Backups failing · due Tue, 1 Dec 2026, 17:00 CET',
    ]);
    expect(labels('blockers')).toEqual(['@Carol: Waiting on the storage vendor']);
    expect(form.fields.find((f) => f.id === 'transfer')).toMatchObject({ kind: 'checkbox', initial: true });
    expect(await h.as('alice').submit({ status: 'watch', section1: 'Printer and backups both still open.' })).toEqual({ status: 'done' });

    // 15:00: the note reaches bob and the channel, naming what confirming hands him.
    mark = h.platform.sent.length;
    await h.advance('2026-12-01T14:00:00Z');
    const [posted] = since(h, mark, OPS);
    expect(posted).toContain(
      'Open escalations\n• ESC-1 Printer down · overdue since Tue, 1 Dec 2026, 13:35 CET\n• ESC-2 Backups failing · due Tue, 1 Dec 2026, 17:00 CET',
    );
    expect(posted).toContain('Stand-up blockers\n• @carol: Waiting on the storage vendor (Daily)');
    expect(posted).toContain('Confirming hands @bob these 2 escalations.');
    expect(await owners(h)).toEqual(['ESC-1 alice open', 'ESC-2 alice open', 'ESC-3 carol open']);

    // bob confirms at 15:05: both are his, each on its timeline, card and in each person's messages.
    await h.advance('2026-12-01T14:05:00Z');
    mark = h.platform.sent.length;
    await h.as('bob').press(lastButton(h, 'bob', 'Confirm'));
    await h.tick();
    expect(await owners(h)).toEqual(['ESC-1 bob open', 'ESC-2 bob open', 'ESC-3 carol open']);
    expect(since(h, mark, 'alice')).toContain('@bob confirmed your Ops handoff at 15:05 CET. ESC-1 and ESC-2 are now theirs.');
    expect(since(h, mark, 'bob').filter((t) => t.includes('was handed over to you'))).toHaveLength(2);
    expect(card(h, 'ESC-2').text).toContain('Owner: @bob');
    expect(thread(h, 'ESC-2').at(-1)).toBe(
      'Handed over from @alice to @bob at a shift handoff: Shift handoff in Ops: handed over with the note and confirmed',
    );
    expect((await timeline(h, 'ESC-2')).at(-1)).toBe(
      'Handed over from @alice to @bob at a shift handoff: Shift handoff in Ops: handed over with the note and confirmed',
    );
    const noteNow = h.platform.sent.filter((s) => s.op === 'update' && s.text.startsWith('Handoff · Ops')).at(-1)!;
    expect(noteNow.text).toContain('Confirmed by @bob at 15:05 CET. Handed over: ESC-1, ESC-2.');

    // ESC-1 (overdue since 13:35) is chased, and ESC-2 reminded before 17:00: bob now, not alice.
    mark = h.platform.sent.length;
    await h.advance('2026-12-01T15:00:00Z');
    expect(since(h, mark, 'bob').map((t) => t.split('\n')[0])).toEqual([
      'Still overdue after 2h: ESC-1 Printer down was due Tue, 1 Dec 2026, 13:35 CET. This is reminder 2 since it went overdue, with no decision yet.',
      'Reminder: ESC-2 Backups failing is due Tue, 1 Dec 2026, 17:00 CET (in 1h).',
    ]);
    expect(since(h, mark, 'alice')).toEqual([]);
  });

  test('hands over only what was kept and is still open and hers when confirmed', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await h.advance('2026-12-01T12:00:00Z');
    for (const title of ['Printer down', 'Backups failing', 'Alice keeps this'])
      await raise(h, 'erin', { title, owner: 'alice', severity: 'SEV3' });
    await h.advance('2026-12-01T13:30:00Z');
    await h.as('alice').press(lastButton(h, 'alice', 'Write handoff'));
    expect(await h.as('alice').submit({ status: 'steady', section1: 'Calm.', escalations: ['1', '2'] })).toEqual({ status: 'done' });
    await h.advance('2026-12-01T14:00:00Z');

    // Between the note and the confirmation ESC-2 is resolved by whoever raised it.
    await h.as('erin').command('escalate', 'resolve ESC-2 Restored from the night before');
    await h.advance('2026-12-01T14:10:00Z');
    const mark = h.platform.sent.length;
    await h.as('bob').press(lastButton(h, 'bob', 'Confirm'));
    await h.tick();
    expect(await owners(h)).toEqual(['ESC-1 bob open', 'ESC-2 alice resolved', 'ESC-3 alice open']);
    expect(since(h, mark, 'alice').filter((t) => t.includes('confirmed your Ops handoff'))).toEqual([
      '@bob confirmed your Ops handoff at 15:10 CET. ESC-1 is now theirs.',
    ]);
    expect((await timeline(h, 'ESC-2')).at(-1)).toBe('Resolved by @erin: Restored from the night before');
    expect((await timeline(h, 'ESC-3')).some((l) => l.startsWith('Handed over'))).toBe(false);
  });

  test('an escalated stand-up blocker handed over with its escalation stays in the next note until resolved', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await createStandup(h, 'carol', { name: 'Daily', participants: ['carol'] }, TEAM_CHANNEL);
    await h.advance('2026-12-01T08:35:00Z');
    for (const text of ['Patched db-2', 'Upgrade db-3', 'Waiting on the storage vendor'])
      await h.as('carol', 'test:D-carol').directMessage(text);
    await h.as('carol', TEAM_CHANNEL).press(lastButton(h, TEAM_CHANNEL, 'Escalate'));
    expect(await h.as('carol', TEAM_CHANNEL).submit({ owner: 'alice', severity: 'SEV3' })).toEqual({ status: 'done' });

    // alice hands it to bob at 15:00.
    await h.advance('2026-12-01T13:30:00Z');
    await h.as('alice').press(lastButton(h, 'alice', 'Write handoff'));
    await h.as('alice').submit({ status: 'watch', section1: 'Storage vendor pending.' });
    const mark = h.platform.sent.length;
    await h.advance('2026-12-01T14:05:00Z');
    expect(since(h, mark, OPS)[0]).toContain('Stand-up blockers\n• @carol: Waiting on the storage vendor (Daily, ESC-1)');
    await h.as('bob').press(lastButton(h, 'bob', 'Confirm'));
    await h.tick();
    expect(await owners(h)).toEqual(['ESC-1 bob open']);

    // bob's own note at 23:00 still carries carol's blocker: its escalation is open, now his.
    await h.advance('2026-12-01T21:30:00Z');
    await h.as('bob').press(lastButton(h, 'bob', 'Write handoff'));
    const offered = (id: string) => {
      const field = h.lastForm('bob')!.fields.find((f) => f.id === id);
      return field?.kind === 'multiselect' ? field.options.map((o) => o.label) : [];
    };
    expect(offered('escalations')).toEqual(['ESC-1 Waiting on the storage vendor · due Wed, 2 Dec 2026, 17:00 CET']);
    expect(offered('blockers')).toEqual(['@Carol: Waiting on the storage vendor']);

    // Resolved: neither is offered any more.
    await h.as('bob').command('escalate', 'resolve ESC-1 Vendor shipped the disks');
    await h.as('bob').command('handoff', 'note');
    expect(offered('escalations')).toEqual([]);
    expect(offered('blockers')).toEqual([]);
  });
});
