import type { Button } from '../../src/core/message';
import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { WORKSPACE, createRotation, resetDatabase, steadyAt } from '../integration/support';
import { createPolicy, makeAdmin, raise } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetDatabase(database));

const NOTHING = 'Nothing needs you right now. Try /steady help to see what Steady does.';

async function home(h: Harness, user: string): Promise<string> {
  await h.as(user).command('steady', 'home');
  return h.repliesTo(user).at(-1)!;
}

/** The home's button with this label on the line of this escalation. */
async function homeButton(h: Harness, user: string, reference: string, label: string): Promise<Button> {
  const view = await h.steady.dispatcher.home({ workspaceId: WORKSPACE, userId: user });
  const line = view.blocks.findIndex((b) => b.type === 'section' && JSON.stringify(b).includes(`${reference} `));
  const row = view.blocks[line + 1];
  const found = row?.type === 'actions' ? row.buttons.find((b) => b.label === label) : undefined;
  if (!found) throw new Error(`no "${label}" button for ${reference} on ${user}'s home`);
  return found;
}

async function rotationId(h: Harness, name: string): Promise<string> {
  const row = await h.database.db.selectFrom('rotations').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return String(row.id);
}

/**
 * Someone the escalation policy pages finds the escalation at the top of their home until someone
 * acknowledges it (as PagerDuty and Grafana OnCall put "needs my acknowledgement" first), whether
 * the level named them or they were on shift in the rotation it pages.
 */
describe('the home view of someone the escalation policy paged', () => {
  test('lists it under "Waiting for your acknowledgement" from the level that paged them until someone acknowledges', async () => {
    // Monday 30 Nov 2026, 10:00 in Berlin (09:00 for dave, in London).
    const h = steadyAt(database, '2026-11-30T09:00:00Z');
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'Ops', [
      { users: ['carol'], wait: '15' },
      { users: ['dave'], wait: '30' },
    ]);
    await h.as('erin').command('escalate', 'policy default Ops');
    await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob' });
    await raise(h, 'alice', { title: 'Badge reader broken', severity: 'SEV1', owner: 'bob' });

    // Level 1 paged carol for both: soonest due first. dave is not paged yet.
    expect(await home(h, 'carol')).toBe(
      [
        'Waiting for your acknowledgement',
        'ESC-2 [SEV1] Badge reader broken · owner @bob · due Mon, 30 Nov 2026, 11:00 CET',
        '[Acknowledge] [View]',
        'ESC-1 [SEV2] Printer down · owner @bob · due Mon, 30 Nov 2026, 14:00 CET',
        '[Acknowledge] [View]',
      ].join('\n'),
    );
    expect(await home(h, 'dave')).toBe(NOTHING);

    // carol acknowledges ESC-2 from her home: it leaves her list.
    await h.as('carol').press(await homeButton(h, 'carol', 'ESC-2', 'Acknowledge'));
    expect(h.repliesTo('carol').at(-1)).toBe('You acknowledged ESC-2: Badge reader broken. The escalation policy stops here.');
    expect(await home(h, 'carol')).toBe(
      [
        'Waiting for your acknowledgement',
        'ESC-1 [SEV2] Printer down · owner @bob · due Mon, 30 Nov 2026, 14:00 CET',
        '[Acknowledge] [View]',
      ].join('\n'),
    );

    // 10:15: nobody acknowledged ESC-1, so level 2 pages dave; carol still has it waiting too.
    await h.advance('2026-11-30T09:14:00Z');
    expect(await home(h, 'dave')).toBe(NOTHING);
    await h.advance('2026-11-30T09:15:00Z');
    expect(await home(h, 'dave')).toBe(
      [
        'Waiting for your acknowledgement',
        'ESC-1 [SEV2] Printer down · owner @bob · due Mon, 30 Nov 2026, 13:00 GMT',
        '[Acknowledge] [View]',
      ].join('\n'),
    );
    expect(await home(h, 'carol')).toContain('Waiting for your acknowledgement\nESC-1 [SEV2] Printer down');
    // The owner, whom the policy did not page, has it where he always had it.
    expect(await home(h, 'bob')).toBe(
      [
        'Escalations you own',
        'ESC-2 [SEV1] Badge reader broken · owner @bob · due Mon, 30 Nov 2026, 11:00 CET · acknowledged',
        '[Add update] [Change due] [Resolve] [View]',
        'ESC-1 [SEV2] Printer down · owner @bob · due Mon, 30 Nov 2026, 14:00 CET',
        '[Acknowledge] [Add update] [Change due] [Resolve] [View]',
      ].join('\n'),
    );

    // dave acknowledges from his home: neither paged person has anything waiting now.
    await h.advance('2026-11-30T09:20:00Z');
    await h.as('dave').press(await homeButton(h, 'dave', 'ESC-1', 'Acknowledge'));
    expect(h.repliesTo('dave').at(-1)).toBe('You acknowledged ESC-1: Printer down. The escalation policy stops here.');
    const stored = await h.database.db
      .selectFrom('escalations')
      .select(['number', 'status', 'acknowledged_by'])
      .orderBy('number')
      .execute();
    expect(stored.map((e) => [e.number, e.status, e.acknowledged_by])).toEqual([
      [1, 'acknowledged', 'dave'],
      [2, 'acknowledged', 'carol'],
    ]);
    expect(await home(h, 'dave')).toBe(NOTHING);
    expect(await home(h, 'carol')).toBe(NOTHING);
  });

  test('an owner the policy paged sees the escalation once, waiting; resolving or cancelling takes it off', async () => {
    const h = steadyAt(database, '2026-11-30T09:00:00Z');
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'Ops', [{ users: ['bob', 'carol'], wait: '15' }]);
    await h.as('erin').command('escalate', 'policy default Ops');
    await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob' });
    await raise(h, 'alice', { title: 'Badge reader broken', severity: 'SEV2', owner: 'carol' });

    expect(await home(h, 'bob')).toBe(
      [
        'Waiting for your acknowledgement',
        'ESC-1 [SEV2] Printer down · owner @bob · due Mon, 30 Nov 2026, 14:00 CET',
        '[Acknowledge] [View]',
        'ESC-2 [SEV2] Badge reader broken · owner @carol · due Mon, 30 Nov 2026, 14:00 CET',
        '[Acknowledge] [View]',
      ].join('\n'),
    );

    // The raiser cancels ESC-2 and the owner resolves ESC-1 without acknowledging: nothing is left waiting.
    await h.as('alice').command('escalate', 'cancel ESC-2 raised twice');
    expect(await home(h, 'bob')).not.toContain('ESC-2');
    await h.as('bob').command('escalate', 'resolve ESC-1 Paper jam cleared');
    expect(await home(h, 'bob')).toBe(NOTHING);
    expect(await home(h, 'carol')).toBe(NOTHING);
  });

  test('whoever was on shift in the rotation a level paged sees it waiting; the next person on shift does not', async () => {
    const h = steadyAt(database, '2026-11-30T08:00:00Z');
    await createRotation(h, 'eve');
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'OnCall', [{ rotation: await rotationId(h, 'Ops'), wait: '15' }]);
    await h.as('erin').command('escalate', 'policy default OnCall');

    // Tuesday 11:00 Berlin: alice's shift.
    await h.advance('2026-12-01T10:00:00Z');
    await raise(h, 'erin', { title: 'Disk full on db-1', owner: 'erin', severity: 'SEV2' });
    expect(await home(h, 'alice')).toContain(
      [
        'Waiting for your acknowledgement',
        'ESC-1 [SEV2] Disk full on db-1 · owner @erin · due Tue, 1 Dec 2026, 15:00 CET',
        '[Acknowledge] [View]',
      ].join('\n'),
    );

    // 16:00: bob's shift. The policy paged alice, not bob, so it still waits for alice only.
    await h.advance('2026-12-01T15:00:00Z');
    expect(await home(h, 'bob')).not.toContain('ESC-1');
    expect(await home(h, 'alice')).toContain('Waiting for your acknowledgement\nESC-1');
    await h.as('alice').press(await homeButton(h, 'alice', 'ESC-1', 'Acknowledge'));
    expect(h.repliesTo('alice').at(-1)).toBe('You acknowledged ESC-1: Disk full on db-1. The escalation policy stops here.');
    expect(await home(h, 'alice')).not.toContain('ESC-1');
  });
});
