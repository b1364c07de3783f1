/** Durations as people type them: "90s", "15m", "4h", "2d", "1h30m". */
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const DURATION = /^(?:\d+[smhdw])+$/;

export const MINUTE_MS = UNIT_MS.m!;
export const HOUR_MS = UNIT_MS.h!;
export const DAY_MS = UNIT_MS.d!;

/** Longer than anything Steady schedules; past it (`99999999999d`) a date would not even exist. */
const LONGEST_MS = 100 * 365 * 86_400_000;

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
