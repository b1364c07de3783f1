import type { ShiftPatternJson } from '../../db/tables/handoff';

/**
 * How a rotation's day is cut into shifts, as people write it:
 * - `07:00-15:00, 15:00-23:00, 23:00-07:00`: fixed shifts on each active day; one that ends at or
 *   before its start time ends the next day (a night shift belongs to the day it starts);
 * - `09:00` (or `daily 09:00`): one shift per active day, handed over at 09:00, lasting until the
 *   next active day's handover (so a Mon–Fri rotation's Friday shift covers the weekend);
 * - `weekly mon 09:00`: one shift a week, Monday 09:00 to the next Monday 09:00.
 */
export type ShiftPattern = ShiftPatternJson;

export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export type ParsedShifts =
  | { readonly ok: true; readonly pattern: ShiftPattern; readonly days?: readonly number[] }
  | { readonly ok: false; readonly error: string };

const HHMM = /^(\d{1,2})[:.h](\d{2})$/;

/** "7:00" → "07:00"; undefined when not a 24-hour time. */
export function normaliseTime(text: string): string | undefined {
  const m = HHMM.exec(text.trim());
  if (!m) return undefined;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export function weekdayNumber(text: string): number | undefined {
  const i = WEEKDAY_NAMES.findIndex((d) => d.toLowerCase() === text.trim().slice(0, 3).toLowerCase());
  return i < 0 ? undefined : i + 1;
}

const SHIFTS_HELP = 'Write shifts as 07:00-15:00, 15:00-23:00, 23:00-07:00; or one handover time a day (09:00); or weekly mon 09:00.';

/** Reads the shifts a person typed; the error says what is wrong and how to write it. */
export function parseShifts(text: string): ParsedShifts {
  const trimmed = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!trimmed) return { ok: false, error: `Give the shifts. ${SHIFTS_HELP}` };
  const weekly = /^weekly ([a-z]+) (\S+)$/.exec(trimmed);
  if (weekly) {
    const day = weekdayNumber(weekly[1]!);
    const at = normaliseTime(weekly[2]!);
    if (!day || weekly[1]!.length < 3) return { ok: false, error: `"${weekly[1]}" is not a weekday. ${SHIFTS_HELP}` };
    if (!at) return { ok: false, error: `"${weekly[2]}" is not a time (HH:MM, 24-hour). ${SHIFTS_HELP}` };
    return { ok: true, pattern: { kind: 'handover', at }, days: [day] };
  }
  const daily = /^(?:daily )?(\d{1,2}[:.h]\d{2})$/.exec(trimmed);
  if (daily) {
    const at = normaliseTime(daily[1]!);
    if (!at) return { ok: false, error: `"${daily[1]}" is not a time (HH:MM, 24-hour). ${SHIFTS_HELP}` };
    return { ok: true, pattern: { kind: 'handover', at } };
  }
  const windows: { start: string; end: string }[] = [];
  for (const part of trimmed
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\S+?)\s*(?:-|–|—| to )\s*(\S+)$/.exec(part);
    const start = m ? normaliseTime(m[1]!) : undefined;
    const end = m ? normaliseTime(m[2]!) : undefined;
    if (!start || !end) return { ok: false, error: `"${part}" is not a shift. ${SHIFTS_HELP}` };
    if (start === end) {
      return {
        ok: false,
        error: `${start}-${end} ends when it starts. For one 24-hour shift a day, give just the handover time (${start}).`,
      };
    }
    windows.push({ start, end });
  }
  if (windows.length > 12) return { ok: false, error: 'A rotation can have at most 12 shifts a day.' };
  windows.sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  const overlap = firstOverlap(windows);
  if (overlap) {
    return {
      ok: false,
      error: `${describeWindow(overlap[0])} and ${describeWindow(overlap[1])} overlap. Shifts in one rotation follow each other: make each start at or after the previous one ends.`,
    };
  }
  return { ok: true, pattern: { kind: 'windows', windows } };
}

function describeWindow(w: { start: string; end: string }): string {
  return `${w.start}-${w.end}`;
}

/**
 * Two windows that overlap on the 24-hour circle, if any. Checked on the circle (not within one
 * day) because a night shift runs into the next day's first shift when every day is active.
 */
function firstOverlap(
  windows: readonly { start: string; end: string }[],
): [{ start: string; end: string }, { start: string; end: string }] | undefined {
  const spans = windows.map((w) => {
    const start = minutesOf(w.start);
    let end = minutesOf(w.end);
    if (end <= start) end += 1440;
    return { w, start, end };
  });
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i]!;
      const b = spans[j]!;
      for (const shift of [0, 1440, -1440]) {
        if (a.start < b.end + shift && b.start + shift < a.end) return [a.w, b.w];
      }
    }
  }
  return undefined;
}

/** The shortest shift in minutes as written (DST can make one an hour shorter on the day). */
export function shortestShiftMinutes(pattern: ShiftPattern, days: readonly number[]): number {
  if (pattern.kind === 'handover') {
    const sorted = [...days].sort((a, b) => a - b);
    let gap = 7;
    sorted.forEach((d, i) => {
      const next = sorted[(i + 1) % sorted.length]!;
      gap = Math.min(gap, (next - d + 7) % 7 || 7);
    });
    return gap * 1440;
  }
  return Math.min(...pattern.windows.map((w) => (minutesOf(w.end) - minutesOf(w.start) + 1440) % 1440 || 1440));
}

/** The shifts as people write them, for forms and listings. */
export function describePattern(pattern: ShiftPattern, days: readonly number[]): string {
  if (pattern.kind === 'windows') return pattern.windows.map(describeWindow).join(', ');
  if (days.length === 1) return `weekly ${WEEKDAY_NAMES[days[0]! - 1]!.toLowerCase()} ${pattern.at}`;
  return pattern.at;
}

/** "Mon–Fri", "every day", "Mon, Wed, Fri". */
export function describeDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return 'every day';
  const contiguous = sorted.length > 2 && sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  if (contiguous) return `${WEEKDAY_NAMES[sorted[0]! - 1]}–${WEEKDAY_NAMES[sorted[sorted.length - 1]! - 1]}`;
  return sorted.map((d) => WEEKDAY_NAMES[d - 1]).join(', ');
}
