import { findRule } from '../../src/storage/recurring-rules-repository';
import { makeAdmin } from '../escalation/support';
import { resetDatabase } from '../integration/support';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { WORKSPACE, seedFixtureWeek } from './support';

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

const LEADS = '<#test:C-leads>';

describe('/steady digest', () => {
  test('admins set the channel, the day and time, and turn it off; the rule follows', async () => {
    const h = await seedFixtureWeek(database);
    await makeAdmin(h, 'erin');
    const erin = h.as('erin');

    await erin.command('steady', 'digest');
    expect(h.repliesTo('erin').at(-1)).toBe(
      'The weekly digest is off. When a channel is set it is posted every Monday at 09:00 (Europe/Berlin). Use /steady digest channel #ops-leads (or "here"), /steady digest day monday time 09:00, /steady digest off, or /steady digest now for a private preview.',
    );

    await erin.command('steady', `digest channel ${LEADS}`);
    expect(h.repliesTo('erin').at(-1)).toBe(
      'The weekly digest is posted in the channel every Monday at 09:00 (Europe/Berlin); next on Mon, 30 Nov 2026, 09:00 CET.',
    );
    expect(await findRule(database.db, `digest:${WORKSPACE}`)).toMatchObject({
      cron: '0 9 * * 1',
      zone: 'Europe/Berlin',
      job_kind: 'insight.digest',
      next_run_at: new Date('2026-11-30T08:00:00Z'),
    });

    await erin.command('steady', 'digest day Friday time 16:30');
    expect(h.repliesTo('erin').at(-1)).toBe(
      'The weekly digest is posted in the channel every Friday at 16:30 (Europe/Berlin); next on Fri, 4 Dec 2026, 16:30 CET.',
    );
    expect(await findRule(database.db, `digest:${WORKSPACE}`)).toMatchObject({
      cron: '30 16 * * 5',
      next_run_at: new Date('2026-12-04T15:30:00Z'),
    });
    await erin.command('steady', 'digest time 08:15');
    expect(h.repliesTo('erin').at(-1)).toContain('every Friday at 08:15 (Europe/Berlin)');
    await erin.command('steady', 'digest day sun');
    expect(h.repliesTo('erin').at(-1)).toContain('every Sunday at 08:15 (Europe/Berlin)');
    expect((await findRule(database.db, `digest:${WORKSPACE}`))?.cron).toBe('15 8 * * 0');

    // Anyone may see where and when it goes.
    await h.as('bob').command('steady', 'digest');
    expect(h.repliesTo('bob').at(-1)).toContain('The weekly digest is posted in the channel every Sunday at 08:15');

    await erin.command('steady', 'digest off');
    expect(h.repliesTo('erin').at(-1)).toContain(
      'The weekly digest is off. When a channel is set it is posted every Sunday at 08:15 (Europe/Berlin).',
    );
    expect(await findRule(database.db, `digest:${WORKSPACE}`)).toBeUndefined();
  });

  test('refusals: someone who is not an admin, a channel that is not one, a day or time that is not one', async () => {
    const h = await seedFixtureWeek(database);
    await makeAdmin(h, 'erin');
    const refusal = async (who: string, text: string) => {
      await h.as(who).command('steady', text);
      return h.repliesTo(who).at(-1);
    };
    expect(await refusal('bob', `digest channel ${LEADS}`)).toBe(
      'Only workspace admins can change the weekly digest. Ask one of them: @erin.',
    );
    expect(await refusal('bob', 'digest off')).toBe('Only workspace admins can change the weekly digest. Ask one of them: @erin.');
    expect(await refusal('bob', 'digest day monday time 09:00')).toBe(
      'Only workspace admins can change the weekly digest. Ask one of them: @erin.',
    );
    expect(await refusal('erin', 'digest channel ops-leads')).toBe(
      'Name the channel as a channel mention (#ops-leads), or "here" for this one. Use /steady digest channel #ops-leads (or "here"), /steady digest day monday time 09:00, /steady digest off, or /steady digest now for a private preview.',
    );
    expect(await refusal('erin', 'digest channel <#slack:T1:C1>')).toBe('That channel is not in this workspace.');
    expect(await refusal('erin', 'digest day funday')).toBe('The day is a weekday: monday, tuesday, … sunday.');
    expect(await refusal('erin', 'digest day monday time 25:00')).toBe('The time is 24-hour HH:MM, e.g. 09:00 or 16:30.');
    expect(await refusal('erin', 'digest time 9')).toBe('The time is 24-hour HH:MM, e.g. 09:00 or 16:30.');
    expect(await refusal('erin', 'digest day')).toBe('Say which day: /steady digest day monday time 09:00.');
    expect(await refusal('erin', 'digest day monday at 09:00')).toBe(
      '"at" is not part of a schedule. Use /steady digest day monday time 09:00.',
    );
    expect(await refusal('erin', 'digest day monday day friday')).toBe('The day is given twice.');
    expect(await refusal('erin', 'digest weekly')).toContain('I don\'t know "/steady digest weekly".');
    expect(await refusal('erin', 'digest off now')).toContain('"/steady digest off" takes nothing after it.');
    // Nothing was stored by any of them.
    expect(await findRule(database.db, `digest:${WORKSPACE}`)).toBeUndefined();
    const ws = await database.db.selectFrom('workspaces').select('settings').where('id', '=', WORKSPACE).executeTakeFirstOrThrow();
    expect(ws.settings.digest).toBeUndefined();
  });

  test('/steady digest now: a private preview for anyone; who missed most days only for the stand-ups they administer', async () => {
    const h = await seedFixtureWeek(database, '2026-11-30T08:00:00Z');
    await h.as('bob').command('steady', 'digest now');
    const bob = h.repliesTo('bob').at(-1)!;
    expect(bob.split('\n')[0]).toBe('Weekly digest: Mon, 23 Nov 2026 to Sun, 29 Nov 2026 (preview)');
    expect(bob).toContain('Raised 4 ▲2 · Resolved 3 ▲2 · Resolved late 2 ▲2 · Open now 2 · Overdue now 1');
    expect(bob).toContain('• ESC-6 Laptop stolen: Replaced and wiped (owner @carol)');
    expect(bob).not.toContain('Missed most days');
    // carol created Daily: she administers it.
    await h.as('carol').command('steady', 'digest now');
    expect(h.repliesTo('carol').at(-1)).toContain('Missed most days (2): @bob');
    // Nothing was posted anywhere: it is a preview.
    expect(h.platform.sent.filter((s) => s.text.startsWith('Weekly digest'))).toEqual([]);
  });

  test('/steady help lists the digest', async () => {
    const h = await seedFixtureWeek(database);
    await h.as('bob').command('steady', 'help');
    expect(h.repliesTo('bob').at(-1)).toContain(
      '/steady digest channel #ops-leads · day monday time 09:00 · off: where and when it is posted (workspace admins)',
    );
  });
});
