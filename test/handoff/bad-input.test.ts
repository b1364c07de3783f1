import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import type { Sent } from '../support/recording-platform';
import { countRows, handoffHarness, resetHandoffs, rotationValues } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetHandoffs(database));

async function nothingStored(): Promise<void> {
  for (const table of ['rotations', 'rotation_versions', 'handoffs', 'jobs', 'recurring_rules'] as const) {
    expect([table, await countRows(database, table)]).toEqual([table, 0]);
  }
}

describe('bad rotation forms: a clear message on the field, nothing stored', () => {
  test.each([
    [
      'overlapping shifts',
      { shifts: '07:00-15:00, 14:00-22:00' },
      'shifts',
      '07:00-15:00 and 14:00-22:00 overlap. Shifts in one rotation follow each other: make each start at or after the previous one ends.',
    ],
    [
      'a night shift running into the morning one',
      { shifts: '06:00-14:00, 14:00-22:00, 22:00-07:00' },
      'shifts',
      '06:00-14:00 and 22:00-07:00 overlap. Shifts in one rotation follow each other: make each start at or after the previous one ends.',
    ],
    ['no members', { members: [] }, 'members', 'Add at least one member, in the order they take shifts.'],
    ['an unknown zone', { zone: 'Mars/Olympus_Mons' }, 'zone', 'Use an IANA time zone name, such as Europe/Berlin or America/New_York.'],
    [
      'an end equal to the start',
      { shifts: '07:00-07:00' },
      'shifts',
      '07:00-07:00 ends when it starts. For one 24-hour shift a day, give just the handover time (07:00).',
    ],
    [
      'a reminder longer than a shift',
      { lead: '9h' },
      'lead',
      'The reminder must come during the shift: make it shorter than 8h, the shortest shift.',
    ],
    [
      'a timeout that is not a duration',
      { timeout: 'soon' },
      'timeout',
      'Give the confirmation timeout as a duration between 1m and 12h, such as 15m.',
    ],
    ['no name', { name: '  ' }, 'name', 'Give the rotation a name, e.g. Ops on-call.'],
    ['no days', { days: [] }, 'days', 'Choose at least one day.'],
    [
      'someone outside the workspace',
      { members: ['alice', 'stranger'] },
      'members',
      "I can't find @stranger in this workspace. Choose people who are members of it.",
    ],
    ['a bad note template', { template: 'Summary*; summary' }, 'template', '"summary" appears twice; give each field its own name.'],
  ])('%s', async (_what, values, field, error) => {
    const { h } = handoffHarness(database, '2026-11-30T08:00:00Z');
    await h.as('eve').command('handoff', 'rotation create');
    const outcome = await h.as('eve').submit(rotationValues(values));
    expect(outcome).toEqual({ status: 'invalid', errors: { [field]: error } });
    await nothingStored();
  });

  test('a name already taken, ignoring case', async () => {
    const { h } = handoffHarness(database, '2026-11-30T08:00:00Z');
    await h.as('eve').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    const before = { rotations: await countRows(database, 'rotations'), jobs: await countRows(database, 'jobs') };
    await h.as('eve').command('handoff', 'rotation create');
    expect(await h.as('eve').submit(rotationValues({ name: 'ops' }))).toEqual({
      status: 'invalid',
      errors: { name: 'There is already a rotation called "ops". Pick another name, or change that one with /handoff rotation edit ops.' },
    });
    expect({ rotations: await countRows(database, 'rotations'), jobs: await countRows(database, 'jobs') }).toEqual(before);
  });
});

/** The swap request a person was sent (not the welcome they got when added to the rotation). */
function swapRequestTo(h: Harness, person: string): Sent {
  const request = h.platform.sent.find((s) => s.to === person && s.text.startsWith('Shift swap: Ops'));
  if (!request) throw new Error(`no swap request was sent to ${person}`);
  return request;
}

describe('bad overrides and swaps: told what is wrong, nothing stored', () => {
  test.each([
    [
      'a swap with someone outside the rotation',
      'bob',
      'swap <@zed> 2026-12-01',
      '@zed is not a member of Ops: swaps are between members. To have someone else cover your shift, use /handoff override.',
    ],
    ['a swap with oneself', 'bob', 'swap <@bob> 2026-12-01', 'Swap with someone else: name the person who would take your shift.'],
    [
      'a swap of a day without a shift of mine',
      'bob',
      'swap <@carol> 2026-11-29',
      'You have no Ops shift on 2026-11-29 (dates are in Europe/Berlin). /handoff who shows who is on.',
    ],
    [
      'a swap of a shift that has started',
      'alice',
      'swap <@bob> 2026-12-01',
      'Your Ops shift on 2026-12-01 has already started: swaps are for shifts to come.',
    ],
    [
      'a swap without a date',
      'bob',
      'swap <@carol>',
      'Usage: /handoff swap [rotation] @who <your date> [<their date>], e.g. /handoff swap Ops @carol 2026-12-01 (dates as YYYY-MM-DD).',
    ],
    [
      'an override in the past',
      'eve',
      'override <@dave> 2026-11-30 23:00 2026-12-01 07:00',
      'That override is in the past: it ended Tue, 1 Dec 2026, 07:00 CET. Overrides are for now and the future.',
    ],
    [
      'an override that started in the past',
      'eve',
      'override <@dave> 2026-12-01 07:00 2026-12-01 15:00',
      'An override can\'t start in the past (Tue, 1 Dec 2026, 07:00 CET, it is now Tue, 1 Dec 2026, 11:00 CET). To take over from now, start it with "now".',
    ],
    [
      'an override ending before it starts',
      'eve',
      'override <@dave> 2026-12-02 07:00 2026-12-01 23:00',
      'The override ends (Tue, 1 Dec 2026, 23:00 CET) before it starts (Wed, 2 Dec 2026, 07:00 CET): give the start first, then the end.',
    ],
    [
      'an override for someone outside the workspace',
      'eve',
      'override <@stranger> now 2026-12-01 15:00',
      "I can't find @stranger in this workspace.",
    ],
    [
      'an override by someone not in the rotation',
      'zed',
      'override Ops <@zed> now 2026-12-01 15:00',
      'Only members of Ops, its supervisor or a workspace admin can set overrides.',
    ],
    [
      'an override with a bad date',
      'eve',
      'override <@dave> 2026-13-01 07:00 2026-12-01 15:00',
      expect.stringContaining('"2026-13-01" is not a date'),
    ],
    [
      'an override of an unknown rotation',
      'eve',
      'override Nights <@dave> now 2026-12-01 15:00',
      'There is no rotation called "Nights". Rotations: Ops.',
    ],
  ])('%s', async (_what, who, text, error) => {
    const { h } = handoffHarness(database, '2026-11-30T22:00:00Z');
    await h.as('eve').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.advance('2026-12-01T10:00:00Z');
    const sentBefore = h.platform.sent.length;
    await h.as(who).command('handoff', text);
    expect(h.repliesTo(who).at(-1)).toEqual(error);
    expect(await countRows(database, 'rotation_overrides')).toBe(0);
    expect(await countRows(database, 'rotation_swaps')).toBe(0);
    expect(h.platform.sent.length).toBe(sentBefore);
  });

  test('accepting a swap after one of its shifts started is refused: it has lapsed', async () => {
    const { h } = handoffHarness(database, '2026-11-30T08:00:00Z');
    await h.as('eve').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.as('bob').command('handoff', 'swap <@carol> 2026-12-01');
    const accept = h.buttonsOf(swapRequestTo(h, 'carol'))[0]!;
    await h.advance('2026-12-01T14:30:00Z');
    await h.as('carol').press(accept);
    expect(h.repliesTo('carol').at(-1)).toBe('This swap lapsed: a shift in it started before it was answered.');
    expect(await countRows(database, 'rotation_overrides')).toBe(0);
    expect(h.sentTo('bob').filter((t) => t.includes('lapsed'))).toEqual([
      '@carol did not answer your Ops shift swap before a shift in it started, so it lapsed. Your shifts stay as they were.',
    ]);
  });

  test('a swap left unanswered lapses when its first shift starts: the buttons go and the asker is told, once', async () => {
    const { h } = handoffHarness(database, '2026-11-30T08:00:00Z');
    await h.as('eve').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.as('bob').command('handoff', 'swap <@carol> 2026-12-01'); // bob's 15:00 CET shift for carol's 23:00 CET
    const request = swapRequestTo(h, 'carol');
    await h.advance('2026-12-01T13:59:00Z');
    expect(h.sentTo('bob').filter((t) => t.includes('lapsed'))).toEqual([]);
    await h.advance('2026-12-01T14:00:00Z');
    expect(h.sentTo('bob').filter((t) => t.includes('lapsed'))).toEqual([
      '@carol did not answer your Ops shift swap before a shift in it started, so it lapsed. Your shifts stay as they were.',
    ]);
    expect(h.sentTo(request.ref).at(-1)).toContain('This swap lapsed: a shift in it started before it was answered.');
    expect(h.sentTo(request.ref).at(-1)).not.toContain('[Accept]');
    await h.as('carol').press(h.buttonsOf(request)[0]!);
    expect(h.repliesTo('carol').at(-1)).toBe('This swap lapsed: a shift in it started before it was answered.');
    await h.advance('2026-12-02T14:00:00Z');
    expect(h.sentTo('bob').filter((t) => t.includes('lapsed'))).toHaveLength(1);
    expect(await countRows(database, 'rotation_overrides')).toBe(0);
  });

  test('a swap the other person declines changes nothing; only they can answer it', async () => {
    const { h } = handoffHarness(database, '2026-11-30T08:00:00Z');
    await h.as('eve').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.as('bob').command('handoff', 'swap Ops <@alice> 2026-12-01 2026-12-02');
    expect(h.repliesTo('bob').at(-1)).toContain('in exchange for theirs Wed, 2 Dec 2026, 07:00 CET–15:00 CET');
    const [accept, decline] = h.buttonsOf(swapRequestTo(h, 'alice'));
    await h.as('carol').press(accept!);
    expect(h.repliesTo('carol').at(-1)).toBe('This swap request is for someone else.');
    await h.as('alice').press(decline!);
    expect(h.sentTo('bob').at(-1)).toBe('@alice declined your Ops shift swap. Your shifts stay as they were.');
    expect(await countRows(database, 'rotation_overrides')).toBe(0);
  });

  test('unknown subcommands and missing rotations', async () => {
    const { h } = handoffHarness(database, '2026-11-30T08:00:00Z');
    await h.as('eve').command('handoff', 'who');
    await h.as('eve').command('handoff', 'frobnicate');
    await h.as('eve').command('handoff', 'rotation edit');
    await h.as('eve').command('handoff', 'note');
    await h.as('eve').command('handoff', 'stats Ops 400d');
    expect(h.repliesTo('eve')).toEqual([
      'There are no rotations yet. Create one with /handoff rotation create.',
      'I don\'t know "/handoff frobnicate". Try /handoff help.',
      'Which rotation? /handoff rotation edit <name>',
      "You have no handoff note to write now: you get one when you're on shift and it is about to end. /handoff who shows who is on.",
      'Give a window between 1h and 366d, such as 7d or 30d.',
    ]);
  });
});
