import { ALL_DAYS, parseShifts, shortestShiftMinutes } from '../../src/handoff/shift-pattern';
import { activeDaysBetween, ShiftTimeline, type TimelineVersion } from '../../src/handoff/shift-timeline';

const BERLIN = 'Europe/Berlin';

function version(overrides: Partial<TimelineVersion> = {}): TimelineVersion {
  return {
    id: '1',
    effectiveFrom: new Date('2026-10-23T22:00:00Z'), // Sat 24 Oct 00:00 CEST
    zone: BERLIN,
    pattern: {
      kind: 'windows',
      windows: [
        { start: '07:00', end: '15:00' },
        { start: '15:00', end: '23:00' },
        { start: '23:00', end: '07:00' },
      ],
    },
    days: [...ALL_DAYS],
    members: ['alice', 'bob', 'carol'],
    firstMember: 0,
    ...overrides,
  };
}

const iso = (d: Date | undefined) => d?.toISOString();

describe('shift patterns as people type them', () => {
  test('three shifts, sorted, with the night shift ending the next day', () => {
    const parsed = parseShifts('23:00-07:00, 7:00-15:00; 15:00 – 23:00');
    expect(parsed).toEqual({
      ok: true,
      pattern: {
        kind: 'windows',
        windows: [
          { start: '07:00', end: '15:00' },
          { start: '15:00', end: '23:00' },
          { start: '23:00', end: '07:00' },
        ],
      },
    });
  });

  test('one handover a day, or a week', () => {
    expect(parseShifts('09:00')).toEqual({ ok: true, pattern: { kind: 'handover', at: '09:00' } });
    expect(parseShifts('daily 9:30')).toEqual({ ok: true, pattern: { kind: 'handover', at: '09:30' } });
    expect(parseShifts('Weekly Monday 09:00')).toEqual({ ok: true, pattern: { kind: 'handover', at: '09:00' }, days: [1] });
  });

  test('bad shifts say what is wrong', () => {
    expect(parseShifts('07:00-07:00')).toMatchObject({ ok: false, error: expect.stringContaining('07:00-07:00 ends when it starts') });
    expect(parseShifts('07:00-15:00, 14:00-22:00')).toMatchObject({
      ok: false,
      error: expect.stringContaining('07:00-15:00 and 14:00-22:00 overlap'),
    });
    // Overlap across midnight: the night shift runs into the morning one.
    expect(parseShifts('06:00-14:00, 22:00-07:00')).toMatchObject({ ok: false, error: expect.stringContaining('overlap') });
    expect(parseShifts('25:00-03:00')).toMatchObject({ ok: false, error: expect.stringContaining('"25:00-03:00" is not a shift') });
    expect(parseShifts('weekly funday 09:00')).toMatchObject({ ok: false, error: expect.stringContaining('not a weekday') });
    expect(parseShifts('')).toMatchObject({ ok: false });
  });

  test('the shortest shift bounds the reminder lead', () => {
    const three = parseShifts('07:00-15:00, 15:00-23:00, 23:00-07:00');
    expect(three.ok && shortestShiftMinutes(three.pattern, ALL_DAYS)).toBe(480);
    expect(shortestShiftMinutes({ kind: 'handover', at: '09:00' }, [1, 2, 3, 4, 5])).toBe(1440);
    expect(shortestShiftMinutes({ kind: 'handover', at: '09:00' }, [1])).toBe(7 * 1440);
  });
});

describe('shift timeline', () => {
  test('the night shift across the autumn DST change in Berlin is 9 hours, its ends never moved', () => {
    const t = new ShiftTimeline([version()]);
    const night = t.shiftAt(new Date('2026-10-25T01:30:00Z'))!;
    expect(night.date).toBe('2026-10-24');
    expect(iso(night.start)).toBe('2026-10-24T21:00:00.000Z'); // 23:00 CEST
    expect(iso(night.end)).toBe('2026-10-25T06:00:00.000Z'); // 07:00 CET
    expect(night.end.getTime() - night.start.getTime()).toBe(9 * 3_600_000);
    expect(night.memberId).toBe('carol');
    const morning = t.nextShift(night.start)!;
    expect(iso(morning.start)).toBe('2026-10-25T06:00:00.000Z');
    expect(morning.memberId).toBe('alice');
    // Spring forward: the night shift of 28 March 2027 is 7 hours.
    const spring = t.shiftAt(new Date('2027-03-28T02:00:00Z'))!;
    expect(spring.end.getTime() - spring.start.getTime()).toBe(7 * 3_600_000);
  });

  test('a version starts with its first shift at or after it takes effect; turns count every shift', () => {
    const t = new ShiftTimeline([version({ effectiveFrom: new Date('2026-10-24T08:00:00Z'), members: ['a', 'b', 'c', 'd'] })]);
    const shifts = t.shiftsStartingIn(new Date('2026-10-24T00:00:00Z'), new Date('2026-10-26T00:00:00Z'));
    expect(shifts.map((s) => `${s.date} ${s.slot} ${s.memberId}`)).toEqual([
      '2026-10-24 1 a', // 15:00: the 07:00 shift had started before the version took effect
      '2026-10-24 2 b',
      '2026-10-25 0 c',
      '2026-10-25 1 d',
      '2026-10-25 2 a',
    ]);
    expect(t.shiftAt(new Date('2026-10-24T07:00:00Z'))).toBeUndefined();
    expect(t.previousShift(shifts[0]!.start)).toBeUndefined();
  });

  test('a later version takes over from its effective time, keeping the shift in progress', () => {
    const first = version();
    const second = version({
      id: '2',
      effectiveFrom: new Date('2026-11-02T14:00:00Z'),
      pattern: { kind: 'handover', at: '09:00' },
      days: [1, 2, 3, 4, 5],
      members: ['x', 'y'],
      firstMember: 1,
    });
    const t = new ShiftTimeline([second, first]);
    const before = t.shiftAt(new Date('2026-11-02T13:00:00Z'))!;
    expect(before.versionId).toBe('1');
    expect(iso(before.end)).toBe('2026-11-02T14:00:00.000Z');
    // 15:00 and 23:00 shifts of the old version are gone; the next is Tuesday 09:00.
    const next = t.nextShift(before.start)!;
    expect([iso(next.start), next.memberId, next.versionId]).toEqual(['2026-11-03T08:00:00.000Z', 'y', '2']);
    // The Friday shift runs to Monday's handover.
    const friday = t.shiftAt(new Date('2026-11-07T12:00:00Z'))!;
    expect([friday.date, iso(friday.end), friday.memberId]).toEqual(['2026-11-06', '2026-11-09T08:00:00.000Z', 'x']);
  });

  test('weekly shifts and days active', () => {
    const t = new ShiftTimeline([
      version({ pattern: { kind: 'handover', at: '09:00' }, days: [1], effectiveFrom: new Date('2026-11-01T00:00:00Z') }),
    ]);
    const s = t.shiftAt(new Date('2026-11-05T12:00:00Z'))!;
    expect([s.date, iso(s.start), iso(s.end), s.memberId]).toEqual([
      '2026-11-02',
      '2026-11-02T08:00:00.000Z',
      '2026-11-09T08:00:00.000Z',
      'alice',
    ]);
    expect(t.nextShift(s.start)!.memberId).toBe('bob');
  });

  test('active days are counted by arithmetic over whole weeks', () => {
    expect(activeDaysBetween('2026-11-02', '2026-11-09', [1, 2, 3, 4, 5])).toBe(5);
    expect(activeDaysBetween('2026-11-02', '2031-11-03', [1, 2, 3, 4, 5, 6, 7])).toBe(1827);
    expect(activeDaysBetween('2026-11-06', '2026-11-10', [1, 5])).toBe(2);
    expect(activeDaysBetween('2026-11-06', '2026-11-06', [1, 5])).toBe(0);
  });
});
