import { createEscalations } from '../../src/escalation';
import type { OnShiftApi } from '../../src/handoff/api';
import { withGeneral } from '../support/with-general';
import { openTestDatabase, rows, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { OPS, TEAM, buttonOn, card, createPolicy, dms, makeAdmin, raise, resetDatabase, thread } from './support';

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

/** A harness whose handoff workflow is a fake: rotations and who is on shift as the test says. */
function withRotations(onShift: OnShiftApi) {
  return new Harness(database, {
    start: '2026-11-30T09:00:00Z',
    people: TEAM,
    steady: {
      workflows: (services) => {
        const escalations = createEscalations(services, { handoffs: () => onShift });
        return withGeneral(services, [escalations.workflow]);
      },
    },
  });
}

const team = () => new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });

describe('admins, policies and settings', () => {
  test('only admins manage policies and settings; the first admin can be added by anyone, then only by admins', async () => {
    const h = team();
    await h.as('frank').command('escalate', 'policy create Ops');
    expect(h.repliesTo('frank').at(-1)).toBe(
      'Only workspace admins can create escalation policies. This workspace has no admins yet: the first can be added by anyone with /steady admins add @name.',
    );
    expect(h.lastForm('frank')).toBeUndefined();
    await h.as('erin').command('steady', 'admins add <@erin>');
    expect(h.repliesTo('erin').at(-1)).toBe(
      '@erin is now a workspace admin (the first one of this workspace: from now on only admins can add more).',
    );
    await h.as('frank').command('steady', 'admins add <@frank>');
    expect(h.repliesTo('frank').at(-1)).toBe('Only workspace admins can add admins. Ask one of them: @erin.');
    await h.as('frank').command('steady', 'admins promote <@frank>');
    expect(h.repliesTo('frank').at(-1)).toBe('Use /steady admins list, /steady admins add @name or /steady admins remove @name.');
    await h.as('frank').command('steady', 'admins add');
    expect(h.repliesTo('frank').at(-1)).toBe('Name the person as a mention: /steady admins add @name.');
    for (const text of [
      'settings channel here',
      'settings due SEV1 30m',
      'settings chase 2h',
      'settings hours always',
      'settings policy none',
      'policy delete Ops',
      'policy default Ops',
    ]) {
      await h.as('frank').command('escalate', text);
      expect(h.repliesTo('frank').at(-1)).toMatch(/^Only workspace admins can .*\. Ask one of them: @erin\.$/);
    }
    for (const text of ['admins remove <@erin>', 'admins add <@frank>']) {
      await h.as('frank').command('steady', text);
      expect(h.repliesTo('frank').at(-1)).toMatch(/^Only workspace admins can .*\. Ask one of them: @erin\.$/);
    }
    await h.as('erin').command('steady', 'admins add <@ghost>');
    expect(h.repliesTo('erin').at(-1)).toBe('@ghost is not a person of this workspace.');
    await h.as('erin').command('steady', 'admins remove <@erin>');
    expect(h.repliesTo('erin').at(-1)).toBe('@erin is the only admin of this workspace. Add another admin first.');
    await h.as('erin').command('steady', 'admins add <@alice>');
    await h.as('erin').command('steady', 'admins list');
    expect(h.repliesTo('erin').at(-1)).toBe('Workspace admins\n• @erin\n• @alice');
    await h.as('alice').command('steady', 'admins remove <@erin>');
    expect(h.repliesTo('alice').at(-1)).toBe('@erin is no longer a workspace admin.');
    // The former name still works, and says the new one first.
    const before = h.repliesTo('frank').length;
    await h.as('frank').command('escalate', 'admins');
    expect(h.repliesTo('frank').slice(before)).toEqual([
      'Workspace admins are now managed with /steady admins (they matter to stand-ups and handoffs too); /escalate admins still works.',
      'Workspace admins\n• @alice',
    ]);
    await h.as('alice').command('escalate', 'admins add <@erin>');
    expect(h.repliesTo('alice').at(-1)).toBe('@erin is now a workspace admin.');
    await h.as('erin').command('steady', 'help');
    expect(h.repliesTo('erin').at(-1)).toContain('/steady admins list|add @name|remove @name: the workspace admins');
    // Settings: shown to anyone, changed by admins.
    await h.as('alice').command('escalate', 'settings due SEV3 3 business days 12:00');
    await h.as('alice').command('escalate', 'settings due SEV9 1h');
    expect(h.repliesTo('alice').at(-1)).toContain('Say which severity: /escalate settings due SEV2 4h.');
    await h.as('alice').command('escalate', 'settings due SEV1 soonish');
    expect(h.repliesTo('alice').at(-1)).toContain('"soonish" is not a due rule.');
    await h.as('alice').command('escalate', 'settings chase 1m');
    expect(h.repliesTo('alice').at(-1)).toBe(
      'Give the interval between reminders for overdue escalations, from 5m to 7d: /escalate settings chase 2h.',
    );
    await h.as('alice', OPS).command('escalate', 'settings chase 90m');
    await h.as('alice', OPS).command('escalate', 'settings channel here');
    await h.as('frank').command('escalate', 'settings');
    expect(h.repliesTo('frank').at(-1)).toBe(
      [
        'Escalation settings',
        '• Channel for new escalations: the channel',
        '• Default escalation policy: none',
        "• Default due time by severity: SEV1 1h; SEV2 4h; SEV3 3 business days, 12:00 (owner's time); SEV4 3 business days, 17:00 (owner's time)",
        "• Overdue escalations are chased every 1h 30m, only Mon–Fri 08:00–18:00 in the owner's time zone; after the third reminder less often (each wait doubled, up to a day)",
        'Admins change them with /escalate settings channel #ops|here|none · policy <name>|none · due SEV1 1h · chase 2h · hours Mon-Fri 08:00-18:00|always|default',
      ].join('\n'),
    );
  });

  test('the policy form: each bad input on its field, names unique, listed with its levels', async () => {
    const h = team();
    await makeAdmin(h, 'erin');
    await h.as('erin').command('escalate', 'policy create');
    const form = h.lastForm('erin')!;
    expect(form.fields.map((f) => f.id)).toEqual([
      'name',
      'repeat',
      'l1_users',
      'l1_channel',
      'l1_wait',
      'l2_users',
      'l2_channel',
      'l2_wait',
      'l3_users',
      'l3_channel',
      'l3_wait',
    ]);
    expect(await h.as('erin').submit({ name: '' })).toEqual({
      status: 'invalid',
      errors: { name: 'Give the policy a name.', l1_users: 'Add at least one level: people, a channel or a rotation to notify.' },
    });
    expect(
      await h
        .as('erin')
        .submit(
          { name: 'Ops', l1_users: ['carol', 'ghost'], l1_wait: '0', l2_channel: 'slack:C1', l3_users: ['dave'], l3_wait: 'forever' },
          form,
        ),
    ).toEqual({
      status: 'invalid',
      errors: {
        l1_users: 'Level 1: @ghost is not a person of this workspace.',
        l1_wait: 'Level 1: wait at least 1 minute (e.g. 15, 30m or 2h).',
        l2_channel: 'Level 2: that channel is not in this workspace.',
        l3_wait: 'Level 3: wait at least 1 minute (e.g. 15, 30m or 2h).',
      },
    });
    expect(await rows(database.db, 'escalation_policies')).toEqual([]);
    await createPolicy(
      h,
      'erin',
      'Ops',
      [
        { users: ['carol'], wait: '10' },
        { channel: OPS, users: ['dave'], wait: '1h' },
      ],
      2,
    );
    await h.as('erin').command('escalate', 'policy create OPS');
    expect(await h.as('erin').submit({ name: 'OPS', l1_users: ['bob'] })).toEqual({
      status: 'invalid',
      errors: { name: 'There is already a policy called "Ops". Choose another name, or edit that one.' },
    });
    await h.as('erin').command('escalate', 'policy default ops');
    await h.as('frank').command('escalate', 'policy list');
    expect(h.repliesTo('frank').at(-1)).toBe(
      [
        'Escalation policies',
        '• Ops (default):',
        '   1. @carol, then wait 10m',
        '   2. @dave, the channel, then wait 1h',
        '   Repeats 2 times if nobody acknowledges.',
        'Admins: /escalate policy create|edit|delete|default <name>',
      ].join('\n'),
    );
    await h.as('erin').command('escalate', 'policy edit Nope');
    expect(h.repliesTo('erin').at(-1)).toBe('There is no escalation policy called "Nope". /escalate policy list shows them.');
    // Deleting the default asks first, then leaves no default.
    await h.as('erin').command('escalate', 'policy delete Ops');
    expect(h.repliesTo('erin').at(-1)).toBe(
      'Delete the escalation policy Ops? It is the default for new escalations: new ones will have no policy unless the raiser picks one. Escalations already raised with it keep their copy and carry on.\n[Delete Ops]',
    );
    await h.as('erin').press({
      actionId: 'escalation.policy-delete',
      value: (await database.db.selectFrom('escalation_policies').select('id').executeTakeFirstOrThrow()).id,
    });
    expect(h.repliesTo('erin').at(-1)).toBe('Deleted the escalation policy Ops. Escalations raised with it keep their copy and carry on.');
    await h.as('erin').command('escalate', 'settings');
    expect(h.repliesTo('erin').at(-1)).toContain('• Default escalation policy: none');
  });
});

describe('escalation policies at work', () => {
  test('a level of whoever is on shift in a rotation; a level with nobody to notify is skipped at once, on the timeline', async () => {
    const asked: [string, string, string][] = [];
    const h = withRotations({
      rotations: async () => [
        { id: 'rot-1', name: 'Primary on-call' },
        { id: 'rot-2', name: 'Weekend' },
      ],
      onShift: async (workspaceId, rotationId, at) => {
        asked.push([workspaceId, rotationId, at.toISOString()]);
        return rotationId === 'rot-1' ? ['dave'] : [];
      },
    });
    await makeAdmin(h, 'erin');
    await h.as('erin').command('escalate', 'policy create Rota');
    expect(h.lastForm('erin')!.fields.find((f) => f.id === 'l1_rotation')).toMatchObject({
      options: [
        { value: 'none', label: 'No rotation' },
        { value: 'rot-1', label: 'Primary on-call' },
        { value: 'rot-2', label: 'Weekend' },
      ],
    });
    expect(await h.as('erin').submit({ name: 'Rota', l1_rotation: 'rot-9' })).toEqual({
      status: 'invalid',
      errors: { l1_rotation: 'Level 1: that rotation does not exist. Choose one from the list.' },
    });
    await createPolicy(h, 'erin', 'Rota', [{ rotation: 'rot-2', wait: '10' }, { rotation: 'rot-1', wait: '10' }, { users: ['carol'] }]);
    await raise(h, 'alice', {
      title: 'Disk full',
      owner: 'bob',
      policy: (await rows(database.db, 'escalation_policies'))[0]!.id as string,
    });
    // Level 1 (Weekend) has nobody on shift: skipped at once; level 2 (Primary) pages dave now.
    expect(asked).toEqual([
      ['test:W1', 'rot-2', '2026-11-30T09:00:00.000Z'],
      ['test:W1', 'rot-1', '2026-11-30T09:00:00.000Z'],
    ]);
    expect(thread(h, 'ESC-1')).toEqual(['Level 1 skipped: nobody to notify', 'Level 2 notified: @dave (on shift in Primary on-call)']);
    expect(dms(h, 'dave').map((s) => s.text)).toEqual([expect.stringContaining('You are on level 2 of 3 of Rota.')]);
    // Dave may acknowledge, being notified; carol (level 3) is paged 10 minutes later.
    await h.advance(10 * 60_000);
    expect(dms(h, 'carol')).toHaveLength(1);
    await h.as('dave').command('escalate', 'ack ESC-1');
    expect(h.repliesTo('dave').at(-1)).toContain('You acknowledged ESC-1');
  });

  test('levels repeat K times; then "nobody acknowledged" goes to the owner and raiser and the card says so', async () => {
    const h = team();
    await makeAdmin(h, 'erin');
    await createPolicy(
      h,
      'erin',
      'Loop',
      [
        { users: ['carol'], wait: '5' },
        { users: ['dave'], wait: '5' },
      ],
      1,
    );
    await h.as('erin').command('escalate', 'policy default Loop');
    await raise(h, 'alice', { title: 'Nobody home', owner: 'bob', severity: 'SEV1' });
    await h.advance(25 * 60_000);
    expect(dms(h, 'carol')).toHaveLength(2);
    expect(dms(h, 'dave')).toHaveLength(2);
    expect(thread(h, 'ESC-1')).toEqual([
      'Level 1 notified: @carol',
      'Level 2 notified: @dave',
      'Level 1 notified (round 2): @carol',
      'Level 2 notified (round 2): @dave',
      'Every level of the escalation policy was notified (2 rounds); nobody acknowledged',
    ]);
    expect(dms(h, 'alice').at(-1)!.text).toContain('Nobody acknowledged ESC-1 Nobody home after every level of Loop.');
    expect(dms(h, 'bob').at(-1)!.text).toContain('Nobody acknowledged ESC-1 Nobody home after every level of Loop.');
    expect(card(h, 'ESC-1').text).toContain('Escalation policy: Loop: every level notified, nobody acknowledged');
    // The owner can still acknowledge it.
    await h.as('bob').press(buttonOn(h, card(h, 'ESC-1'), 'Acknowledge'));
    expect(card(h, 'ESC-1').text).toContain('Status: Acknowledged by @bob');
  });

  test('an overdue escalation moves up one level, even when acknowledged; a channel level lets anyone there acknowledge', async () => {
    const h = team();
    await makeAdmin(h, 'erin');
    await createPolicy(h, 'erin', 'Slow', [
      { users: ['carol'], wait: '600' },
      { channel: OPS, wait: '30' },
      { users: ['dave'], wait: '30' },
    ]);
    await h.as('erin').command('escalate', 'policy default Slow');
    await raise(h, 'alice', { title: 'Fire door alarm', owner: 'bob', severity: 'SEV1' });
    await h.advance('2026-11-30T10:00:00Z');
    expect(dms(h, 'bob').at(-1)!.text).toContain('is now overdue');
    expect(h.sentTo(OPS).at(-1)).toContain('ESC-1 is overdue and has been escalated to this channel (level 2 of 3 of Slow).');
    expect(thread(h, 'ESC-1').slice(-3)).toEqual([
      'Overdue: it was due Mon, 30 Nov 2026, 11:00 CET',
      'Escalated to level 2 because it is overdue',
      'Level 2 notified: the channel',
    ]);
    expect(card(h, 'ESC-1').text).toContain('Escalation policy: Slow: level 2 of 3 notified');
    // The chain carries on from level 2: level 3 after level 2's wait, not level 1's.
    await h.advance('2026-11-30T10:29:00Z');
    expect(dms(h, 'dave')).toHaveLength(0);
    // Anyone in the channel may acknowledge (the channel was notified).
    await h.as('frank', OPS).command('escalate', 'ack ESC-1');
    expect(h.repliesTo('frank').at(-1)).toContain('You acknowledged ESC-1');
    await h.advance('2026-11-30T11:00:00Z');
    expect(dms(h, 'dave')).toHaveLength(0);

    // Acknowledged but overdue: it still moves up a level, without restarting the chain.
    await h.as('bob').command('escalate', 'due ESC-1 +30m fire brigade on site');
    await h.advance('2026-11-30T11:30:00Z');
    expect(dms(h, 'dave').map((s) => s.text)).toEqual([
      expect.stringContaining('ESC-1 is overdue and has been escalated to you (level 3 of 3 of Slow).'),
    ]);
    expect(buttonOn(h, dms(h, 'dave')[0]!, 'View')).toBeDefined();
    expect(h.buttonsOf(dms(h, 'dave')[0]!).map((b) => b.label)).toEqual(['View']);
    // At the top there is nowhere higher to go.
    await h.as('bob').command('escalate', 'due ESC-1 +30m still on site');
    await h.advance('2026-11-30T12:30:00Z');
    expect(dms(h, 'dave')).toHaveLength(1);
    expect(thread(h, 'ESC-1').filter((t) => t.startsWith('Escalated'))).toEqual([
      'Escalated to level 2 because it is overdue',
      'Escalated to level 3 because it is overdue',
    ]);
  });
});
