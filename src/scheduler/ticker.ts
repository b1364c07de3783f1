import { schedule, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';

/**
 * The scheduler's metronome: node-cron calls `beat` every `seconds` (a server's `poll`, the
 * console's `tick`), so rule occurrences are materialised and due jobs found even when nothing
 * woke the instance.
 * What is due is decided by the rows in the database, never by node-cron. node-cron's own warnings
 * (a beat missed while the process was busy) go to the log at debug level: a late beat is harmless,
 * the next one catches up, and nothing but Steady's own output may reach a terminal.
 */
export class Ticker {
  private task: ScheduledTask | undefined;

  constructor(
    private readonly beat: () => Promise<unknown>,
    private readonly seconds: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.task) return;
    const expression = this.seconds >= 60 ? '0 * * * * *' : `*/${this.seconds} * * * * *`;
    const log = this.log.child({ component: 'ticker' });
    this.task = schedule(expression, () => this.beatOnce(), {
      name: 'steady-scheduler',
      noOverlap: true,
      logger: {
        info: (message: string) => log.debug(message),
        warn: (message: string) => log.debug(message),
        error: (err: unknown) => log.error({ err }, 'node-cron failed'),
        debug: (message: string) => log.trace(message),
      },
    });
    void this.beatOnce();
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) await task.destroy();
  }

  private async beatOnce(): Promise<void> {
    try {
      await this.beat();
    } catch (err) {
      this.log.error({ err }, 'scheduler beat failed; the next one tries again');
    }
  }
}
