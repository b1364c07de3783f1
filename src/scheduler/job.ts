import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Executor } from '../../db/schema';

/** A job as the scheduler hands it to its kind's `run`. */
export interface JobRecord {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  /** When it is due now (moves later on each retry). */
  readonly runAt: Date;
  /** When it was first meant to run (a recurring occurrence, a reminder's time). */
  readonly scheduledFor: Date;
  readonly dedupeKey: string | null;
  readonly owner: string | null;
  /** Including the run in progress. */
  readonly attempts: number;
  readonly maxAttempts: number;
}

export interface JobContext {
  readonly job: JobRecord;
  readonly log: Logger;
  /** The clock's time when the job was claimed. */
  readonly now: Date;
  /** Aborted when this run lost its lease (another instance may take the job over) or Steady stops. */
  readonly signal: AbortSignal;
  /** Names this run's lease; the outbox fences its writes with it. */
  readonly leaseToken: string;
  /**
   * Inside a transaction: throws LeaseLost unless this run still holds the job's lease, and keeps
   * the job row locked until the transaction ends, so what the transaction records is this run's.
   */
  fence(trx: Executor): Promise<void>;
}

/**
 * A kind of job: what its payload looks like and how to run it. `run` may be called again after a
 * crash (at least once), so it should check the database before sending anything it may have sent.
 */
export interface JobKind<P = unknown> {
  readonly kind: string;
  readonly payload: z.ZodType<P>;
  run(payload: P, ctx: JobContext): Promise<void>;
  /** Past this age (from `scheduledFor`) the job is skipped and logged instead of run late. */
  readonly staleAfterMs?: number;
  /** Overrides the scheduler's default number of attempts. */
  readonly maxAttempts?: number;
  /**
   * Runs several due jobs of this kind together (a stand-up's prompts at one moment), so what they
   * read and write takes a few statements, not a few per job. Each job keeps its own lease and its
   * own end: the result names the jobs that failed, with why; the others are done.
   */
  runBatch?(items: readonly BatchItem<P>[]): Promise<ReadonlyMap<string, unknown>>;
  /** At most this many jobs a batch (50 when absent). */
  readonly batchSize?: number;
}

/**
 * A kind of job of any payload, for lists of them: the scheduler checks each payload with the kind's
 * own schema before `run` sees it, so the payload type is known where it matters.
 */
// biome-ignore lint/suspicious/noExplicitAny: a list holds kinds of different payloads (P is both read and written)
export type AnyJobKind = JobKind<any>;

export interface BatchItem<P> {
  readonly payload: P;
  readonly ctx: JobContext;
}

/** What to enqueue. A dedupe key makes enqueueing idempotent: a second job with the key is not made. */
export interface JobSpec<P = unknown> {
  readonly kind: string;
  readonly payload: P;
  readonly runAt: Date;
  readonly dedupeKey?: string;
  /** The dedupe key of a job that must have ended (done, failed, skipped or cancelled) before this one runs. */
  readonly after?: string;
  /** Groups jobs for cancellation, e.g. `escalation:42`. */
  readonly owner?: string;
  readonly maxAttempts?: number;
}

/**
 * Thrown by a job to be tried again later, optionally not before `retryAfterMs`. An uncounted retry
 * (a platform asked to slow down, a send waits for its lane) runs again exactly then and does not
 * use up one of the job's attempts.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';

  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly options: { readonly uncounted?: boolean } = {},
  ) {
    super(message);
  }

  get uncounted(): boolean {
    return this.options.uncounted === true;
  }
}

/** This run no longer holds its job's lease: another instance may run it; nothing more is recorded. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

/** Thrown by a job that can never succeed: it fails at once, without retries. */
export class GiveUp extends Error {
  override readonly name = 'GiveUp';
}
