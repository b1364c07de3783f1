import { advanceThrough, type MovableClock } from '../../src/scheduler/advance';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { DAY_MS } from '../../src/core/duration';

/** How long `/wait` alone waits at most for the bot to say something. */
export const NEWS_WITHIN_MS = 7 * DAY_MS;

/**
 * Moves time on, due moment by due moment, until something new is shown (or `withinMs` has
 * passed): a script trying Steady then reads the same however late in the day it runs.
 * Returns how much time passed and whether anything was shown.
 */
export async function waitForNews(
  scheduler: Scheduler,
  clock: MovableClock,
  shownCount: () => number,
  withinMs = NEWS_WITHIN_MS,
): Promise<{ readonly elapsedMs: number; readonly quiet: boolean }> {
  const from = clock.now().getTime();
  const limit = from + withinMs;
  const shown = shownCount();
  for (let step = 0; step < 10_000 && shownCount() === shown && clock.now().getTime() < limit; step++) {
    const next = (await scheduler.nextDueAt())?.getTime() ?? limit;
    // At least a second on: a job due now that does not run must not hold time still.
    await advanceThrough(scheduler, clock, new Date(Math.min(limit, Math.max(next, clock.now().getTime() + 1000))));
  }
  return { elapsedMs: clock.now().getTime() - from, quiet: shownCount() === shown };
}
