import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { createPolicy, makeAdmin, raise, thread } from '../escalation/support';
import { createRotation, dms, lastButton, resetDatabase, steadyAt } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database));

async function rotationId(h: Harness, name: string): Promise<string> {
  const row = await h.database.db.selectFrom('rotations').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return String(row.id);
}

/** The first line of each page (a policy level's direct message) a person got. */
function pages(h: Harness, user: string): string[] {
  return dms(h, user)
    .map((s) => s.text.split('\n')[0]!)
    .filter((t) => t.includes('needs someone to acknowledge'));
}

/**
 * A policy whose first level is "whoever is on shift in Ops" pages the person the rotation says is
 * on at that moment: their turn, the swap they accepted, the override put on top.
 */
describe('a policy level that pages whoever is on shift', () => {
  test('pages the person on shift at each moment, after a swap and an override, and they can acknowledge', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'OnCall', [
      { rotation: await rotationId(h, 'Ops'), wait: '15' },
      { users: ['erin'], wait: '15' },
    ]);
    await h.as('erin').command('escalate', 'policy default OnCall');

    // bob swaps his Tuesday evening for carol's Tuesday night; eve then puts dave on that night.
    await h.as('bob').command('handoff', 'swap <@carol> 2026-12-01');
    await h.as('carol').press(lastButton(h, 'carol', 'Accept'));
    await h.as('eve').command('handoff', 'override <@dave> 2026-12-01 23:00 2026-12-02 07:00');

    // Tuesday 11:00 Berlin: alice's turn.
    await h.advance('2026-12-01T10:00:00Z');
    await raise(h, 'erin', { title: 'Disk full on db-1', owner: 'erin', severity: 'SEV2' });
    expect(pages(h, 'alice')).toEqual(['ESC-1 needs someone to acknowledge it. You are on level 1 of 2 of OnCall.']);
    expect(thread(h, 'ESC-1')).toEqual(['Level 1 notified: @alice (on shift in Ops)']);

    // Tuesday 17:00: bob's turn, but carol took it by the swap.
    await h.advance('2026-12-01T16:00:00Z');
    await raise(h, 'erin', { title: 'Queue backing up', owner: 'erin', severity: 'SEV2' });
    expect(pages(h, 'bob')).toEqual([]);
    expect(pages(h, 'carol')).toEqual(['ESC-2 needs someone to acknowledge it. You are on level 1 of 2 of OnCall.']);

    // Wednesday 01:00: carol's night by turn, bob's by the swap, dave's by the override.
    await h.advance('2026-12-02T00:00:00Z');
    await raise(h, 'erin', { title: 'Certificate expiring', owner: 'erin', severity: 'SEV2' });
    expect(pages(h, 'dave')).toEqual(['ESC-3 needs someone to acknowledge it. You are on level 1 of 2 of OnCall.']);
    expect(pages(h, 'bob')).toEqual([]);
    expect(thread(h, 'ESC-3')).toEqual(['Level 1 notified: @dave (on shift in Ops)']);

    // The person paged because they are on shift may acknowledge from the page; the chain stops.
    const page = dms(h, 'dave').find((s) => s.text.startsWith('ESC-3 needs someone'))!;
    await h.as('dave').press(h.buttonsOf(page).find((b) => b.label === 'Acknowledge')!);
    expect(h.repliesTo('dave').at(-1)).toBe('You acknowledged ESC-3: Certificate expiring. The escalation policy stops here.');
    await h.advance('2026-12-02T00:30:00Z');
    expect(pages(h, 'erin').filter((p) => p.startsWith('ESC-3'))).toEqual([]);
    const stored = await h.database.db
      .selectFrom('escalations')
      .select(['number', 'status', 'acknowledged_by'])
      .orderBy('number')
      .execute();
    expect(stored.map((e) => [e.number, e.status, e.acknowledged_by])).toEqual([
      [1, 'open', null],
      [2, 'open', null],
      [3, 'acknowledged', 'dave'],
    ]);
  });

  test('a later level asks who is on when it fires, not when the escalation was raised', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'OnCall', [
      { users: ['erin'], wait: '30' },
      { rotation: await rotationId(h, 'Ops'), wait: '30' },
    ]);
    await h.as('erin').command('escalate', 'policy default OnCall');
    await h.as('bob').command('handoff', 'swap <@carol> 2026-12-01');
    await h.as('carol').press(lastButton(h, 'carol', 'Accept'));

    // Raised at 14:50 Berlin, during alice's shift; level 2 fires at 15:20, in the evening shift carol took over.
    await h.advance('2026-12-01T13:50:00Z');
    await raise(h, 'alice', { title: 'Payments slow', owner: 'alice', severity: 'SEV2' });
    await h.advance('2026-12-01T14:19:00Z');
    expect(pages(h, 'carol')).toEqual([]);
    await h.advance('2026-12-01T14:20:00Z');
    expect(pages(h, 'carol')).toEqual(['ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of OnCall.']);
    expect(pages(h, 'alice')).toEqual([]);
    expect(pages(h, 'bob')).toEqual([]);
    expect(thread(h, 'ESC-1')).toEqual(['Level 1 notified: @erin', 'Level 2 notified: @carol (on shift in Ops)']);
  });

  test('deleting a rotation a policy pages warns first; afterwards that level is skipped and the next one paged', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await makeAdmin(h, 'erin');
    const ops = await rotationId(h, 'Ops');
    await createPolicy(h, 'erin', 'OnCall', [
      { rotation: ops, wait: '15' },
      { users: ['erin'], wait: '15' },
    ]);
    await h.as('erin').command('escalate', 'policy default OnCall');

    await h.as('eve').command('handoff', 'rotation delete Ops');
    expect(h.repliesTo('eve').at(-1)).toBe(
      [
        'Delete the Ops rotation? Its coming reminders stop; notes already delivered stay and can still be confirmed.',
        'Escalation policy OnCall pages whoever is on shift in it: that level will find nobody and be skipped. Change it first with /escalate policy edit <name>.',
        '[Delete Ops]',
      ].join('\n'),
    );
    await h.as('eve').press({ actionId: 'handoff.rotation-delete', value: ops });
    expect(h.repliesTo('eve').at(-1)).toBe('Deleted the Ops rotation. Its coming reminders are cancelled.');

    await h.advance('2026-12-01T10:00:00Z');
    await raise(h, 'dave', { title: 'Disk full on db-1', owner: 'carol', severity: 'SEV2' });
    expect(thread(h, 'ESC-1')).toEqual(['Level 1 skipped: nobody to notify', 'Level 2 notified: @erin']);
    expect(pages(h, 'alice')).toEqual([]);
    expect(pages(h, 'erin')).toEqual(['ESC-1 needs someone to acknowledge it. You are on level 2 of 2 of OnCall.']);
  });

  test("an override ended early stops paging its cover at once: the rotation's own turn is paged again", async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'OnCall', [{ rotation: await rotationId(h, 'Ops'), wait: '15' }]);
    await h.as('erin').command('escalate', 'policy default OnCall');

    // Tuesday 10:00 Berlin, alice's shift: eve puts dave on for two hours, then ends it after one.
    await h.advance('2026-12-01T09:00:00Z');
    await h.as('eve').command('handoff', 'override <@dave> now +2h');
    await raise(h, 'erin', { title: 'Disk full on db-1', owner: 'erin', severity: 'SEV2' });
    expect(pages(h, 'dave')).toEqual(['ESC-1 needs someone to acknowledge it. You are on level 1 of 1 of OnCall.']);
    await h.advance('2026-12-01T10:00:00Z');
    await h.as('eve').command('handoff', 'override cancel 1');
    expect(h.repliesTo('eve').at(-1)).toContain('Ended the override now');
    await raise(h, 'erin', { title: 'Queue backing up', owner: 'erin', severity: 'SEV2' });
    expect(pages(h, 'alice')).toEqual(['ESC-2 needs someone to acknowledge it. You are on level 1 of 1 of OnCall.']);
    expect(pages(h, 'dave')).toHaveLength(1);
  });
});
