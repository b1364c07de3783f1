import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';

/**
 * Two connection budgets, so that neither kind of work starves the other: what people are waiting
 * for (their commands, clicks and forms) and what the scheduler runs on its own (a wave of 10,000
 * prompts). Work runs in the jobs lane unless it was started inside `inRequestLane`.
 */
const requests = new AsyncLocalStorage<true>();

export function inRequestLane<T>(work: () => Promise<T>): Promise<T> {
  return requests.run(true, work);
}

/**
 * Runs `start` (which sets a timer or starts background work) outside any request, so what it
 * starts later is not counted against the request that happened to start it.
 */
export function outsideRequests<T>(start: () => T): T {
  return requests.exit(start);
}

/** The pool kysely is given: it hands out a connection from the budget of the work asking. */
export class LanePool {
  constructor(
    private readonly forRequests: Pool,
    private readonly forJobs: Pool,
  ) {}

  connect(): Promise<PoolClient> {
    return (requests.getStore() ? this.forRequests : this.forJobs).connect();
  }

  async end(): Promise<void> {
    await Promise.all([this.forRequests.end(), this.forJobs.end()]);
  }
}
