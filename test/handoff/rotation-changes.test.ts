import { findJobs } from '../../src/storage/jobs-repository';
import { findRulesByOwner } from '../../src/storage/recurring-rules-repository';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { countRows, handoffHarness, resetHandoffs, rotationValues } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetHandoffs(database));

async function withRotation(start = '2026-11-30T22:00:00Z') {
  const harness = handoffHarness(database, start);
  await harness.h.as('eve', 'test:C-ops').command('handoff', 'rotation create');
  await harness.h.as('eve').submit(rotationValues());
  const rotationId = (await harness.onShift.rotations('test:W1'))[0]!.id;
  return { ...harness, rotationId };
}

describe('editing a rotation applies to future shifts only', () => {
  test('the shift in progress and its handoff stay; new shifts and members take over after it, turns continuing', async () => {
    const { h, onShift, rotationId } = await withRotation();
    await h.advance('2026-12-01T10:00:00Z');
    await h.as('eve').command('handoff', 'rotation edit Ops');
    const form = h.lastForm('eve')!;
    expect(form.title).toBe('Edit rotation');
    expect(form.fields.find((f) => f.id === 'shifts')).toMatchObject({ initial: '07:00-15:00, 15:00-23:00, 23:00-07:00' });
    expect(
      await h.as('eve').submit({ shifts: '08:00-16:00, 16:00-00:00, 00:00-08:00', members: ['alice', 'bob', 'carol', 'dave'], lead: '1h' }),
    ).toEqual({ status: 'done' });
    expect(h.repliesTo('eve').at(-1)).toBe(
      'Saved Ops. The shift in progress stays as it is; the changes apply from Tue, 1 Dec 2026, 15:00 CET. Next shift: Tue, 1 Dec 2026, 16:00 CET, @bob.',
    );
    const who = (iso: string) => onShift.onShift('test:W1', rotationId, new Date(iso));
    expect(await who('2026-12-01T13:59:00Z')).toEqual(['alice']);
    expect(await who('2026-12-01T14:30:00Z')).toEqual([]); // 15:00–16:00: between the old and the new shifts
    expect(await who('2026-12-01T15:00:00Z')).toEqual(['bob']);
    expect(await who('2026-12-01T23:00:00Z')).toEqual(['carol']); // 00:00–08:00 CET
    expect(await who('2026-12-02T07:00:00Z')).toEqual(['dave']);

    // alice's handoff keeps the old reminder lead (30m before 15:00) and goes to bob at 16:00.
    await h.advance('2026-12-01T13:30:00Z');
    expect(h.sentTo('alice').at(-1)).toContain(
      'Your shift ends at 15:00 CET. Write your handoff note for @bob, who takes over Tue, 1 Dec 2026, 16:00 CET.',
    );
    await h.as('alice').command('handoff', 'note');
    await h.as('alice').submit({ status: 'steady', section1: 'Nothing open.' });
    await h.advance('2026-12-01T14:59:00Z');
    expect(h.sentTo('bob').filter((t) => t.startsWith('Handoff ·'))).toEqual([]);
    await h.advance('2026-12-01T15:00:00Z');
    expect(h.sentTo('bob').at(-1)).toContain('From @alice to @bob · shift change Tue, 1 Dec 2026, 16:00 CET');
    // bob's shift follows the new settings: reminded an hour before 00:00.
    await h.advance('2026-12-01T22:00:00Z');
    expect(h.sentTo('bob').at(-1)).toContain('Your shift ends at 00:00 CET. Write your handoff note for @carol');
  });

  test('editing a rotation that has not started replaces its plan, keeping its first day', async () => {
    const { h, onShift, rotationId } = await withRotation('2026-11-30T08:00:00Z');
    await h.as('eve').command('handoff', 'rotation edit Ops');
    await h.as('eve').submit({ members: ['carol', 'alice'], shifts: '09:00', days: ['1', '2', '3', '4', '5'] });
    expect(h.repliesTo('eve').at(-1)).toBe(
      'Saved Ops. The shift in progress stays as it is; the changes apply from Tue, 1 Dec 2026, 00:00 CET. Next shift: Tue, 1 Dec 2026, 09:00 CET, @carol.',
    );
    expect(await onShift.onShift('test:W1', rotationId, new Date('2026-12-05T12:00:00Z'))).toEqual(['alice']); // Friday's shift runs over the weekend
    const reminders = await findJobs(database.db, { kind: 'handoff.remind', state: 'pending' });
    expect(reminders.map((j) => j.runAt.toISOString())).toEqual(['2026-12-02T07:30:00.000Z']);
    expect(await countRows(database, 'rotation_versions')).toBe(1);
  });

  test('only the creator, the supervisor or an admin may edit or delete', async () => {
    const { h } = await withRotation();
    await h.as('bob').command('handoff', 'rotation edit Ops');
    expect(h.repliesTo('bob').at(-1)).toBe("Only the rotation's creator (@eve), its supervisor or a workspace admin can change Ops.");
    await h.as('bob').command('handoff', 'rotation delete Ops');
    expect(h.repliesTo('bob').at(-1)).toBe("Only the rotation's creator (@eve), its supervisor or a workspace admin can change Ops.");
    await h.steady.services.admins.add({ workspaceId: 'test:W1', userId: 'eve' }, 'bob');
    await h.as('bob').command('handoff', 'rotation edit Ops');
    expect(h.lastForm('bob')?.title).toBe('Edit rotation');
  });
});

describe('overrides', () => {
  test('from now for a length; a later override wins over an earlier one; the handoff follows', async () => {
    const { h, onShift, rotationId } = await withRotation();
    await h.advance('2026-12-01T10:00:00Z');
    await h.as('alice').command('handoff', 'override <@dave> now +3h');
    expect(h.repliesTo('alice').at(-1)).toBe(
      '@dave covers Ops from Tue, 1 Dec 2026, 11:00 CET to Tue, 1 Dec 2026, 14:00 CET, instead of @alice.',
    );
    await h.as('eve').command('handoff', 'override Ops <@carol> 2026-12-01 13:00 2026-12-01 16:00');
    expect(h.repliesTo('eve').at(-1)).toBe(
      '@carol covers Ops from Tue, 1 Dec 2026, 13:00 CET to Tue, 1 Dec 2026, 16:00 CET, instead of @dave, @alice, @bob.',
    );
    const who = (iso: string) => onShift.onShift('test:W1', rotationId, new Date(iso));
    expect(await who('2026-12-01T10:30:00Z')).toEqual(['dave']);
    expect(await who('2026-12-01T12:30:00Z')).toEqual(['carol']);
    expect(await who('2026-12-01T15:30:00Z')).toEqual(['bob']);
    await h.as('bob').command('handoff', 'who');
    expect(h.repliesTo('bob').at(-1)).toBe(
      'Ops (Europe/Berlin)\nNow: @dave (override), until Tue, 1 Dec 2026, 14:00 CET\nNext: @carol (override), Tue, 1 Dec 2026, 15:00 CET – 23:00 CET (8h)',
    );
    // carol is on at both ends of 15:00: the same person stays on, so there is no handoff to write.
    await h.advance('2026-12-01T14:30:00Z');
    expect(h.sentTo('carol').filter((t) => t.startsWith('Handoff due'))).toEqual([]);
    await h.as('carol').command('handoff', 'history Ops 1d');
    expect(h.repliesTo('carol').at(-1)).toBe(
      'Ops: handoffs, last 1d\nTue, 1 Dec 2026, 15:00 CET · @carol → @carol · no handoff (the same person stays on)',
    );
  });
});

describe('seeing and cancelling overrides and swaps', () => {
  test('the list shows what is coming; one in progress ends now, a swap is cancelled as a whole, outsiders are refused', async () => {
    const { h, onShift, rotationId } = await withRotation('2026-11-30T08:00:00Z');
    const who = (iso: string) => onShift.onShift('test:W1', rotationId, new Date(iso));
    await h.as('bob').command('handoff', 'swap <@carol> 2026-12-01');
    const accept = h.buttonsOf(h.platform.sent.filter((s) => s.to === 'carol').at(-1)!).find((b) => b.label === 'Accept')!;
    await h.as('carol').press(accept);
    await h.as('eve').command('handoff', 'override <@dave> 2026-12-02 07:00 2026-12-02 15:00');
    await h.as('eve').command('handoff', 'override <@dave> 2026-12-01 09:00 2026-12-01 12:00');

    await h.advance('2026-12-01T09:00:00Z'); // 10:00 in Berlin: dave's first override is in progress
    await h.as('alice').command('handoff', 'overrides');
    const list = h.repliesTo('alice').at(-1)!;
    expect(list.split('\n')).toEqual([
      'Overrides: Ops',
      expect.stringMatching(/^#\d+ @dave from Tue, 1 Dec 2026, 09:00 CET to Tue, 1 Dec 2026, 12:00 CET \(set by @eve\)$/),
      expect.stringMatching(/^\[End #\d+ now\]$/),
      expect.stringMatching(/^#\d+ @carol from Tue, 1 Dec 2026, 15:00 CET to Tue, 1 Dec 2026, 23:00 CET \(a swap\)$/),
      expect.stringMatching(/^\[Cancel #\d+\]$/),
      expect.stringMatching(/^#\d+ @bob from Tue, 1 Dec 2026, 23:00 CET to Wed, 2 Dec 2026, 07:00 CET \(a swap\)$/),
      expect.stringMatching(/^\[Cancel #\d+\]$/),
      expect.stringMatching(/^#\d+ @dave from Wed, 2 Dec 2026, 07:00 CET to Wed, 2 Dec 2026, 15:00 CET \(set by @eve\)$/),
      expect.stringMatching(/^\[Cancel #\d+\]$/),
      "Cancelling one that has started ends it now; the rotation's own turns apply again. Cancelling one side of a swap cancels both.",
    ]);
    const [inProgress, swapSide, , tomorrow] = [...list.matchAll(/^#(\d+) /gm)].map((m) => m[1]!);

    // Someone outside the rotation may not; the override stays.
    await h.as('zed').command('handoff', `override cancel ${tomorrow}`);
    expect(h.repliesTo('zed').at(-1)).toBe('Only members of Ops, its supervisor or a workspace admin can cancel its overrides.');
    expect(await who('2026-12-02T07:00:00Z')).toEqual(['dave']);

    // Ending the one in progress: alice is back on now; the hours dave covered stay on record.
    await h.as('alice').press({ actionId: 'handoff.override-cancel', value: inProgress! });
    expect(h.repliesTo('alice').at(-1)).toBe(
      'Ended the override now: @dave from Tue, 1 Dec 2026, 09:00 CET to Tue, 1 Dec 2026, 12:00 CET on Ops. On shift now: @alice.',
    );
    expect(h.sentTo('dave').at(-1)).toBe(
      "@alice ended your cover of Ops from Tue, 1 Dec 2026, 08:00 GMT to Tue, 1 Dec 2026, 11:00 GMT. The rotation's own turns apply again.",
    );
    expect(await who('2026-12-01T09:30:00Z')).toEqual(['alice']);
    expect(await who('2026-12-01T08:30:00Z')).toEqual(['dave']);

    // Cancelling one side of the swap takes back both: bob has his evening again, carol her night.
    await h.as('eve').command('handoff', `override cancel #${swapSide}`);
    expect(h.repliesTo('eve').at(-1)).toMatch(
      /^Cancelled the swap: @(carol|bob) from .*; @(carol|bob) from .* on Ops\. On shift now: @alice\.$/,
    );
    expect(await who('2026-12-01T15:00:00Z')).toEqual(['bob']);
    expect(await who('2026-12-01T23:00:00Z')).toEqual(['carol']);
    expect(h.sentTo('carol').at(-1)).toContain('@eve cancelled your cover of Ops');

    // Pressing again changes nothing; alice's reminder names the incoming person the rotation now gives.
    await h.as('alice').press({ actionId: 'handoff.override-cancel', value: inProgress! });
    expect(h.repliesTo('alice').at(-1)).toBe(`Override #${inProgress} is already over or cancelled. Nothing was changed.`);
    await h.advance('2026-12-01T13:30:00Z');
    expect(h.sentTo('alice').at(-1)).toContain('Write your handoff note for @bob');
    await h.as('bob').command('handoff', 'overrides Ops');
    expect(h.repliesTo('bob').at(-1)).toMatch(/^Overrides: Ops\n#\d+ @dave from Wed, 2 Dec 2026, 07:00 CET/);
  });
});

describe('deleting a rotation', () => {
  test('asks first, then stops every coming reminder; a delivered note can still be confirmed', async () => {
    const { h, onShift, rotationId } = await withRotation();
    await h.advance('2026-12-01T13:30:00Z');
    await h.as('alice').command('handoff', 'note');
    await h.as('alice').submit({ status: 'steady', section1: 'Quiet.' });
    await h.advance('2026-12-01T14:00:00Z');
    const confirm = h.buttonsOf(h.platform.sent.filter((s) => s.to === 'bob').at(-1)!)[0]!;

    await h.as('eve').command('handoff', 'rotation delete Ops');
    expect(h.repliesTo('eve').at(-1)).toBe(
      'Delete the Ops rotation? Its coming reminders stop; notes already delivered stay and can still be confirmed.\n[Delete Ops]',
    );
    expect(await countRows(database, 'rotations')).toBe(1);
    await h.as('eve').press({ actionId: 'handoff.rotation-delete', value: rotationId });
    expect(h.repliesTo('eve').at(-1)).toBe('Deleted the Ops rotation. Its coming reminders are cancelled.');
    expect(await findJobs(database.db, { state: 'pending', kind: 'handoff.remind' })).toEqual([]);
    expect(await findJobs(database.db, { state: 'pending', kind: 'handoff.confirm-remind' })).toEqual([]);
    expect(await findRulesByOwner(database.db, `rotation:${rotationId}`)).toEqual([]);
    expect(await onShift.rotations('test:W1')).toEqual([]);
    expect(await onShift.onShift('test:W1', rotationId, new Date('2026-12-01T16:00:00Z'))).toEqual([]);

    const sent = h.platform.sent.length;
    await h.advance('2026-12-02T14:00:00Z');
    expect(h.platform.sent.length).toBe(sent);
    await h.as('bob').press(confirm);
    expect(h.repliesTo('bob').at(-1)).toContain('Handoff confirmed at');
    await h.as('eve').press({ actionId: 'handoff.rotation-delete', value: rotationId });
    expect(h.repliesTo('eve').at(-1)).toBe('That rotation is already deleted.');
    // The name is free again.
    await h.as('eve').command('handoff', 'rotation create');
    expect(await h.as('eve').submit(rotationValues({ start: '2026-12-03' }))).toEqual({ status: 'done' });
  });
});

describe('listing, help and home', () => {
  test('the list, the help lines, and what is waiting for a person', async () => {
    const { h } = await withRotation();
    await h.as('bob').command('handoff', 'rotation list');
    expect(h.repliesTo('bob').at(-1)).toBe(
      'Rotations\nOps · 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin · members @alice, @bob, @carol · notes to the channel · supervisor @eve · on now: nobody',
    );
    await h.as('bob').command('steady', 'help');
    expect(h.repliesTo('bob').at(-1)).toContain('/handoff override [rotation] @who <from> <to>');
    await h.as('bob').command('handoff', 'help');
    expect(h.repliesTo('bob').at(-1)).toContain('Shift handoffs\n• /handoff who [rotation]: who is on shift now and next');

    await h.advance('2026-12-01T13:40:00Z');
    await h.as('alice').command('steady', 'home');
    expect(h.repliesTo('alice').at(-1)).toBe(
      'Shifts and handoffs\nWrite your Ops handoff note for @bob: your shift ends 15:00 CET.\n[Write handoff]\nOps: on now @alice · next @bob from Tue, 1 Dec 2026, 15:00 CET',
    );
    await h.as('alice').command('handoff', 'note');
    await h.as('alice').submit({ status: 'steady', section1: 'Quiet.' });
    await h.advance('2026-12-01T14:01:00Z');
    await h.as('bob').command('steady', 'home');
    expect(h.repliesTo('bob').at(-1)).toBe(
      'Shifts and handoffs\nConfirm the Ops handoff from @alice.\n[Confirm] [Ask a question]\nOps: on now @bob · next @carol from Tue, 1 Dec 2026, 23:00 CET',
    );
    await h.as('bob').command('handoff', 'show');
    expect(h.repliesTo('bob').at(-1)).toContain('Summary\nQuiet.\nWaiting for @bob to confirm.\n[Confirm] [Ask a question]');
    await h.as('zed').command('steady', 'home');
    expect(h.repliesTo('zed').at(-1)).toContain('Nothing needs you right now');
  });
});
