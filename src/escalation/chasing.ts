import { DAY_MS, MINUTE_MS } from '../core/duration';
import type { EscalationSettings } from './model';
import { nextWorkingTime } from './working-hours';

/**
 * When an overdue escalation's owner is chased: at the workspace's interval for the first few
 * chases, then backing off (each wait twice the one before, at most a day, or the interval if that
 * is longer), and only inside the owner's working hours. A chase outside them waits for the next
 * start rather than reaching someone at night.
 */
export const CHASES_BEFORE_BACKING_OFF = 3;

/** The wait after chase `n` (0: the due time itself) before the next one. */
export function chaseGapMs(n: number, intervalMs: number): number {
  if (n < CHASES_BEFORE_BACKING_OFF) return intervalMs;
  return Math.min(intervalMs * 2 ** (n - CHASES_BEFORE_BACKING_OFF + 1), Math.max(intervalMs, DAY_MS));
}

/** When chase `n + 1` is due, after chase `n` (or the due time, for `n` 0) happened at `from`. */
export function nextChaseAt(from: Date, n: number, settings: EscalationSettings, ownerZone: string): Date {
  const at = new Date(from.getTime() + chaseGapMs(n, settings.chaseMinutes * MINUTE_MS));
  return nextWorkingTime(at, settings.workingHours, ownerZone);
}
