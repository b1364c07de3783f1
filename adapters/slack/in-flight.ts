import type { Logger } from 'pino';
import { errorMessage } from '../../src/core/errors';

/**
 * The work that follows an ack(): Slack has its answer, the person is waiting for the rest.
 * Tracked so that a stop waits for it and tests can wait until Steady has done what it was asked.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Runs the work; a failure is logged (the dispatcher has already told the person). */
  async run(what: string, work: () => Promise<void>): Promise<void> {
    const done = work().catch((err: unknown) => {
      this.log.error({ err: errorMessage(err), work: what }, 'Slack event handling failed');
    });
    this.running.add(done);
    try {
      await done;
    } finally {
      this.running.delete(done);
    }
  }

  /** Resolves once nothing is running (including work started meanwhile). */
  async idle(): Promise<void> {
    // Bolt acks events before it calls the listener: give a listener just acked the turn to start.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
