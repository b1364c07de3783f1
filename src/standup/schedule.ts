import { MINUTE_MS } from '../core/duration';
import { addDays, formatInZone, fromLocal, toLocal, weekdayOf } from '../core/zoned-time';
import { nextOccurrence } from '../scheduler/recurring';
import type { Standup } from './model';

/**
 * When a stand-up asks whom: one recurring rule per participant, in wall-clock time of the zone that
 * applies to them (their own, or the stand-up's fixed zone). The scheduler's rules do the DST
 * arithmetic; everything here is the calendar around them.
 */

export const JOB = {
  prompt: 'standup.prompt',
  remind: 'standup.remind',
  cutoff: 'standup.cutoff',
  publish: 'standup.publish',
  welcome: 'standup.welcome',
  zoneSync: 'standup.zone-sync',
} as const;

export const ownerOf = (standupId: string) => `standup:${standupId}`;
export const ruleKey = (standupId: string, userId: string) => `standup:${standupId}:${userId}`;

/** `30 9 * * 1,2,3,4,5`: cron counts Sunday as 0. */
export function cronFor(days: readonly number[], time: string): string {
  const [hh, mm] = time.split(':').map(Number);
  return `${mm} ${hh} * * ${[...days]
    .map((d) => d % 7)
    .sort((a, b) => a - b)
    .join(',')}`;
}

/** The zone a participant is asked in. */
export function zoneFor(standup: Pick<Standup, 'zoneMode' | 'fixedZone'>, personalZone: string): string {
  return standup.zoneMode === 'fixed' && standup.fixedZone ? standup.fixedZone : personalZone;
}

export function cutoffMs(standup: Pick<Standup, 'cutoffMinutes'>): number {
  return standup.cutoffMinutes * MINUTE_MS;
}

/** The instant of a participant's prompt on one of their local dates. */
export function promptInstant(standup: Pick<Standup, 'time'>, date: string, zone: string): Date {
  return fromLocal(date, standup.time, zone);
}

export function isStandupDay(standup: Pick<Standup, 'days' | 'holidays'>, date: string): boolean {
  return standup.days.includes(weekdayOf(date)) && !standup.holidays.includes(date);
}

/**
 * A participant's next prompt after `after` in `zone`, past holidays and past the dates they were
 * already asked on (`/standup now` asks once a day: that day's own time then asks nothing); null
 * when paused or never.
 */
export function nextPromptAt(standup: Standup, zone: string, after: Date, asked: ReadonlySet<string> = new Set()): Date | null {
  if (standup.paused || standup.days.length === 0) return null;
  const cron = cronFor(standup.days, standup.time);
  let at: Date | null = after;
  for (let i = 0; i < 400 && at; i++) {
    at = nextOccurrence(cron, zone, at);
    const date = at && toLocal(at, zone).date;
    if (at && date && !standup.holidays.includes(date) && !asked.has(date)) return at;
  }
  return null;
}

/** The earliest date that is today somewhere: sessions from then on may still be ahead of a prompt. */
export function earliestToday(now: Date): string {
  return addDays(toLocal(now, 'UTC').date, -1);
}

/** The latest cut-off on a date across these participants' zones: when the day's summary is final. */
export function dayClosesAt(standup: Standup, date: string, zones: readonly string[]): Date | null {
  let latest: Date | null = null;
  for (const zone of zones) {
    const cutoff = new Date(promptInstant(standup, date, zone).getTime() + cutoffMs(standup));
    if (!latest || cutoff > latest) latest = cutoff;
  }
  return latest;
}

/** "Mon, 30 Nov 2026" for a local date (no zone: it is the same date for everyone it concerns). */
export function dateLabel(date: string): string {
  return formatInZone(fromLocal(date, '12:00', 'UTC'), 'UTC', 'date');
}

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon–Fri", "Mon, Wed, Fri", "every day". */
export function daysLabel(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'every day';
  const consecutive = sorted.length >= 3 && sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (consecutive) return `${DAY_NAMES[sorted[0]! - 1]}–${DAY_NAMES[sorted[sorted.length - 1]! - 1]}`;
  return sorted.map((d) => DAY_NAMES[d - 1]).join(', ');
}

export function dayName(day: number): string {
  return DAY_NAMES[day - 1] ?? String(day);
}

/** Today's local date for someone in `zone`. */
export function localDate(now: Date, zone: string): string {
  return toLocal(now, zone).date;
}
