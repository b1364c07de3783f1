import type { Clock } from '../core/clock';
import type { Scheduler, TickReport } from './scheduler';

/** A clock that can be moved forward (the tests' FakeClock, the console's OffsetClock). */
export interface MovableClock extends Clock {
  advance(ms: number): Date;
}

/**
 * Moves the clock forward to `until`, stopping at every moment something is due and ticking there,
 * so a job that schedules the next step (an escalation level, a reminder) sees the time it would
 * have seen had the minutes really passed.
 */
export async function advanceThrough(scheduler: Scheduler, clock: MovableClock, until: Date, maxSteps = 10_000): Promise<TickReport> {
  const total: TickReport = { ran: 0, retried: 0, failed: 0, skipped: 0, occurrences: 0 };
  const add = (r: TickReport) => {
    for (const key of Object.keys(total) as (keyof TickReport)[]) total[key] += r[key];
  };
  add(await scheduler.tick());
  for (let step = 0; step < maxSteps; step++) {
    const next = await scheduler.nextDueAt();
    if (!next || next.getTime() > until.getTime()) break;
    const now = clock.now().getTime();
    if (next.getTime() > now) clock.advance(next.getTime() - now);
    add(await scheduler.tick());
  }
  const now = clock.now().getTime();
  if (until.getTime() > now) clock.advance(until.getTime() - now);
  add(await scheduler.tick());
  return total;
}
