import { z } from 'zod';
import type { WorkingHoursJson } from '../../db/tables/escalation';
import { addDays, fromLocal, isLocalTime, toLocal, weekdayOf } from '../core/zoned-time';

/**
 * The hours in which an overdue escalation's owner is chased, on their own wall clock: a few days of
 * the week between two times, or at any hour. Outside them a chase waits for the next start, so
 * nobody is chased at night or over the weekend, whatever the DST offset that day.
 */
export type WorkingHours = WorkingHoursJson;

export const DEFAULT_WORKING_HOURS: WorkingHours = { kind: 'weekly', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };

const time = z.string().refine(isLocalTime, 'Give times as HH:MM, 24-hour.');

/** Working hours as stored and as accepted from a person. */
export const workingHoursSchema = z.union([
  z.object({ kind: z.literal('always') }),
  z
    .object({ kind: z.literal('weekly'), days: z.array(z.number().int().min(1).max(7)).min(1).max(7), start: time, end: time })
    .refine((h) => h.start < h.end, 'The end must be after the start; hours across midnight are not supported.')
    .refine((h) => new Set(h.days).size === h.days.length, 'Name each day once.'),
]);

/** The first instant at or after `at` inside the working hours, in `zone`. */
export function nextWorkingTime(at: Date, hours: WorkingHours, zone: string): Date {
  if (hours.kind === 'always') return at;
  let date = toLocal(at, zone).date;
  for (let day = 0; day < 8; day++, date = addDays(date, 1)) {
    if (!hours.days.includes(weekdayOf(date))) continue;
    const start = fromLocal(date, hours.start, zone);
    if (at < fromLocal(date, hours.end, zone)) return at > start ? at : start;
  }
  return at;
}

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon–Fri 08:00–18:00", "Mon, Wed, Fri 09:00–17:00", "every day 07:00–22:00", "at any hour". */
export function describeWorkingHours(hours: WorkingHours): string {
  if (hours.kind === 'always') return 'at any hour';
  return `${describeDays(hours.days)} ${hours.start}–${hours.end}`;
}

function describeDays(days: readonly number[]): string {
  if (days.length === 7) return 'every day';
  const next = (d: number) => (d % 7) + 1;
  const previous = (d: number) => ((d + 5) % 7) + 1;
  // Runs of consecutive days, starting with one whose day before is off, so Sun–Thu reads as one run.
  let d = [1, 2, 3, 4, 5, 6, 7].find((day) => days.includes(day) && !days.includes(previous(day)))!;
  const runs: number[][] = [];
  for (let i = 0; i < 7; i++, d = next(d)) {
    if (!days.includes(d)) continue;
    const last = runs.at(-1);
    if (last && last.at(-1) === previous(d)) last.push(d);
    else runs.push([d]);
  }
  const name = (day: number) => DAY_NAMES[day - 1]!;
  return runs
    .map((r) => (r.length === 1 ? name(r[0]!) : r.length === 2 ? `${name(r[0]!)}, ${name(r[1]!)}` : `${name(r[0]!)}–${name(r.at(-1)!)}`))
    .join(', ');
}

export type ParsedHours = { readonly ok: true; readonly hours: WorkingHours } | { readonly ok: false; readonly error: string };

const USAGE = 'Give days and times such as "Mon-Fri 08:00-18:00" or "Sun-Thu 09:00-17:00", or "always" to chase at any hour.';
const DAY = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*$/i;
const HOURS = /^(.+?)\s+(\d{1,2}:\d{2})\s*(?:-|–|to)\s*(\d{1,2}:\d{2})$/i;

/** "Mon-Fri 08:00-18:00", "Mon,Wed,Fri 9:00-17:00", "weekdays 08:00-18:00", "every day 07:00-22:00", "always". */
export function parseWorkingHours(text: string): ParsedHours {
  const t = text.trim();
  if (/^(always|any ?time|24\/7)$/i.test(t)) return { ok: true, hours: { kind: 'always' } };
  const m = HOURS.exec(t);
  if (!m) return { ok: false, error: `"${t}" is not working hours. ${USAGE}` };
  const days = parseDays(m[1]!.trim());
  if (!days) return { ok: false, error: `"${m[1]!.trim()}" is not a list of days. ${USAGE}` };
  const parsed = workingHoursSchema.safeParse({ kind: 'weekly', days, start: m[2]!.padStart(5, '0'), end: m[3]!.padStart(5, '0') });
  if (!parsed.success) return { ok: false, error: `${parsed.error.issues[0]!.message} ${USAGE}` };
  return { ok: true, hours: parsed.data };
}

function parseDays(text: string): number[] | undefined {
  if (/^(weekdays|work ?days)$/i.test(text)) return [1, 2, 3, 4, 5];
  if (/^(every ?day|daily|all ?week)$/i.test(text)) return [1, 2, 3, 4, 5, 6, 7];
  const days: number[] = [];
  for (const part of text.split(/\s*,\s*/)) {
    const range = part.split(/\s*(?:-|–)\s*/);
    const ends = range.map((d) => (DAY.test(d) ? DAY_NAMES.findIndex((n) => d.toLowerCase().startsWith(n.toLowerCase())) + 1 : 0));
    if (ends.length > 2 || ends.some((d) => d === 0)) return undefined;
    const [from, to = from] = ends as [number, number?];
    for (let d = from; ; d = (d % 7) + 1) {
      if (!days.includes(d)) days.push(d);
      if (d === to) break;
    }
  }
  return days.sort((a, b) => a - b);
}
