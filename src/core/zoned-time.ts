import { DAY_MS } from './duration';

/**
 * Wall-clock time in IANA zones, with the DST rules spelled out once:
 * - a local time that does not exist (spring forward) becomes the first instant after the gap,
 *   as croner does for recurring rules, so "02:30" on that day means 03:00;
 * - a local time that happens twice (fall back) means the first of the two.
 */

export interface LocalDateTime {
  /** YYYY-MM-DD */
  readonly date: string;
  /** HH:MM, 24-hour */
  readonly time: string;
  /** ISO weekday: Monday 1 … Sunday 7 */
  readonly weekday: number;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    partsFormatters.set(zone, formatter);
  }
  return formatter;
}

export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * ICU (which Node's Intl uses) still resolves some zones to names IANA has since replaced; people
 * know the current ones.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/**
 * Zone names that are no place, with the place people usually mean. They are kept as given (IANA
 * now links EST to Panama and CET to Brussels, which nobody typing them meant) and warned about.
 */
const NOT_A_PLACE: Readonly<Record<string, string>> = {
  EST: 'America/New_York',
  MST: 'America/Denver',
  HST: 'Pacific/Honolulu',
  EST5EDT: 'America/New_York',
  CST6CDT: 'America/Chicago',
  MST7MDT: 'America/Denver',
  PST8PDT: 'America/Los_Angeles',
  CET: 'Europe/Berlin',
  MET: 'Europe/Berlin',
  EET: 'Europe/Athens',
  WET: 'Europe/Lisbon',
};

const FIXED_OFFSET = /^Etc\/GMT[+-]\d{1,2}$/;
/** Mid-January and mid-July: a zone with daylight saving has two offsets between them, north or south. */
const WINTER_AND_SUMMER = [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)];

/**
 * The zone's canonical IANA name (`europe/berlin` → `Europe/Berlin`, `US/Eastern` →
 * `America/New_York`), or undefined when it is no zone. Every zone a person gives is stored this
 * way, so one zone is always spelt one way.
 */
export function canonicalZone(text: string): string | undefined {
  const typed = text.trim();
  if (!isTimeZone(typed)) return undefined;
  const upper = typed.toUpperCase();
  if (NOT_A_PLACE[upper]) return upper;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: typed }).resolvedOptions().timeZone;
  return RENAMED[resolved] ?? resolved;
}

/**
 * What a person should know about a zone that is no place and keeps no daylight saving (EST,
 * Etc/GMT+5): its times are an hour off a place's for part of the year. Undefined otherwise,
 * including for a name that keeps the same clock as the place it stands for (HST, CET).
 */
export function zoneWarning(zone: string): string | undefined {
  const place = NOT_A_PLACE[zone];
  if (!place && !FIXED_OFFSET.test(zone)) return undefined;
  const offsets = WINTER_AND_SUMMER.map((at) => zoneOffsetMs(at, zone));
  if (offsets[0] !== offsets[1]) return undefined;
  if (place && WINTER_AND_SUMMER.every((at, i) => zoneOffsetMs(at, place) === offsets[i])) return undefined;
  const off = place ? `an hour off ${place}` : 'an hour off places that change their clocks';
  const instead = place ? `use ${place} (or your own city's zone)` : "use your city's zone, such as Europe/Berlin or America/New_York";
  return `${zone} is a fixed offset, UTC${formatOffset(offsets[0]!)} all year with no daylight saving: for part of the year it is ${off}. To follow a place's clock changes, ${instead}.`;
}

function formatOffset(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '−' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** The wall clock in `zone` at that instant. */
function fieldsAt(instant: number, zone: string): Fields {
  const local = new Date(Math.floor(instant / 1000) * 1000 + offsetAt(instant, zone));
  const day = local.getUTCDay();
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: day === 0 ? 7 : day,
  };
}

/** Milliseconds the zone is ahead of UTC at that instant. */
export function zoneOffsetMs(instant: number, zone: string): number {
  return offsetAt(instant, zone);
}

/**
 * Since 1980 every zone changes its offset on a whole minute (earlier, local mean times had
 * seconds), so an offset found for a minute serves every instant in it: asking Intl is slow, and a
 * wave of prompts or a list asks thousands of times for the same few minutes.
 */
const WHOLE_MINUTES_SINCE = Date.UTC(1980, 0, 1);
const offsetsByMinute = new Map<string, number>();

function offsetAt(instant: number, zone: string): number {
  return keptByMinute(offsetsByMinute, instant, zone, (minuteStart) => offsetFromIntl(minuteStart, zone));
}

/**
 * What `find` says of the zone at the start of the instant's minute, kept (at most 10,000 entries);
 * before 1980, asked afresh at the instant itself.
 */
function keptByMinute<T>(kept: Map<string, T>, instant: number, zone: string, find: (at: number) => T): T {
  if (instant < WHOLE_MINUTES_SINCE) return find(instant);
  const minute = Math.floor(instant / 60_000);
  const key = `${zone}|${minute}`;
  let value = kept.get(key);
  if (value === undefined) {
    if (kept.size >= 10_000) kept.clear();
    value = find(minute * 60_000);
    kept.set(key, value);
  }
  return value;
}

function offsetFromIntl(instant: number, zone: string): number {
  const out: Record<string, string> = {};
  for (const part of partsFormatter(zone).formatToParts(new Date(instant))) out[part.type] = part.value;
  const wall = Date.UTC(Number(out.year), Number(out.month) - 1, Number(out.day), Number(out.hour), Number(out.minute), Number(out.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function toLocal(instant: Date, zone: string): LocalDateTime {
  const f = fieldsAt(instant.getTime(), zone);
  return {
    date: `${f.year}-${pad(f.month)}-${pad(f.day)}`,
    time: `${pad(f.hour)}:${pad(f.minute)}`,
    weekday: f.weekday,
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isLocalDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function isLocalTime(text: string): boolean {
  return TIME.test(text);
}

/** The instant at which the wall clock in `zone` shows `date` `time` (see the DST rules above). */
export function fromLocal(date: string, time: string, zone: string): Date {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) throw new RangeError(`not a local date and time: ${date} ${time}`);
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  const offsets = new Set([zoneOffsetMs(wall - DAY_MS, zone), zoneOffsetMs(wall, zone), zoneOffsetMs(wall + DAY_MS, zone)]);
  const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
  const exact = candidates.find((c) => c + zoneOffsetMs(c, zone) === wall);
  if (exact !== undefined) return new Date(exact);
  // In a gap: find the transition between the earliest and latest candidate.
  let low = candidates[0]!;
  let high = candidates[candidates.length - 1]!;
  const before = zoneOffsetMs(low, zone);
  while (high - low > 1000) {
    const mid = Math.floor((low + high) / 2000) * 1000;
    if (zoneOffsetMs(mid, zone) === before) low = mid;
    else high = mid;
  }
  return new Date(high);
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a local date: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO weekday (Monday 1 … Sunday 7) of a YYYY-MM-DD date. */
export function weekdayOf(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a local date: ${date}`);
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  return day === 0 ? 7 : day;
}

export type TimeStyle = 'datetime' | 'date' | 'time';

const displayFormatters = new Map<string, Intl.DateTimeFormat>();

function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let formatter = displayFormatters.get(key);
  if (!formatter) {
    formatter = make();
    displayFormatters.set(key, formatter);
  }
  return formatter;
}

function displayFormatter(zone: string, style: TimeStyle): Intl.DateTimeFormat {
  return cached(`${zone}|${style}`, () => {
    const date: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
    const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      ...(style === 'time' ? time : style === 'date' ? date : { ...date, ...time }),
    });
  });
}

/**
 * The zone's short name at that instant. British English knows CET and BST but calls Chicago
 * "GMT-6"; American English knows CST and EST but calls Berlin "GMT+1": take whichever has a name.
 */
function zoneName(instant: Date, zone: string): string {
  // A zone's name changes with its offset, on a whole minute since 1980 (see offsetAt).
  return keptByMinute(zoneNames, instant.getTime(), zone, (at) => lookUpZoneName(new Date(at), zone));
}

const zoneNames = new Map<string, string>();

function lookUpZoneName(instant: Date, zone: string): string {
  const name = (locale: string) =>
    cached(`${zone}|name|${locale}`, () => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }))
      .formatToParts(instant)
      .find((p) => p.type === 'timeZoneName')?.value ?? zone;
  const british = name('en-GB');
  if (!british.startsWith('GMT') || british === 'GMT') return british;
  const american = name('en-US');
  return american.startsWith('GMT') ? british : american;
}

/** "Mon, 30 Nov 2026, 17:00 CET": an instant as a reader in `zone` sees it, zone named. */
export function formatInZone(instant: Date, zone: string, style: TimeStyle = 'datetime'): string {
  const text = displayFormatter(zone, style).format(instant);
  return style === 'date' ? text : `${text} ${zoneName(instant, zone)}`;
}
