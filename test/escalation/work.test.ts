import { createEscalations } from '../../src/escalation';
import type { EscalationsApi } from '../../src/escalation/api';
import { withGeneral } from '../support/with-general';
import { openTestDatabase, rows, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { TEAM, WORKSPACE, buttonOn, card, createPolicy, dms, makeAdmin, pendingJobs, raise, resetDatabase, thread } from './support';

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

/** A team with an admin (erin), a two-level policy (carol, then dave) as default, and ESC-1 raised by alice for bob. */
async function withEscalation(api?: { current?: EscalationsApi }) {
  const h = new Harness(database, {
    start: '2026-11-30T09:00:00Z',
    people: TEAM,
    ...(api
      ? {
          steady: {
            workflows: (services) => {
              const escalations = createEscalations(services, { handoffs: () => ({ onShift: async () => [], rotations: async () => [] }) });
              api.current = escalations.api;
              return withGeneral(services, [escalations.workflow]);
            },
          },
        }
      : {}),
  });
  await makeAdmin(h, 'erin');
  await createPolicy(h, 'erin', 'Ops', [
    { users: ['carol'], wait: '15' },
    { users: ['dave'], wait: '30' },
  ]);
  await h.as('erin').command('escalate', 'policy default Ops');
  await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob' });
  return h;
}

async function stored() {
  const [e] = await rows(database.db, 'escalations');
  const events = await rows(database.db, 'escalation_events');
  return { status: e!.status, owner: e!.owner_id, due: e!.due_at, events: events.length };
}

describe('working an escalation', () => {
  test('permissions: each refusal says who may, and nothing changes', async () => {
    const h = await withEscalation();
    const before = await stored();
    const refusals: [string, string, string][] = [
      ['frank', 'ack ESC-1', 'Only the owner (@bob) or someone the escalation policy has notified can acknowledge ESC-1.'],
      ['erin', 'ack ESC-1', 'Only the owner (@bob) or someone the escalation policy has notified can acknowledge ESC-1.'],
      [
        'frank',
        'resolve ESC-1 done',
        'Only the owner (@bob), the raiser (@alice) or a workspace admin can resolve ESC-1. Nothing was changed.',
      ],
      [
        'carol',
        'reassign ESC-1 <@frank>',
        'Only the owner (@bob), the raiser (@alice) or a workspace admin can reassign ESC-1. Nothing was changed.',
      ],
      [
        'frank',
        'due ESC-1 +2h vendor late',
        'Only the owner (@bob), the raiser (@alice) or a workspace admin can change the due time of ESC-1. Nothing was changed.',
      ],
      ['bob', 'cancel ESC-1 not needed', 'Only the raiser (@alice) or a workspace admin can cancel ESC-1. Nothing was changed.'],
      ['frank', 'resolve', 'Say which escalation: /escalate resolve ESC-12 <decision>.'],
      ['frank', 'show ESC-9', 'There is no ESC-9 in this workspace. /escalate list shows the open ones.'],
      [
        'bob',
        'due ESC-1 whenever',
        'Give the new due time as +4h (from now) or YYYY-MM-DD HH:MM (your time), then the reason: /escalate due ESC-12 <+4h or YYYY-MM-DD HH:MM> <reason>.',
      ],
      ['bob', 'due ESC-1 +2h', 'Give a reason for the new due time: /escalate due ESC-12 <+4h or YYYY-MM-DD HH:MM> <reason>.'],
      ['bob', 'due ESC-1 2026-11-30 09:30 too late', 'That due time is in the past. Pick a later one.'],
      ['bob', 'reassign ESC-1 frank', 'Name the new owner as a mention: /escalate reassign ESC-12 @name [reason].'],
      ['bob', 'reassign ESC-1 <@ghost>', '@ghost is not a person of this workspace. Choose someone who is.'],
      ['bob', 'reassign ESC-1 <@bob>', '@bob already owns ESC-1. Nothing was changed.'],
      ['bob', `update ESC-1 ${'z'.repeat(3001)}`, 'The update is 3001 characters; keep it to 3000.'],
      ['bob', 'reopen ESC-1 again', 'ESC-1 is still open; there is nothing to reopen. Nothing was changed.'],
      ['bob', 'reopen ESC-1', 'ESC-1 is still open; there is nothing to reopen.'],
    ];
    for (const [who, text, refusal] of refusals) {
      await h.as(who).command('escalate', text);
      expect(h.repliesTo(who).at(-1)).toBe(refusal);
    }
    // Buttons refuse before a form is opened.
    await h.as('frank').press(buttonOn(h, card(h, 'ESC-1'), 'Cancel'));
    expect(h.repliesTo('frank').at(-1)).toBe('Only the raiser (@alice) or a workspace admin can cancel ESC-1.');
    expect(h.lastForm('frank')).toBeUndefined();
    // A forged button value naming no escalation of this workspace.
    await h.as('frank').press({ actionId: 'escalation.view', value: '1; drop table escalations' });
    expect(h.repliesTo('frank').at(-1)).toBe('That escalation does not exist in this workspace. /escalate list shows the open ones.');
    expect(await stored()).toEqual(before);

    // Those allowed: the level-1 person acknowledges; an admin and the raiser work it.
    await h.as('carol').command('escalate', 'ack ESC-1');
    expect(h.repliesTo('carol').at(-1)).toBe('You acknowledged ESC-1: Printer down. The escalation policy stops here.');
    await h.as('erin').command('escalate', 'due ESC-1 +6h waiting for the vendor');
    expect(h.repliesTo('erin').at(-1)).toBe('ESC-1 is now due Mon, 30 Nov 2026, 16:00 CET. Reminders follow the new time.');
    await h.as('alice').command('escalate', 'cancel ESC-1 the vendor fixed it');
    expect((await stored()).status).toBe('cancelled');
    // Nothing more can be done with a cancelled escalation.
    await h.as('bob').command('escalate', 'update ESC-1 hello?');
    expect(h.repliesTo('bob').at(-1)).toBe(
      'ESC-1 was cancelled by @alice, so nothing more can be done with it. Raise a new escalation if the problem is back. Nothing was changed.',
    );
    await h.as('bob').press(buttonOn(h, dms(h, 'bob')[0]!, 'Resolve'));
    expect(h.repliesTo('bob').at(-1)).toBe(
      'ESC-1 was cancelled by @alice, so nothing more can be done with it. Raise a new escalation if the problem is back.',
    );
    expect(await pendingJobs(h)).toEqual([]);
  });

  test('a form submitted after someone else resolved it is refused, and nothing changes', async () => {
    const h = await withEscalation();
    await h.as('bob').press(buttonOn(h, card(h, 'ESC-1'), 'Reassign'));
    const stale = h.lastForm('bob')!;
    await h.as('alice').command('escalate', 'resolve ESC-1 Replaced it');
    await h.as('bob').submit({ owner: 'frank' }, stale);
    expect(h.repliesTo('bob').at(-1)).toBe(
      'ESC-1 is already resolved (by @alice). Reopen it first if it needs more work; that is possible within 7 days of resolving. Nothing was changed.',
    );
    expect((await stored()).owner).toBe('bob');
    // Bad values in a work form go back to the field.
    await h.as('alice').press(buttonOn(h, card(h, 'ESC-1'), 'Reopen'));
    expect(await h.as('alice').submit({ reason: '' })).toEqual({
      status: 'invalid',
      errors: { reason: 'The reason for reopening is required.' },
    });
    expect(await h.as('alice').submit({ reason: 'back', due: '2026-11-29T10:00:00Z' })).toEqual({
      status: 'invalid',
      errors: { due: 'That due time is in the past. Pick a later one, or leave it empty for the default.' },
    });
  });

  test('add update, reassign and change due: timeline, thread reply, card, and both people told', async () => {
    const h = await withEscalation();
    await h.advance('2026-11-30T09:05:00Z');
    await h.as('bob').press(buttonOn(h, card(h, 'ESC-1'), 'Add update'));
    expect(h.lastForm('bob')!.title).toBe('Update ESC-1');
    await h.as('bob').submit({ text: 'Vendor engineer on the way' });
    expect(card(h, 'ESC-1').text).toContain('Last update: Vendor engineer on the way (@bob, Mon, 30 Nov 2026, 10:05 CET)');
    expect(thread(h, 'ESC-1').at(-1)).toBe('Update from @bob: Vendor engineer on the way');

    await h.as('alice').press(buttonOn(h, card(h, 'ESC-1'), 'Reassign'));
    await h.as('alice').submit({ owner: 'frank', reason: 'Bob is off tomorrow' });
    expect(h.repliesTo('alice').at(-1)).toBe('ESC-1 now belongs to @frank. @bob and @frank have been told.');
    expect(dms(h, 'frank').at(-1)!.text).toContain('@alice reassigned ESC-1 Printer down to you: Bob is off tomorrow');
    expect(dms(h, 'bob').at(-1)!.text).toContain('@alice reassigned ESC-1 Printer down from you to @frank. You no longer own it.');
    expect(card(h, 'ESC-1').text).toContain('Owner: @frank');
    expect(thread(h, 'ESC-1').at(-1)).toBe('Reassigned from @bob to @frank by @alice: Bob is off tomorrow');

    await h.as('frank').press(buttonOn(h, dms(h, 'frank').at(-1)!, 'Change due'));
    expect(h.lastForm('frank')!.fields[0]).toMatchObject({ id: 'due', zone: 'Europe/Berlin', initial: new Date('2026-11-30T13:00:00Z') });
    expect(await h.as('frank').submit({ due: '2026-12-01T16:00:00Z' })).toEqual({
      status: 'invalid',
      errors: { reason: 'The reason for the new due time is required.' },
    });
    await h.as('frank').submit({ due: '2026-12-01T16:00:00Z', reason: 'Parts arrive tomorrow' });
    expect(card(h, 'ESC-1').text).toContain('Due: Tue, 1 Dec 2026, 17:00 CET');
    expect(thread(h, 'ESC-1').at(-1)).toBe(
      'Due time changed by @frank from Mon, 30 Nov 2026, 14:00 CET to Tue, 1 Dec 2026, 17:00 CET: Parts arrive tomorrow',
    );
    // The reminders follow: nothing at the old due time, the new owner reminded before the new one.
    await h.as('frank').command('escalate', 'ack ESC-1');
    const frankBefore = dms(h, 'frank').length;
    await h.advance('2026-11-30T14:00:00Z');
    expect(dms(h, 'frank')).toHaveLength(frankBefore);
    expect(dms(h, 'bob').filter((s) => s.text.includes('overdue'))).toEqual([]);
    // 30 h 55 m given at 10:05: reminded a quarter of that (7 h 43 m 45 s) before.
    await h.advance('2026-12-01T08:16:00Z');
    expect(dms(h, 'frank')).toHaveLength(frankBefore);
    await h.advance('2026-12-01T08:17:00Z');
    expect(dms(h, 'frank').at(-1)!.text).toContain('Reminder: ESC-1 Printer down is due Tue, 1 Dec 2026, 17:00 CET (in 7h 44m).');
  });

  test('resolved escalations may be reopened within 7 days; the policy starts over; after that the button goes', async () => {
    const h = await withEscalation();
    await h.as('bob').command('escalate', 'resolve ESC-1 Replaced the toner');
    await h.advance('2026-12-07T08:59:00Z'); // 6 days 23 h 59 m later
    expect(h.buttonsOf(card(h, 'ESC-1')).map((b) => b.label)).toEqual(['Reopen']);
    const carolBefore = dms(h, 'carol').length;
    await h.as('bob').press(buttonOn(h, card(h, 'ESC-1'), 'Reopen'));
    await h.as('bob').submit({ reason: 'Streaks on every page again' });
    expect(h.repliesTo('bob').at(-1)).toBe(
      'Reopened ESC-1; due Mon, 7 Dec 2026, 13:59 CET. Its escalation policy starts again from level 1.',
    );
    expect(card(h, 'ESC-1').text).toContain('Status: Open, waiting for acknowledgement');
    expect(dms(h, 'carol')).toHaveLength(carolBefore + 1);
    expect(thread(h, 'ESC-1').slice(-2)).toEqual([
      'Reopened by @bob: Streaks on every page again; due Mon, 7 Dec 2026, 13:59 CET',
      'Level 1 notified: @carol',
    ]);
    // Resolved again; eight days later it cannot be reopened, and the card no longer offers it.
    await h.as('bob').command('escalate', 'resolve ESC-1 New drum unit');
    await h.advance('2026-12-15T09:00:00Z');
    expect(h.buttonsOf(card(h, 'ESC-1'))).toEqual([]);
    await h.as('bob').command('escalate', 'reopen ESC-1 once more');
    expect(h.repliesTo('bob').at(-1)).toBe(
      'ESC-1 was resolved on Mon, 7 Dec 2026, 09:59 CET, more than 7 days ago, so it can no longer be reopened. Raise a new escalation instead. Nothing was changed.',
    );
    expect((await stored()).status).toBe('resolved');
    // The escalation's numbers for stats: acknowledged never, resolved twice (the last counts).
    const [row] = await rows(database.db, 'escalations');
    expect(row).toMatchObject({ first_acknowledged_at: null, resolved_by: 'bob', resolution: 'New drum unit' });
  });

  test('list mine|all|overdue, ordered by due time with overdue marked; home shows my open escalations with buttons', async () => {
    const h = await withEscalation();
    await raise(h, 'bob', { title: 'Badge reader broken', owner: 'alice', severity: 'SEV1' });
    await raise(h, 'carol', { title: 'Coffee machine', owner: 'carol', severity: 'SEV4' });
    await h.advance('2026-11-30T10:30:00Z');
    await h.as('alice').command('escalate', 'list');
    expect(h.repliesTo('alice').at(-1)).toBe(
      [
        'Open escalations, soonest due first',
        '• ESC-2 [SEV1] Badge reader broken · owner @alice · due Mon, 30 Nov 2026, 11:00 CET · OVERDUE',
        '• ESC-1 [SEV2] Printer down · owner @bob · due Mon, 30 Nov 2026, 14:00 CET',
        '• ESC-3 [SEV4] Coffee machine · owner @carol · due Thu, 3 Dec 2026, 17:00 CET',
        '/escalate show ESC-n shows one in full, with its timeline.',
      ].join('\n'),
    );
    await h.as('alice').command('escalate', 'list mine');
    expect(
      h
        .repliesTo('alice')
        .at(-1)!
        .split('\n')
        .filter((l) => l.startsWith('•')),
    ).toHaveLength(2);
    await h.as('alice').command('escalate', 'list overdue');
    expect(
      h
        .repliesTo('alice')
        .at(-1)!
        .split('\n')
        .filter((l) => l.startsWith('•')),
    ).toEqual([expect.stringContaining('ESC-2')]);
    await h.as('frank').command('escalate', 'list mine');
    expect(h.repliesTo('frank').at(-1)).toBe('You have no open escalations. Raise one with /escalate <title>.');
    await h.as('alice').command('escalate', 'list everything');
    expect(h.repliesTo('alice').at(-1)).toContain('Use /escalate list mine, /escalate list all or /escalate list overdue.');

    await h.as('alice').command('steady', 'home');
    expect(h.repliesTo('alice').at(-1)).toBe(
      [
        'Escalations you own',
        'ESC-2 [SEV1] Badge reader broken · owner @alice · due Mon, 30 Nov 2026, 11:00 CET · OVERDUE',
        '[Acknowledge] [Add update] [Change due] [Resolve] [View]',
        'Escalations you raised',
        'ESC-1 [SEV2] Printer down · owner @bob · due Mon, 30 Nov 2026, 14:00 CET',
        '[Add update] [Reassign] [View]',
      ].join('\n'),
    );
    const home = await h.steady.dispatcher.home({ workspaceId: WORKSPACE, userId: 'alice' });
    const view = home.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons : [])).find((b) => b.label === 'View')!;
    await h.as('alice').press(view);
    expect(h.repliesTo('alice').at(-1)).toContain('ESC-2 · SEV1 · Badge reader broken');
    expect(h.repliesTo('alice').at(-1)).toContain('Timeline');
  });

  test('help: /escalate help and the lines in /steady help', async () => {
    const h = new Harness(database, { people: TEAM });
    await h.as('alice').command('escalate', 'help');
    expect(h.repliesTo('alice').at(-1)).toContain('/escalate reassign ESC-12 @name [reason]');
    await h.as('alice').command('steady', 'help');
    expect(h.repliesTo('alice').at(-1)).toContain('/escalate list [mine|all|overdue]');
  });
});

describe('EscalationsApi for other workflows', () => {
  test('openOwnedBy lists open escalations soonest due first; transfer hands one over with both people told', async () => {
    const api: { current?: EscalationsApi } = {};
    const h = await withEscalation(api);
    await raise(h, 'alice', { title: 'Badge reader broken', owner: 'bob', severity: 'SEV1' });
    await raise(h, 'alice', { title: 'Done already', owner: 'bob' });
    await h.as('bob').command('escalate', 'resolve ESC-3 fine');
    const owned = await api.current!.openOwnedBy(WORKSPACE, 'bob');
    expect(owned.map((e) => [e.reference, e.status, e.dueAt.toISOString()])).toEqual([
      ['ESC-2', 'open', '2026-11-30T10:00:00.000Z'],
      ['ESC-1', 'open', '2026-11-30T13:00:00.000Z'],
    ]);
    await api.current!.transfer({
      workspaceId: WORKSPACE,
      escalationId: owned[1]!.id,
      toUserId: 'frank',
      actorId: 'bob',
      reason: 'Night shift takes over',
    });
    // Called by another workflow's job, whose run goes on with what the transfer enqueued.
    await h.tick();
    expect(card(h, 'ESC-1').text).toContain('Owner: @frank');
    expect(dms(h, 'frank').at(-1)!.text).toContain('ESC-1 Printer down was handed over to you from @bob at a shift handoff.');
    expect(dms(h, 'bob').at(-1)!.text).toContain(
      'ESC-1 Printer down was handed over from you to @frank at a shift handoff. You no longer own it.',
    );
    expect(thread(h, 'ESC-1').at(-1)).toBe('Handed over from @bob to @frank at a shift handoff: Night shift takes over');
    expect((await api.current!.openOwnedBy(WORKSPACE, 'frank')).map((e) => e.reference)).toEqual(['ESC-1']);
    await expect(
      api.current!.transfer({ workspaceId: WORKSPACE, escalationId: owned[0]!.id, toUserId: 'ghost', actorId: 'bob', reason: 'x' }),
    ).rejects.toThrow('@ghost is not a person of this workspace');
  });
});
