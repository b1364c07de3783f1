import { openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import type { Sent } from '../support/recording-platform';
import { createPolicy, makeAdmin, raise } from '../escalation/support';
import { createStandup } from '../standup/support';
import { TEAM, TEAM_CHANNEL, createRotation, lastButton, resetDatabase } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database));

function instanceAt(start: string): Harness {
  return new Harness(database, { start, people: TEAM });
}

/** Direct messages and channel posts (not updates or thread replies), as "to: first line". */
function notifications(sent: readonly Sent[]): string[] {
  return sent.filter((s) => s.op === 'direct' || (s.op === 'post' && !s.threadOf)).map((s) => `${s.to}: ${s.text.split('\n')[0]}`);
}

/**
 * Tuesday in Berlin with a stand-up, an escalation climbing its policy and a shift change ahead.
 * Steady stops mid-morning and another instance starts on the same database after an outage, and
 * once more in the afternoon: whatever was pending is sent once, by whichever instance is running,
 * and nothing already sent is sent again.
 */
describe('a restart mid-day', () => {
  test('loses no stand-up reminder, escalation page or chase, or handoff reminder, and repeats none', async () => {
    const first = instanceAt('2026-11-30T08:00:00Z');
    await createRotation(first, 'eve');
    await createStandup(first, 'carol', { name: 'Daily', participants: ['alice', 'bob'] }, TEAM_CHANNEL);
    await makeAdmin(first, 'erin');
    await createPolicy(first, 'erin', 'Ops', [
      { users: ['dave'], wait: '10' },
      { users: ['erin'], wait: '10' },
    ]);

    await first.advance('2026-12-01T08:00:00Z');
    first.platform.clear();

    // 09:30 Berlin: both are asked; alice answers. At 09:40 an escalation is raised; level 1 pages dave.
    await first.advance('2026-12-01T08:30:00Z');
    for (const text of ['Did A', 'Do B', 'no']) await first.as('alice', 'test:D-alice').directMessage(text);
    await first.advance('2026-12-01T08:40:00Z');
    await raise(first, 'erin', { title: 'Printer down', owner: 'carol', severity: 'SEV2', policy: await policyId(first) });
    await first.advance('2026-12-01T08:45:00Z');
    expect(await first.steady.scheduler.stop()).toBe(true);

    // Down from 09:45 to 10:40: level 2 (09:50) and bob's stand-up reminder (10:30) fall in the outage.
    const second = instanceAt('2026-12-01T09:40:00Z');
    await second.advance(0);
    expect(notifications(second.platform.sent).sort()).toEqual([
      'bob: Reminder: Daily (Tue, 1 Dec 2026) is waiting for your answers. They are due by 12:30 CET.',
      'erin: ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of Ops.',
    ]);
    // Through the cut-off, the due reminder, overdue, the first chase and the handoff reminder.
    await second.advance('2026-12-01T13:35:00Z');
    expect(await second.steady.scheduler.stop()).toBe(true);

    // A second restart: alice writes her note from the reminder the previous instance sent.
    const third = instanceAt('2026-12-01T13:40:00Z');
    await third.advance(0);
    await third.as('alice').press(lastButton(second, 'alice', 'Write handoff'));
    expect(await third.as('alice').submit({ status: 'steady', section1: 'Quiet.' })).toEqual({ status: 'done' });
    await third.advance('2026-12-01T14:45:00Z');

    const all = [first, second, third].flatMap((h) => notifications(h.platform.sent));
    // In the order they were due; jobs due together may run in either order.
    expect(all.filter((n) => !n.startsWith('test:C-')).sort()).toEqual(
      [
        'alice: Daily · Tue, 1 Dec 2026',
        'bob: Daily · Tue, 1 Dec 2026',
        'carol: You own ESC-1, raised by @erin. Please acknowledge it, then drive it to a decision by the due time.',
        'dave: ESC-1 needs someone to acknowledge it. You are on level 1 of 2 of Ops.',
        'erin: ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of Ops.',
        'bob: Reminder: Daily (Tue, 1 Dec 2026) is waiting for your answers. They are due by 12:30 CET.',
        'carol: Nobody acknowledged ESC-1 Printer down after every level of Ops.',
        'erin: Nobody acknowledged ESC-1 Printer down after every level of Ops.',
        'carol: Reminder: ESC-1 Printer down is due Tue, 1 Dec 2026, 13:40 CET (in 1h).',
        'carol: ESC-1 Printer down is now overdue: it was due Tue, 1 Dec 2026, 13:40 CET.',
        'alice: Handoff due: Ops',
        'carol: ESC-1 Printer down has been overdue for 1h (due Tue, 1 Dec 2026, 13:40 CET).',
        'bob: Handoff · Ops',
        'bob: Please confirm the Ops handoff from @alice: it reached you at 15:00 CET and is not confirmed yet.',
        'eve: Handoff not confirmed: Ops',
        'carol: Still overdue after 2h: ESC-1 Printer down was due Tue, 1 Dec 2026, 13:40 CET. This is reminder 2 since it went overdue, with no decision yet.',
      ].sort(),
    );
    expect(new Set(all).size).toBe(all.length);
    // One day's message, one card, one note in the channels; the second instance turned the day's message into the summary.
    expect(all.filter((n) => n.startsWith('test:C-')).sort()).toEqual([
      'test:C-general: ESC-1 · SEV2 · Printer down',
      'test:C-ops: Handoff · Ops',
      'test:C-team: Daily · Tue, 1 Dec 2026',
    ]);
    const summary = second.platform.sent.filter((s) => s.op === 'update' && s.text.startsWith('Daily · Tue, 1 Dec 2026 · summary'));
    expect(summary.at(-1)!.text).toContain('Did not respond (1): @bob');
  });
});

describe('a restart after a long outage', () => {
  test('sends no reminder that went stale, still posts the summary, and chases the missing note instead of reminding', async () => {
    const first = instanceAt('2026-11-30T08:00:00Z');
    await createRotation(first, 'eve');
    await createStandup(first, 'carol', { name: 'Daily', participants: ['alice', 'bob'] }, TEAM_CHANNEL);
    await first.advance('2026-12-01T08:30:00Z');
    for (const text of ['Did A', 'Do B', 'Blocked on C']) await first.as('alice', 'test:D-alice').directMessage(text);
    expect(await first.steady.scheduler.stop()).toBe(true);

    // Down from 09:30 to 15:10 Berlin: past bob's reminder, the stand-up's cut-off, alice's note reminder and her shift's end.
    const second = instanceAt('2026-12-01T14:10:00Z');
    await second.advance('2026-12-01T14:30:00Z');
    expect(notifications(second.platform.sent)).toEqual([
      'alice: Your Ops shift ended at 15:00 CET and there is no handoff note yet. @bob is waiting for it: please write it now.',
      "bob: Your Ops shift started at 15:00 CET. @alice hasn't written the handoff note yet; I have asked for it and will send it to you as soon as it is written.",
      'eve: Handoff note missing: Ops',
    ]);
    const summary = second.platform.sent.filter((s) => s.op === 'update' && s.text.startsWith('Daily · Tue, 1 Dec 2026 · summary'));
    expect(summary).toHaveLength(1);
    expect(summary[0]!.text).toContain('Did not respond (1): @bob\n🚧 Blockers (1)\n@alice: Blocked on C');
  });
});

describe('a restart between a confirmation and its handover', () => {
  test('the next instance hands the escalations over once, and everyone is told once', async () => {
    const first = instanceAt('2026-11-30T08:00:00Z');
    await createRotation(first, 'eve');
    await first.advance('2026-12-01T12:00:00Z');
    await raise(first, 'erin', { title: 'Printer down', owner: 'alice', severity: 'SEV3' });
    await first.advance('2026-12-01T13:30:00Z');
    await first.as('alice').press(lastButton(first, 'alice', 'Write handoff'));
    await first.as('alice').submit({ status: 'steady', section1: 'Quiet.' });
    await first.advance('2026-12-01T14:05:00Z');

    // bob confirms; the instance is going down: his confirmation is stored, nothing is handed over yet.
    expect(await first.steady.scheduler.stop()).toBe(true);
    await first.as('bob').press(lastButton(first, 'bob', 'Confirm'));
    first.platform.clear();
    await first.tick();
    const owner = async () => (await database.db.selectFrom('escalations').select('owner_id').executeTakeFirstOrThrow()).owner_id;
    expect(await owner()).toBe('alice');

    const second = instanceAt('2026-12-01T14:06:00Z');
    await second.advance('2026-12-01T15:00:00Z');
    expect(await owner()).toBe('bob');
    expect(notifications(second.platform.sent).sort()).toEqual([
      'alice: @bob confirmed your Ops handoff at 15:05 CET. ESC-1 is now theirs.',
      'alice: ESC-1 Printer down was handed over from you to @bob at a shift handoff. You no longer own it.',
      'bob: ESC-1 Printer down was handed over to you from @alice at a shift handoff.',
    ]);
    expect(first.platform.sent).toEqual([]);
  });
});

async function policyId(h: Harness): Promise<string> {
  const row = await h.database.db.selectFrom('escalation_policies').select('id').where('name', '=', 'Ops').executeTakeFirstOrThrow();
  return String(row.id);
}
