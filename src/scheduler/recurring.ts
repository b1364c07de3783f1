import { Cron } from 'croner';
import { isTimeZone } from '../core/zoned-time';

/**
 * Occurrences of a recurring rule, in wall-clock time of its zone (croner does the DST arithmetic:
 * a time skipped by spring-forward fires at the end of the gap, a repeated fall-back time once).
 */
export function nextOccurrence(cron: string, zone: string, after: Date): Date | null {
  return new Cron(cron, { timezone: zone }).nextRun(after);
}

/** Why a cron expression or zone is unusable, or undefined when both are fine. */
export function ruleProblem(cron: string, zone: string): string | undefined {
  if (!isTimeZone(zone)) return `"${zone}" is not an IANA time zone (for example Europe/Berlin)`;
  if (cron.trim().split(/\s+/).length !== 5) return `"${cron}" must have five fields: minute hour day-of-month month day-of-week`;
  try {
    new Cron(cron, { timezone: zone });
    return undefined;
  } catch (err) {
    return `"${cron}" is not a valid schedule: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The dedupe key of one occurrence of a rule: the same occurrence is never enqueued twice. */
export function occurrenceKey(ruleKey: string, occurrence: Date): string {
  return `${ruleKey}@${occurrence.toISOString()}`;
}
