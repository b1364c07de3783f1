import { DAY_MS, MINUTE_MS, formatDuration, parseDuration } from '../core/duration';
import { addDays, fromLocal, isLocalTime, toLocal, weekdayOf } from '../core/zoned-time';
import type { DueRule } from './model';

/**
 * Default due times by severity. A rule is either a span of time ("4h") or a number of business
 * days at a local time in the owner's zone ("1 business day 17:00": the next Monday-to-Friday
 * after today, at 17:00 on the owner's wall clock, whatever the DST offset that day).
 */
export function dueFromRule(rule: DueRule, now: Date, ownerZone: string): Date {
  if (rule.kind === 'duration') return new Date(now.getTime() + rule.minutes * MINUTE_MS);
  let date = toLocal(now, ownerZone).date;
  for (let counted = 0; counted < rule.days; ) {
    date = addDays(date, 1);
    if (weekdayOf(date) <= 5) counted++;
  }
  return fromLocal(date, rule.at, ownerZone);
}

/** The lead of the "due soon" reminder: a quarter of the time given, at least 15 minutes. */
export function reminderLeadMs(dueAt: Date, setAt: Date): number {
  return Math.max(15 * MINUTE_MS, Math.floor((dueAt.getTime() - setAt.getTime()) / 4));
}

export function describeRule(rule: DueRule): string {
  if (rule.kind === 'duration') return formatDuration(rule.minutes * MINUTE_MS);
  if (rule.days === 1) return `next business day ${rule.at} (owner's time)`;
  return `${rule.days} business days, ${rule.at} (owner's time)`;
}

export type ParsedRule = { readonly ok: true; readonly rule: DueRule } | { readonly ok: false; readonly error: string };

const BUSINESS = /^(?:(next)|(\d{1,2})\s*)\s*(?:business|working|work)\s*days?(?:\s+(?:at\s+)?(\d{1,2}:\d{2}))?$/i;

/** "1h", "90m", "next business day 17:00", "3 business days 17:00". */
export function parseDueRule(text: string): ParsedRule {
  const t = text.trim();
  const business = BUSINESS.exec(t);
  if (business) {
    const days = business[1] ? 1 : Number(business[2]);
    const at = (business[3] ?? '17:00').padStart(5, '0');
    if (days < 1 || days > 30) return { ok: false, error: 'Use 1 to 30 business days.' };
    if (!isLocalTime(at)) return { ok: false, error: `"${business[3]}" is not a time of day; use HH:MM, e.g. 17:00.` };
    return { ok: true, rule: { kind: 'business-days', days, at } };
  }
  const ms = parseDuration(t);
  if (ms === undefined || ms < MINUTE_MS) {
    return {
      ok: false,
      error: `"${t}" is not a due rule. Use a duration such as 1h or 90m, or business days such as "next business day 17:00" or "3 business days 17:00".`,
    };
  }
  if (ms > 90 * DAY_MS) return { ok: false, error: 'A default due time can be at most 90 days away.' };
  return { ok: true, rule: { kind: 'duration', minutes: Math.round(ms / MINUTE_MS) } };
}
