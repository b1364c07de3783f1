import { chaseGapMs } from '../../src/escalation/chasing';
import { describeWorkingHours, nextWorkingTime, parseWorkingHours, type WorkingHours } from '../../src/escalation/working-hours';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { TEAM, dms, raise, resetDatabase } from './support';

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

const weekdays: WorkingHours = { kind: 'weekly', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };
const iso = (d: Date) => d.toISOString();

describe('working hours', () => {
  test('the next instant inside them, on the wall clock of the zone, across DST changes', () => {
    // Inside: unchanged. Friday 18:00 Berlin (the end) is outside: Monday 08:00.
    expect(iso(nextWorkingTime(new Date('2026-11-30T10:00:00Z'), weekdays, 'Europe/Berlin'))).toBe('2026-11-30T10:00:00.000Z');
    expect(iso(nextWorkingTime(new Date('2026-12-04T17:00:00Z'), weekdays, 'Europe/Berlin'))).toBe('2026-12-07T07:00:00.000Z');
    // Early morning: the same day's start.
    expect(iso(nextWorkingTime(new Date('2026-12-01T03:00:00Z'), weekdays, 'Europe/Berlin'))).toBe('2026-12-01T07:00:00.000Z');
    // Friday evening in New York before the US falls back: Monday 08:00 EST, 13:00 UTC (not 12:00).
    expect(iso(nextWorkingTime(new Date('2026-10-30T22:30:00Z'), weekdays, 'America/New_York'))).toBe('2026-11-02T13:00:00.000Z');
    // Spring forward in Berlin (29 March 2026): a start at 02:30 does not exist that day; it is 03:00 CEST.
    const night: WorkingHours = { kind: 'weekly', days: [7], start: '02:30', end: '05:00' };
    expect(iso(nextWorkingTime(new Date('2026-03-28T23:00:00Z'), night, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    // Tokyo's Sunday-to-Thursday week.
    const sunThu: WorkingHours = { kind: 'weekly', days: [7, 1, 2, 3, 4], start: '09:00', end: '17:00' };
    expect(iso(nextWorkingTime(new Date('2026-12-04T03:00:00Z'), sunThu, 'Asia/Tokyo'))).toBe('2026-12-06T00:00:00.000Z');
    expect(iso(nextWorkingTime(new Date('2026-12-04T03:00:00Z'), { kind: 'always' }, 'Asia/Tokyo'))).toBe('2026-12-04T03:00:00.000Z');
  });

  test('read from what an admin types, and described back', () => {
    const read = (text: string) => {
      const parsed = parseWorkingHours(text);
      return parsed.ok ? describeWorkingHours(parsed.hours) : parsed.error;
    };
    expect(read('Mon-Fri 08:00-18:00')).toBe('Mon–Fri 08:00–18:00');
    expect(read('sun–thu 9:00 to 17:00')).toBe('Sun–Thu 09:00–17:00');
    expect(read('Mon,Wed,Fri 07:30-12:00')).toBe('Mon, Wed, Fri 07:30–12:00');
    expect(read('Sat-Sun 10:00-14:00')).toBe('Sat, Sun 10:00–14:00');
    expect(read('weekdays 08:00-18:00')).toBe('Mon–Fri 08:00–18:00');
    expect(read('every day 07:00-22:00')).toBe('every day 07:00–22:00');
    expect(read('always')).toBe('at any hour');
    expect(read('Mon-Fri 18:00-08:00')).toMatch(/^The end must be after the start; hours across midnight are not supported\./);
    expect(read('Mon-Fri 08:00-25:00')).toMatch(/^Give times as HH:MM, 24-hour\./);
    expect(read('Funday 08:00-18:00')).toMatch(/^"Funday" is not a list of days\./);
    expect(read('soon')).toMatch(/^"soon" is not working hours\./);
  });

  test('chases back off after the third: each wait doubled, up to a day (or the interval if longer)', () => {
    const hour = 3_600_000;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 40].map((n) => chaseGapMs(n, hour) / hour)).toEqual([1, 1, 1, 2, 4, 8, 16, 24, 24]);
    expect(chaseGapMs(5, 2 * 24 * hour) / hour).toBe(48);
  });
});

describe('chasing after an outage', () => {
  test('the owner is chased once when it ends, not once per chase missed, and the next waits its turn', async () => {
    // Monday 30 Nov 2026, 10:00 Berlin: SEV1 for bob, due 11:00; chased at 12:00, then down until 15:45.
    const first = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await raise(first, 'alice', { title: 'Printer down', severity: 'SEV1', owner: 'bob' });
    await first.advance('2026-11-30T11:30:00Z');
    expect(await first.steady.scheduler.stop()).toBe(true);
    const chasedBefore = dms(first, 'bob').filter((s) => /overdue for|Still overdue/.test(s.text));
    expect(chasedBefore).toHaveLength(1);

    const second = new Harness(database, { start: '2026-11-30T14:45:00Z', people: TEAM });
    await second.advance(0);
    // Chases 2 (13:00) and 3 (14:00) fell in the outage: one chase now, the second.
    expect(dms(second, 'bob').map((s) => s.text.split('\n')[0])).toEqual([
      'Still overdue after 4h 45m: ESC-1 Printer down was due Mon, 30 Nov 2026, 11:00 CET. This is reminder 2 since it went overdue, with no decision yet.',
    ]);
    await second.advance('2026-11-30T15:44:00Z');
    expect(dms(second, 'bob')).toHaveLength(1);
    await second.advance('2026-11-30T15:45:00Z');
    expect(dms(second, 'bob')).toHaveLength(2);
  });

  test('a chase due while the process was down, found after working hours, waits for the next morning', async () => {
    const first = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await raise(first, 'alice', { title: 'Printer down', severity: 'SEV1', owner: 'bob' });
    await first.advance('2026-11-30T14:30:00Z');
    expect(await first.steady.scheduler.stop()).toBe(true);

    // Chased at 12:00, 13:00 and 14:00 Berlin; chase 4 was due at 16:00, and Steady is back at 22:00.
    const second = new Harness(database, { start: '2026-11-30T21:00:00Z', people: TEAM });
    await second.advance('2026-12-01T06:59:00Z');
    expect(dms(second, 'bob')).toEqual([]);
    await second.advance('2026-12-01T07:00:00Z');
    expect(dms(second, 'bob').map((s) => s.text.split('\n')[0])).toEqual([
      'Still overdue after 21h: ESC-1 Printer down was due Mon, 30 Nov 2026, 11:00 CET. This is reminder 4 since it went overdue, with no decision yet.',
    ]);
    // Backing off from there: 4h later.
    await second.advance('2026-12-01T10:59:00Z');
    expect(dms(second, 'bob')).toHaveLength(1);
    await second.advance('2026-12-01T11:00:00Z');
    expect(dms(second, 'bob')).toHaveLength(2);
  });
});
