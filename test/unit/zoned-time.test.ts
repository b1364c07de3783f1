import fc from 'fast-check';
import {
  addDays,
  canonicalZone,
  formatInZone,
  fromLocal,
  isLocalDate,
  isLocalTime,
  isTimeZone,
  toLocal,
  weekdayOf,
  zoneOffsetMs,
  zoneWarning,
} from '../../src/core/zoned-time';

describe('wall-clock time in a zone', () => {
  test('local to instant, including the DST gap and overlap', () => {
    expect(fromLocal('2026-07-01', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:30:00.000Z');
    expect(fromLocal('2026-12-01', '09:30', 'Europe/Berlin').toISOString()).toBe('2026-12-01T08:30:00.000Z');
    // 02:30 does not exist on 29 March in Berlin: the end of the gap.
    expect(fromLocal('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 happens twice on 25 October: the first.
    expect(fromLocal('2026-10-25', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(fromLocal('2026-03-08', '02:15', 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(fromLocal('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(fromLocal('2026-06-01', '00:00', 'Asia/Kolkata').toISOString()).toBe('2026-05-31T18:30:00.000Z');
  });

  test('instant to local date, time and weekday', () => {
    expect(toLocal(new Date('2026-11-29T23:30:00Z'), 'Asia/Tokyo')).toEqual({ date: '2026-11-30', time: '08:30', weekday: 1 });
    expect(toLocal(new Date('2026-11-30T03:00:00Z'), 'America/Chicago')).toEqual({ date: '2026-11-29', time: '21:00', weekday: 7 });
  });

  test('formatting names the zone', () => {
    expect(formatInZone(new Date('2026-11-30T16:00:00Z'), 'Europe/Berlin')).toBe('Mon, 30 Nov 2026, 17:00 CET');
    expect(formatInZone(new Date('2026-11-30T16:00:00Z'), 'Europe/Berlin', 'time')).toBe('17:00 CET');
  });

  test('validation of zones, dates and times', () => {
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalTime('25:00')).toBe(false);
    expect(isLocalTime('09:30')).toBe(true);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(weekdayOf('2026-11-29')).toBe(7);
  });
});

describe('zone names as people type them', () => {
  test('are stored under their canonical IANA names, whatever the case or the old spelling', () => {
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone(' AMERICA/NEW_YORK ')).toBe('America/New_York');
    expect(canonicalZone('asia/kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('etc/gmt+5')).toBe('Etc/GMT+5');
    expect(canonicalZone('Mars/Olympus')).toBeUndefined();
    expect(canonicalZone('')).toBeUndefined();
  });

  test('zones that are no place are kept as given and warned about; a place never is', () => {
    expect(canonicalZone('est')).toBe('EST');
    expect(zoneWarning('EST')).toBe(
      "EST is a fixed offset, UTC−05:00 all year with no daylight saving: for part of the year it is an hour off America/New_York. To follow a place's clock changes, use America/New_York (or your own city's zone).",
    );
    expect(zoneWarning('Etc/GMT-3')).toMatch(/^Etc\/GMT-3 is a fixed offset, UTC\+03:00 all year/);
    expect(zoneWarning('MST')).toMatch(
      /^MST is a fixed offset, UTC−07:00 all year with no daylight saving: for part of the year it is an hour off America\/Denver\./,
    );
    // Same clock as the place they stand for: Honolulu keeps no daylight saving either, CET changes with Berlin.
    expect(canonicalZone('cet')).toBe('CET');
    expect(zoneWarning('HST')).toBeUndefined();
    expect(zoneWarning('CET')).toBeUndefined();
    expect(zoneWarning('Europe/Berlin')).toBeUndefined();
    expect(zoneWarning('Asia/Tokyo')).toBeUndefined();
    expect(zoneWarning('UTC')).toBeUndefined();
  });
});

describe('offsets and names kept by the minute', () => {
  // Zones with half- and quarter-hour offsets, southern and northern summers, and transitions at odd local times.
  const zones = [
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kathmandu',
    'Asia/Gaza',
    'Africa/Casablanca',
    'America/Santiago',
    'Asia/Tokyo',
    'UTC',
  ];
  const wallClock = (instant: Date, zone: string) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(instant)
        .map((p) => [p.type, p.value]),
    );
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      time: `${parts.hour}:${parts.minute}`,
      seconds: Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!),
    };
  };

  test('agree with Intl at every instant, asked once or again (the second answer comes from what was kept)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const instant = new Date(ms);
        const expected = wallClock(instant, zone);
        for (let i = 0; i < 2; i++) {
          expect(toLocal(instant, zone)).toMatchObject({ date: expected.date, time: expected.time });
          expect(zoneOffsetMs(ms, zone)).toBe(expected.seconds - Math.floor(ms / 1000) * 1000);
        }
      }),
      { seed: 20261206, numRuns: 2000 },
    );
  });

  test('across a change of clocks: the minute before and the minute of it', () => {
    // Berlin springs forward at 01:00 UTC on 29 March 2026; Lord Howe moves half an hour, from 02:00 to 02:30, at 15:30 UTC on 3 October.
    expect(toLocal(new Date('2026-03-29T00:59:59Z'), 'Europe/Berlin').time).toBe('01:59');
    expect(toLocal(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin').time).toBe('03:00');
    expect(formatInZone(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin', 'time')).toBe('01:59 CET');
    expect(formatInZone(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin', 'time')).toBe('03:00 CEST');
    expect(toLocal(new Date('2026-10-03T15:29:59Z'), 'Australia/Lord_Howe').time).toBe('01:59');
    expect(toLocal(new Date('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe').time).toBe('02:30');
  });
});
