import { button, message, actions } from '../../src/core/message';
import type { Workflow } from '../../src/core/workflow';
import type { EscalationSource, EscalationSummary } from '../../src/escalation/api';
import { createEscalations } from '../../src/escalation';
import { withGeneral } from '../support/with-general';
import { nextEscalationNumber } from '../../src/storage/escalation/escalations-repository';
import { findJobs } from '../../src/storage/jobs-repository';
import { openTestDatabase, rows, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { GENERAL, OPS, TEAM, card, cardRef, createPolicy, dms, makeAdmin, raise, resetDatabase } from './support';

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

const team = () => new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });

describe('raising an escalation', () => {
  test('/escalate opens the form; /escalate <title> fills the title in', async () => {
    const h = team();
    await h.as('alice').command('escalate', '');
    const empty = h.lastForm('alice')!;
    expect(empty.title).toBe('Raise an escalation');
    expect(empty.fields.map((f) => `${f.id}${f.required ? '*' : ''}`)).toEqual([
      'title*',
      'impact*',
      'options',
      'recommendation',
      'severity*',
      'owner*',
      'due',
      'channel',
    ]);
    expect(empty.fields.find((f) => f.id === 'severity')).toMatchObject({ initial: 'SEV3' });
    expect(empty.fields.find((f) => f.id === 'channel')).toMatchObject({ initial: GENERAL });
    expect(empty.fields.find((f) => f.id === 'due')).toMatchObject({
      zone: 'Europe/Berlin',
      hint: expect.stringContaining('SEV1 1h, SEV2 4h, SEV3 next business day 17:00'),
    });
    await h.as('alice').command('escalate', 'Printer down on floor 3');
    expect(h.lastForm('alice')!.fields[0]).toMatchObject({ id: 'title', initial: 'Printer down on floor 3' });
    // A title that starts with a command word needs "new"; the bare word gets a hint.
    await h.as('alice').command('escalate', 'cancel the offsite');
    expect(h.repliesTo('alice').at(-1)).toBe(
      'Say which escalation: /escalate cancel ESC-12 <reason>. To raise an escalation titled "cancel the offsite", use /escalate new cancel the offsite.',
    );
    await h.as('alice').command('escalate', 'new cancel the offsite');
    expect(h.lastForm('alice')!.fields[0]).toMatchObject({ initial: 'cancel the offsite' });
  });

  test('each bad input is answered on its field, and nothing is stored', async () => {
    const h = team();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ title: '   ' }, 'title', 'The title is required.'],
      [{ title: 'x'.repeat(151) }, 'title', 'The title is 151 characters; keep it to 150.'],
      [{ impact: '' }, 'impact', 'The impact (who or what is affected) is required.'],
      [{ impact: 'y'.repeat(3001) }, 'impact', 'The impact (who or what is affected) is 3001 characters; keep it to 3000.'],
      [{ owner: null }, 'owner', 'Choose an owner: the one person who drives this to a decision.'],
      [{ owner: 'ghost' }, 'owner', '@ghost is not a person of this workspace. Choose someone who is.'],
      [{ due: '2026-11-30T08:59:00.000Z' }, 'due', 'That due time is in the past. Pick a later one, or leave it empty for the default.'],
      [{ due: 'tomorrow-ish' }, 'due', 'Give the due time as a date and time.'],
      [{ severity: 'SEV9' }, 'severity', 'Choose a severity from SEV1 to SEV4.'],
      [{ channel: 'slack:C123' }, 'channel', 'That channel is not in this workspace. Choose one here.'],
      [{ policy: '999' }, 'policy', 'That escalation policy no longer exists. Choose another one, or none.'],
    ];
    for (const [values, field, error] of cases) {
      await h.as('alice').command('escalate', 'Printer down');
      const outcome = await h.as('alice').submit({ impact: 'Floor 3', owner: 'bob', ...values });
      expect(outcome).toEqual({ status: 'invalid', errors: { [field]: error } });
    }
    expect(await rows(database.db, 'escalations')).toEqual([]);
    expect(await rows(database.db, 'escalation_events')).toEqual([]);
    expect(await findJobs(database.db)).toEqual([]);
    expect(h.platform.sent).toEqual([]);
    // The first good one is still ESC-1.
    await raise(h, 'alice', { title: 'Printer down', owner: 'bob' });
    expect(h.repliesTo('alice').at(-1)).toContain('Raised ESC-1: Printer down');
  });

  test('references go up per workspace and are never reused, not even after a cancellation', async () => {
    const h = team();
    await raise(h, 'alice', { title: 'First', owner: 'bob' });
    await raise(h, 'alice', { title: 'Second', owner: 'bob' });
    await h.as('alice').command('escalate', 'cancel ESC-2 raised twice');
    await raise(h, 'alice', { title: 'Third', owner: 'bob' });
    expect(
      h
        .repliesTo('alice')
        .filter((r) => r.startsWith('Raised'))
        .map((r) => r.split('\n')[0]),
    ).toEqual(['Raised ESC-1: First', 'Raised ESC-2: Second', 'Raised ESC-3: Third']);
    expect((await rows(database.db, 'escalations')).map((r) => [r.number, r.title, r.status])).toEqual([
      [1, 'First', 'open'],
      [2, 'Second', 'cancelled'],
      [3, 'Third', 'open'],
    ]);
    // Another workspace counts on its own.
    expect(await nextEscalationNumber(database.db, 'test:W2')).toBe(1);
  });

  test('the card shows every field; the owner gets a direct message; the raiser sees the reference', async () => {
    const h = team();
    await raise(h, 'alice', {
      title: 'Printer down',
      owner: 'bob',
      severity: 'SEV1',
      options: 'Repair or replace',
      recommendation: 'Replace it',
      due: '2026-11-30T15:30:00.000Z',
    });
    expect(card(h, 'ESC-1').text).toBe(
      [
        'ESC-1 · SEV1 · Printer down',
        'Status: Open, waiting for acknowledgement',
        'Severity: SEV1',
        'Owner: @bob',
        'Raised by: @alice',
        'Due: Mon, 30 Nov 2026, 16:30 CET',
        'Escalation policy: None',
        'Impact\nThe whole floor cannot print',
        'Options considered\nRepair or replace',
        'Recommended decision\nReplace it',
        'Raised Mon, 30 Nov 2026, 10:00 CET',
        '[Acknowledge] [Add update] [Reassign] [Change due] [Resolve] [Cancel]',
      ].join('\n'),
    );
    // The card's due time is a time span: each reader's own zone where the platform can.
    const dueField = card(h, 'ESC-1')
      .message.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : []))
      .find((f) => f.label === 'Due')!;
    expect(dueField.value).toEqual([{ kind: 'time', at: new Date('2026-11-30T15:30:00Z'), zone: 'Europe/Berlin', style: 'datetime' }]);
    expect(dms(h, 'bob').map((s) => s.text)).toEqual([expect.stringMatching(/^You own ESC-1, raised by @alice\. Please acknowledge it/)]);
    expect(h.repliesTo('alice').at(-1)).toBe(
      'Raised ESC-1: Printer down\nPosted in the channel · owner @bob · due Mon, 30 Nov 2026, 16:30 CET · no escalation policy',
    );
    // Raising one you own yourself does not message you about it.
    await raise(h, 'bob', { title: 'Mine', owner: 'bob' });
    expect(dms(h, 'bob')).toHaveLength(1);
  });

  test("due time by default: by severity, in the owner's zone, next business day 17:00 across a DST change", async () => {
    // Friday 30 Oct 2026, 11:00 in New York (EDT); clocks go back on Sunday 1 Nov.
    const h = new Harness(database, { start: '2026-10-30T15:00:00Z', people: TEAM });
    for (const severity of ['SEV1', 'SEV2', 'SEV3', 'SEV4'])
      await raise(h, 'alice', { title: `${severity} thing`, owner: 'dave', severity });
    const due = (await rows(database.db, 'escalations')).map((r) => [r.severity, (r.due_at as Date).toISOString()]);
    expect(due).toEqual([
      ['SEV1', '2026-10-30T16:00:00.000Z'],
      ['SEV2', '2026-10-30T19:00:00.000Z'],
      ['SEV3', '2026-11-02T22:00:00.000Z'], // Monday 17:00 EST
      ['SEV4', '2026-11-04T22:00:00.000Z'], // Wednesday 17:00 EST
    ]);
    expect(card(h, 'ESC-3').text).toContain('Due: Mon, 2 Nov 2026, 17:00 EST');

    // Spring forward: Friday 6 Mar 2026; New York moves to EDT on Sunday 8 Mar.
    await resetDatabase(database);
    const spring = new Harness(database, { start: '2026-03-06T15:00:00Z', people: TEAM });
    await raise(spring, 'alice', { title: 'Spring', owner: 'dave' });
    expect((await rows(database.db, 'escalations'))[0]!.due_at).toEqual(new Date('2026-03-09T21:00:00Z')); // Monday 17:00 EDT

    // An admin can change a severity's default for the workspace.
    await makeAdmin(spring, 'erin');
    await spring.as('erin').command('escalate', 'settings due SEV3 2h');
    expect(spring.repliesTo('erin').at(-1)).toBe(
      'New SEV3 escalations are now due 2h after they are raised, unless the raiser gives a due time.',
    );
    await raise(spring, 'alice', { title: 'Quick', owner: 'dave' });
    expect((await rows(database.db, 'escalations'))[1]!.due_at).toEqual(new Date('2026-03-06T17:00:00Z'));
  });

  test("where it is posted: the form's choice, else the workspace's escalation channel, else where the command was typed", async () => {
    const h = team();
    await raise(h, 'alice', { title: 'Here', owner: 'bob' }, 'test:C-floor3');
    expect(h.platform.sent.find((s) => s.ref === cardRef(h, 'ESC-1'))!.to).toBe('test:C-floor3');
    await makeAdmin(h, 'erin');
    await h.as('erin', OPS).command('escalate', 'settings channel here');
    expect(h.repliesTo('erin').at(-1)).toBe('New escalations are now posted in the channel unless the raiser picks another channel.');
    await h.as('alice', 'test:C-floor3').command('escalate', 'Next');
    expect(h.lastForm('alice')!.fields.find((f) => f.id === 'channel')).toMatchObject({ initial: OPS });
    await h.as('alice', 'test:C-floor3').submit({ impact: 'x', owner: 'bob', channel: null });
    expect(h.platform.sent.find((s) => s.ref === cardRef(h, 'ESC-2'))!.to).toBe(OPS);
    await raise(h, 'alice', { title: 'Chosen', owner: 'bob', channel: 'test:C-elsewhere' });
    expect(h.platform.sent.find((s) => s.ref === cardRef(h, 'ESC-3'))!.to).toBe('test:C-elsewhere');
    await h.as('erin').command('escalate', 'settings channel <#slack:C999|ops>');
    expect(h.repliesTo('erin').at(-1)).toBe('That channel is not in this workspace.');
  });

  test('the policy is copied when raised: editing it does not change an escalation already running', async () => {
    const h = team();
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'Ops', [{ users: ['carol'], wait: '15' }, { users: ['dave'] }]);
    await h.as('erin').command('escalate', 'policy default Ops');
    await raise(h, 'alice', { title: 'Running', owner: 'bob' });
    // Level 2 becomes frank.
    await h.as('erin').command('escalate', 'policy edit ops');
    expect(h.lastForm('erin')!.fields.find((f) => f.id === 'l2_users')).toMatchObject({ initial: ['dave'] });
    await h.as('erin').submit({ l2_users: ['frank'] });
    expect(h.repliesTo('erin').at(-1)).toContain('Escalations already raised with it keep the version they were raised with.');
    await h.advance(15 * 60_000);
    expect(dms(h, 'dave')).toHaveLength(1);
    expect(dms(h, 'frank')).toHaveLength(0);
    // A new one uses the edited policy; deleting the policy does not stop it either.
    await raise(h, 'alice', { title: 'New', owner: 'bob' });
    await h.as('erin').command('escalate', 'policy delete Ops');
    await h.as('erin').press({
      actionId: 'escalation.policy-delete',
      value: (await database.db.selectFrom('escalation_policies').select('id').executeTakeFirstOrThrow()).id,
    });
    expect(h.repliesTo('erin').at(-1)).toBe('Deleted the escalation policy Ops. Escalations raised with it keep their copy and carry on.');
    await h.advance(15 * 60_000);
    expect(dms(h, 'frank').map((s) => s.text)).toEqual([
      expect.stringContaining('ESC-2 needs someone to acknowledge it. You are on level 2 of 2 of Ops.'),
    ]);
    // With the default gone, the form offers no policy.
    await h.as('alice').command('escalate', 'Later');
    expect(h.lastForm('alice')!.fields.some((f) => f.id === 'policy')).toBe(false);
  });
});

describe('raised from another workflow (EscalationsApi.openRaiseForm)', () => {
  test('pre-filled, raised on behalf of the participant, the source kept and shown, listeners told after commit', async () => {
    const heard: [EscalationSource, EscalationSummary][] = [];
    const source: EscalationSource = { kind: 'standup-blocker', id: 'answer-7', label: 'Blocker from Daily stand-up, Mon 30 Nov' };
    const h = new Harness(database, {
      start: '2026-11-30T09:00:00Z',
      people: TEAM,
      steady: {
        workflows: (services) => {
          const escalations = createEscalations(services, { handoffs: () => ({ onShift: async () => [], rotations: async () => [] }) });
          escalations.api.onRaisedFromSource(async (s, e) => {
            heard.push([s, e]);
          });
          const standup: Workflow = {
            name: 'fake-standup',
            commands: {
              blocker: async (ctx) => {
                await services.platforms
                  .for(ctx.actor.workspaceId)
                  .post(GENERAL, message([actions(button('Escalate', 'fake.escalate', 'answer-7'))]));
              },
            },
            actions: {
              'fake.escalate': (ctx) =>
                escalations.api.openRaiseForm(ctx, {
                  title: 'VPN keeps dropping',
                  impact: 'Carol cannot deploy',
                  ownerId: 'bob',
                  raiserId: 'carol',
                  source,
                }),
            },
          };
          return withGeneral(services, [escalations.workflow, standup]);
        },
      },
    });
    await h.as('erin').press({ actionId: 'fake.escalate', value: 'answer-7' });
    const form = h.lastForm('erin')!;
    expect(form.fields.slice(0, 2)).toMatchObject([{ initial: 'VPN keeps dropping' }, { initial: 'Carol cannot deploy' }]);
    expect(form.fields.find((f) => f.id === 'owner')).toMatchObject({ initial: 'bob' });
    expect(form.intro).toEqual(
      expect.arrayContaining([
        ' Raised on behalf of ',
        { kind: 'user', userId: 'carol' },
        ' From: Blocker from Daily stand-up, Mon 30 Nov.',
      ]),
    );
    await h.as('erin').submit({});
    expect(card(h, 'ESC-1').text).toContain('Raised by: @carol (via @erin)');
    expect(card(h, 'ESC-1').text).toContain('Raised Mon, 30 Nov 2026, 10:00 CET · Blocker from Daily stand-up, Mon 30 Nov');
    expect(heard).toEqual([
      [source, expect.objectContaining({ reference: 'ESC-1', raiserId: 'carol', ownerId: 'bob', status: 'open', severity: 'SEV3' })],
    ]);
    expect(await rows(database.db, 'escalation_drafts')).toEqual([]);
    // As raiser, carol may cancel it.
    await h.as('carol').command('escalate', 'cancel ESC-1 fixed itself');
    expect(h.repliesTo('carol').at(-1)).toBe('Cancelled ESC-1. Its pages and reminders are stopped.');

    // A made-up draft in the form state claims nothing: the person who submits is the raiser.
    await h.as('frank').command('escalate', 'Forged');
    await h.as('frank').submit({ impact: 'x', owner: 'bob' }, { ...h.lastForm('frank')!, state: JSON.stringify({ draft: 'not-a-draft' }) });
    expect(card(h, 'ESC-2').text).toContain('Raised by: @frank\n');
    expect(heard).toHaveLength(1);
  });
});
