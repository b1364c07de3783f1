import { addDays, fromLocal, toLocal, weekdayOf } from '../core/zoned-time';
import { minutesOf, type ShiftPattern } from './shift-pattern';
import { DAY_MS } from '../core/duration';

/** How a rotation runs from `effectiveFrom` until the next version takes over. */
export interface TimelineVersion {
  readonly id: string;
  readonly effectiveFrom: Date;
  readonly zone: string;
  readonly pattern: ShiftPattern;
  readonly days: readonly number[];
  readonly members: readonly string[];
  /** Index into `members` of whoever takes this version's first shift. */
  readonly firstMember: number;
}

export interface Shift {
  readonly start: Date;
  readonly end: Date;
  /** The local date (in the version's zone) the shift belongs to: the day it starts. */
  readonly date: string;
  /** Position among the day's shifts, earliest first. */
  readonly slot: number;
  readonly versionId: string;
  /** The shift's number within its version, from 0: its turn. */
  readonly index: number;
  /** Whose turn it is, before overrides and swaps. */
  readonly memberId: string | undefined;
}

/**
 * A rotation's shifts over time, before overrides. The rules, in one place:
 * - boundaries are wall-clock times in the version's zone (`fromLocal`: a time skipped by
 *   spring-forward means the end of the gap, a repeated time its first occurrence), so a night
 *   shift across a DST change is an hour longer or shorter, never moved;
 * - a shift belongs to the local date it starts on, and happens only on the version's active days;
 * - a version's shifts are those of its pattern that start at or after its `effectiveFrom` and
 *   before the next version's;
 * - turns: the version's shifts are numbered from 0 in start order, and shift k goes to
 *   `members[(firstMember + k) mod members.length]`. Every shift counts, so with three shifts a
 *   day and three members each person keeps the same shift every day; with four members the
 *   shifts move along one person a day.
 */
export class ShiftTimeline {
  private readonly versions: readonly TimelineVersion[];

  constructor(versions: readonly TimelineVersion[]) {
    this.versions = [...versions].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  }

  get isEmpty(): boolean {
    return this.versions.length === 0;
  }

  /** Shifts that start in [from, to), in start order. */
  shiftsStartingIn(from: Date, to: Date): Shift[] {
    const out: Shift[] = [];
    this.versions.forEach((version, i) => {
      const until = this.versions[i + 1]?.effectiveFrom;
      const lo = Math.max(from.getTime(), version.effectiveFrom.getTime());
      const hi = Math.min(to.getTime(), until ? until.getTime() : Infinity);
      if (lo >= hi) return;
      const first = addDays(toLocal(new Date(lo), version.zone).date, -1);
      const last = toLocal(new Date(hi), version.zone).date;
      for (let date = first; date <= last; date = addDays(date, 1)) {
        for (const shift of shiftsOnDate(version, date)) {
          const t = shift.start.getTime();
          if (t >= lo && t < hi) out.push(shift);
        }
      }
    });
    return out.sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  /** The shift in progress at `at`, if any. */
  shiftAt(at: Date): Shift | undefined {
    const candidates = this.shiftsStartingIn(new Date(at.getTime() - this.lookbackMs()), new Date(at.getTime() + 1));
    for (let i = candidates.length - 1; i >= 0; i--) {
      const shift = candidates[i]!;
      if (shift.end.getTime() > at.getTime()) return shift;
    }
    return undefined;
  }

  /** The first shift that starts after `after` (strictly). */
  nextShift(after: Date): Shift | undefined {
    const from = new Date(after.getTime() + 1);
    // Active days are at most a week apart; look a little further for a version that starts later.
    for (let span = 9; span <= 9 * 8; span *= 2) {
      const found = this.shiftsStartingIn(from, new Date(from.getTime() + span * DAY_MS))[0];
      if (found) return found;
    }
    return undefined;
  }

  /** The last shift that starts before `before` (strictly). */
  previousShift(before: Date): Shift | undefined {
    const found = this.shiftsStartingIn(new Date(before.getTime() - 9 * DAY_MS), before);
    return found[found.length - 1];
  }

  private lookbackMs(): number {
    // A handover shift can last a week; fixed shifts less than a day.
    return this.versions.some((v) => v.pattern.kind === 'handover') ? 8 * DAY_MS : 2 * DAY_MS;
  }
}

/** Where a version's turns are counted from: its first local date, and that day's shifts before it took effect. */
const anchors = new WeakMap<TimelineVersion, { date: string; skipped: number }>();

function anchorOf(version: TimelineVersion): { date: string; skipped: number } {
  let anchor = anchors.get(version);
  if (!anchor) {
    const date = toLocal(version.effectiveFrom, version.zone).date;
    const skipped = rawShiftsOnDate(version, date).filter((s) => s.start.getTime() < version.effectiveFrom.getTime()).length;
    anchor = { date, skipped };
    anchors.set(version, anchor);
  }
  return anchor;
}

/** The version's shifts that belong to a local date, numbered by turn (before the effective-from cut). */
function shiftsOnDate(version: TimelineVersion, date: string): Shift[] {
  const anchor = anchorOf(version);
  if (date < anchor.date) return [];
  const raw = rawShiftsOnDate(version, date);
  if (raw.length === 0) return [];
  const perDay = version.pattern.kind === 'windows' ? version.pattern.windows.length : 1;
  const before = activeDaysBetween(anchor.date, date, version.days) * perDay - anchor.skipped;
  const n = version.members.length;
  return raw.map((s) => {
    const index = before + s.slot;
    return { ...s, versionId: version.id, index, memberId: n ? version.members[(((version.firstMember + index) % n) + n) % n] : undefined };
  });
}

function rawShiftsOnDate(version: TimelineVersion, date: string): { start: Date; end: Date; date: string; slot: number }[] {
  if (!version.days.includes(weekdayOf(date))) return [];
  const { pattern, zone } = version;
  if (pattern.kind === 'handover') {
    return [{ start: instant(date, pattern.at, zone), end: instant(nextActiveDate(date, version.days), pattern.at, zone), date, slot: 0 }];
  }
  return pattern.windows.map((w, slot) => {
    const endDate = minutesOf(w.end) > minutesOf(w.start) ? date : addDays(date, 1);
    return { start: instant(date, w.start, zone), end: instant(endDate, w.end, zone), date, slot };
  });
}

/**
 * `fromLocal`, remembered: the same few boundaries are asked for again and again (every page of
 * "whoever is on shift"), and each costs three Intl look-ups. Bounded, and cleared when full.
 */
const instants = new Map<string, number>();

function instant(date: string, time: string, zone: string): Date {
  const key = `${zone}|${date}|${time}`;
  let t = instants.get(key);
  if (t === undefined) {
    if (instants.size >= 20_000) instants.clear();
    t = fromLocal(date, time, zone).getTime();
    instants.set(key, t);
  }
  return new Date(t);
}

function nextActiveDate(date: string, days: readonly number[]): string {
  for (let i = 1; i <= 7; i++) {
    const next = addDays(date, i);
    if (days.includes(weekdayOf(next))) return next;
  }
  return addDays(date, 7);
}

function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Active days in [from, to): whole weeks by arithmetic, the rest counted, so old rotations cost the same. */
export function activeDaysBetween(from: string, to: string, days: readonly number[]): number {
  const span = dayNumber(to) - dayNumber(from);
  if (span <= 0) return 0;
  const weeks = Math.floor(span / 7);
  let count = weeks * new Set(days).size;
  const startWeekday = weekdayOf(from);
  for (let i = 0; i < span % 7; i++) {
    const weekday = ((startWeekday - 1 + i) % 7) + 1;
    if (days.includes(weekday)) count++;
  }
  return count;
}
