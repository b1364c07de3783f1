export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
/** A day of 24 hours: elapsed time. A calendar day in a zone (23 or 25 hours across DST) is zoned-time's addDays. */
export const DAY_MS = 24 * HOUR_MS;

/** Durations as people type them: "90s", "15m", "4h", "2d", "1h30m". */
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

const DURATION = /^(?:\d+[smhdw])+$/;

/** Longer than anything Steady schedules; past it (`99999999999d`) a date would not even exist. */
const LONGEST_MS = 100 * 365 * DAY_MS;

/** Milliseconds, or undefined when the text is not a duration (or an absurdly long one). */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!DURATION.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return total <= LONGEST_MS ? total : undefined;
}

/** "1h 30m", "45m", "2d 3h": the largest two units, for messages. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const minutes = rest - hours * 60;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes || parts.length === 0) parts.push(`${minutes}m`);
  return sign + parts.slice(0, 2).join(' ');
}

/** Whole days in words, for messages about a fixed window: "7 days", "1 day". */
export function daysInWords(ms: number): string {
  const days = Math.round(ms / DAY_MS);
  return days === 1 ? '1 day' : `${days} days`;
}
