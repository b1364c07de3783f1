import { sql } from 'kysely';
import { claimDueJobs } from '../../src/storage/jobs-repository';
import { byRecipient } from '../support/by-recipient';
import { openTestDatabase, rows, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import type { Sent } from '../support/recording-platform';
import { TEAM, createPolicy, makeAdmin, raise, resetDatabase } from './support';

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

/** Direct messages and channel posts (not card updates or thread replies), as "to: first line". */
function notifications(sent: readonly Sent[]): string[] {
  return sent.filter((s) => s.op === 'direct' || (s.op === 'post' && !s.threadOf)).map((s) => `${s.to}: ${s.text.split('\n')[0]}`);
}

describe('durability', () => {
  test('a restart mid-chain, a job whose worker died, and a step run twice neither lose nor repeat a notification', async () => {
    // First process: raise at 10:00 CET; levels every 10 minutes; it stops at 10:10.
    const first = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await makeAdmin(first, 'erin');
    await createPolicy(first, 'erin', 'Ops', [
      { users: ['carol'], wait: '10' },
      { users: ['dave'], wait: '10' },
      { users: ['frank'], wait: '10' },
    ]);
    await first.as('erin').command('escalate', 'policy default Ops');
    await raise(first, 'alice', { title: 'Printer down', owner: 'bob', severity: 'SEV2' });
    await first.advance('2026-11-30T09:10:00Z');
    expect(await first.steady.scheduler.stop()).toBe(true);

    // Down for a quarter of an hour: frank's level (due 10:20) passes while nothing runs.
    const second = new Harness(database, { start: '2026-11-30T09:25:00Z', people: TEAM });
    await second.advance(0);
    expect(notifications(second.platform.sent)).toEqual(['frank: ESC-1 needs someone to acknowledge it. You are on level 3 of 3 of Ops.']);

    // The second process dies while holding the overdue step (13:00): another takes it over when the lease ends.
    await second.advance('2026-11-30T12:59:00Z');
    const { jobs: claimed } = await claimDueJobs(
      database.db,
      { worker: 'crashed', token: 'crashed.1', now: new Date('2026-11-30T13:00:00Z'), until: new Date('2026-11-30T13:02:00Z') },
      10,
    );
    expect(claimed.map((j) => (j.payload as { phase?: string }).phase)).toEqual(['due']);
    const third = new Harness(database, { start: '2026-11-30T13:00:00Z', people: TEAM });
    await third.advance(0);
    expect(notifications(third.platform.sent)).toEqual([]);
    await third.advance('2026-11-30T13:02:30Z');
    expect(notifications(third.platform.sent)).toEqual(['bob: ESC-1 Printer down is now overdue: it was due Mon, 30 Nov 2026, 14:00 CET.']);

    // A step whose work committed but whose end was never recorded runs again: it finds itself done.
    const before = (await rows(database.db, 'escalation_events')).length;
    await sql`update jobs set state = 'pending', finished_at = null, locked_by = null, locked_until = null where kind in ('escalation.level', 'escalation.due')`.execute(
      database.db,
    );
    await third.advance(0);
    expect((await rows(database.db, 'escalation_events')).length).toBe(before);
    expect(notifications(third.platform.sent)).toHaveLength(1);

    await third.advance('2026-11-30T14:00:00Z');
    const everything = [
      ...notifications(first.platform.sent),
      ...notifications(second.platform.sent),
      ...notifications(third.platform.sent),
    ];
    expect(byRecipient(everything, ': ')).toEqual({
      carol: ['ESC-1 needs someone to acknowledge it. You are on level 1 of 3 of Ops.'],
      dave: ['ESC-1 needs someone to acknowledge it. You are on level 2 of 3 of Ops.'],
      frank: ['ESC-1 needs someone to acknowledge it. You are on level 3 of 3 of Ops.'],
      alice: ['Nobody acknowledged ESC-1 Printer down after every level of Ops.'],
      bob: [
        'You own ESC-1, raised by @alice. Please acknowledge it, then drive it to a decision by the due time.',
        'Nobody acknowledged ESC-1 Printer down after every level of Ops.',
        'Reminder: ESC-1 Printer down is due Mon, 30 Nov 2026, 14:00 CET (in 1h).',
        'ESC-1 Printer down is now overdue: it was due Mon, 30 Nov 2026, 14:00 CET.',
        'ESC-1 Printer down has been overdue for 1h (due Mon, 30 Nov 2026, 14:00 CET).',
      ],
      // One card, posted once, in the channel.
      'test:C-general': ['ESC-1 · SEV2 · Printer down'],
    });
  });
});
