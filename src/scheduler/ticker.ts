import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Scheduler } from './scheduler';

/**
 * Drives the scheduler in production: node-cron calls `tick` every `seconds`. It is only the
 * metronome; what is due is decided by the rows in the database, never by node-cron.
 */
export class Ticker {
  private task: ScheduledTask | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly seconds: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.task) return;
    const expression = this.seconds >= 60 ? '0 * * * * *' : `*/${this.seconds} * * * * *`;
    this.task = schedule(expression, () => this.tickOnce(), { name: 'steady-scheduler', noOverlap: true });
    void this.tickOnce();
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) await task.destroy();
  }

  private async tickOnce(): Promise<void> {
    try {
      const report = await this.scheduler.tick();
      if (report.ran + report.failed + report.retried + report.skipped + report.occurrences > 0) this.log.debug(report, 'tick');
    } catch (err) {
      this.log.error({ err }, 'scheduler tick failed; the next tick tries again');
    }
  }
}
