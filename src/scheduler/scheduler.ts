import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Executor } from '../../db/schema';
import type { Clock } from '../core/clock';
import { PlatformError, errorMessage } from '../core/errors';
import {
  cancelJobs,
  claimDueJobs,
  finishJob,
  insertJob,
  releaseJobs,
  retryJob,
  type CancelFilter,
} from '../storage/jobs-repository';
import { earliestDue } from '../storage/due-repository';
import { deleteRules, lockDueRules, setNextRun, upsertRule, type RuleSpec } from '../storage/recurring-rules-repository';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { GiveUp, type JobKind, type JobRecord, type JobSpec } from './job';
import { nextOccurrence, occurrenceKey, ruleProblem } from './recurring';

export interface SchedulerOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  /** Names this process on leases; unique per instance. */
  readonly workerId?: string;
  readonly batchSize?: number;
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  /** Bounds one tick, so a backlog cannot keep a tick (and shutdown) waiting for long. */
  readonly maxBatchesPerTick?: number;
}

export interface TickReport {
  ran: number;
  retried: number;
  failed: number;
  skipped: number;
  occurrences: number;
}

const emptyReport = (): TickReport => ({ ran: 0, retried: 0, failed: 0, skipped: 0, occurrences: 0 });

/**
 * The durable scheduler: jobs are rows, claimed under a lease with FOR UPDATE SKIP LOCKED, so any
 * number of instances share the work and a job whose worker died is taken over when its lease
 * expires. Recurring rules materialise each occurrence as a job with a dedupe key. Something
 * outside (the ticker, or a test) calls `tick`.
 */
export class Scheduler {
  readonly workerId: string;
  private readonly kinds = new Map<string, JobKind<any>>();
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly maxBatchesPerTick: number;
  /** Set while a job runs, so a tick it asks for (to deliver at once what it stored) is not awaited by itself. */
  private readonly insideJob = new AsyncLocalStorage<true>();
  private current: Promise<TickReport> | undefined;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    this.workerId = options.workerId ?? `steady-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.maxBatchesPerTick = options.maxBatchesPerTick ?? 50;
  }

  register(...kinds: JobKind<any>[]): void {
    for (const kind of kinds) {
      if (this.kinds.has(kind.kind)) throw new Error(`job kind "${kind.kind}" is registered twice`);
      this.kinds.set(kind.kind, kind);
    }
  }

  /** Adds a job, in the caller's transaction when one is given, so it commits with the change that made it. */
  async enqueue<P>(spec: JobSpec<P>, db: Executor = this.options.db): Promise<{ id: string | undefined; created: boolean }> {
    const maxAttempts = spec.maxAttempts ?? this.kinds.get(spec.kind)?.maxAttempts ?? this.maxAttempts;
    return insertJob(db, spec, { maxAttempts, now: this.options.clock.now() });
  }

  async cancel(filter: CancelFilter, db: Executor = this.options.db): Promise<number> {
    return cancelJobs(db, filter, this.options.clock.now());
  }

  /** Creates or replaces a recurring rule; its next occurrence is computed from now. */
  async putRule(spec: RuleSpec, db: Executor = this.options.db): Promise<Date | null> {
    const problem = ruleProblem(spec.cron, spec.zone);
    if (problem) throw new RangeError(problem);
    const now = this.options.clock.now();
    const next = spec.active === false ? null : nextOccurrence(spec.cron, spec.zone, now);
    await upsertRule(db, spec, next, now);
    return next;
  }

  async removeRules(filter: { readonly key: string } | { readonly owner: string }, db: Executor = this.options.db): Promise<number> {
    return deleteRules(db, filter);
  }

  /** The earliest moment a job or a rule occurrence is due, or null when nothing is pending. */
  async nextDueAt(): Promise<Date | null> {
    return earliestDue(this.options.db);
  }

  /**
   * One pass: materialise due rule occurrences, then run due jobs batch after batch. Ticks never
   * overlap: a tick asked for while one runs shares its result. A job asking for a tick gets an
   * empty one: waiting for the tick that runs it would wait forever; what it stored runs next tick.
   */
  tick(): Promise<TickReport> {
    if (this.insideJob.getStore()) return Promise.resolve(emptyReport());
    if (!this.current) {
      this.current = this.runTick().finally(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }

  /** Stops claiming; waits up to `graceMs` for the jobs in hand. True when they finished in time. */
  async stop(graceMs = 10_000): Promise<boolean> {
    this.stopping = true;
    const running = this.current;
    if (!running) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    try {
      return await Promise.race([running.then(() => true, () => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Allows ticks again after `stop` (tests restart a scheduler this way). */
  resume(): void {
    this.stopping = false;
  }

  private async runTick(): Promise<TickReport> {
    const report = emptyReport();
    if (this.stopping) return report;
    report.occurrences = await this.materialiseRules();
    for (let batch = 0; batch < this.maxBatchesPerTick && !this.stopping; batch++) {
      const now = this.options.clock.now();
      const jobs = await claimDueJobs(this.options.db, {
        worker: this.workerId,
        now,
        leaseUntil: new Date(now.getTime() + this.leaseMs),
        limit: this.batchSize,
      });
      if (jobs.length === 0) break;
      for (let i = 0; i < jobs.length; i++) {
        if (this.stopping) {
          await releaseJobs(this.options.db, { ids: jobs.slice(i).map((j) => j.id), worker: this.workerId, now: this.options.clock.now() });
          break;
        }
        const outcome = await this.runJob(jobs[i]!);
        report[outcome]++;
      }
      if (jobs.length < this.batchSize) break;
    }
    return report;
  }

  private async runJob(job: JobRecord): Promise<'ran' | 'retried' | 'failed' | 'skipped'> {
    const log = this.options.log.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    const kind = this.kinds.get(job.kind);
    const claimedAt = this.options.clock.now();
    try {
      if (!kind) throw new Error(`no handler for job kind "${job.kind}" in this version of Steady`);
      const age = claimedAt.getTime() - job.scheduledFor.getTime();
      if (kind.staleAfterMs !== undefined && age > kind.staleAfterMs) {
        log.warn({ scheduledFor: job.scheduledFor, lateByMs: age }, 'job is stale; skipped, not run late');
        await this.finish(job, 'skipped', log, `stale: ${Math.round(age / 60_000)} min late`);
        return 'skipped';
      }
      const payload = kind.payload.safeParse(job.payload);
      if (!payload.success) throw new GiveUp(`payload does not match the job kind: ${payload.error.message}`);
      await this.insideJob.run(true, () => kind.run(payload.data, { job, log, now: claimedAt }));
      await this.finish(job, 'done', log);
      log.debug('job done');
      return 'ran';
    } catch (err) {
      return this.afterFailure(job, err, log);
    }
  }

  private async afterFailure(job: JobRecord, err: unknown, log: Logger): Promise<'retried' | 'failed'> {
    const message = errorMessage(err).slice(0, 2000);
    const permanent = err instanceof GiveUp || (err instanceof PlatformError && !err.retryable);
    if (permanent || job.attempts >= job.maxAttempts) {
      log.error({ err: message, attempts: job.attempts }, permanent ? 'job failed permanently' : 'job failed; no attempts left, giving up');
      await this.finish(job, 'failed', log, message);
      return 'failed';
    }
    const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
    const delay = retryDelayMs(job.attempts, this.backoff, this.random, typeof retryAfterMs === 'number' ? retryAfterMs : undefined);
    const now = this.options.clock.now();
    const runAt = new Date(now.getTime() + delay);
    log.warn({ err: message, retryAt: runAt }, 'job failed; will retry');
    const kept = await retryJob(this.options.db, { id: job.id, worker: this.workerId, now, runAt, error: message });
    if (!kept) log.warn('lease was lost before the retry was recorded');
    return 'retried';
  }

  private async finish(job: JobRecord, state: 'done' | 'failed' | 'skipped', log: Logger, error?: string): Promise<void> {
    const kept = await finishJob(this.options.db, {
      id: job.id,
      worker: this.workerId,
      now: this.options.clock.now(),
      state,
      ...(error === undefined ? {} : { error }),
    });
    if (!kept) log.warn({ state }, 'job was cancelled or taken over while it ran; its end was not recorded');
  }

  /**
   * Turns due rule occurrences into jobs, each in one transaction with the rule's advance, so an
   * occurrence is enqueued exactly once. After an outage only the latest missed occurrence is
   * enqueued (its kind's staleness policy decides whether it still runs); the others are logged.
   */
  private async materialiseRules(): Promise<number> {
    const now = this.options.clock.now();
    return this.options.db.transaction().execute(async (trx) => {
      const rules = await lockDueRules(trx, now, 500);
      for (const rule of rules) {
        let occurrence = rule.next_run_at!;
        let missed = 0;
        for (let next = nextOccurrence(rule.cron, rule.zone, occurrence); next && next <= now && missed < 10_000; next = nextOccurrence(rule.cron, rule.zone, occurrence)) {
          occurrence = next;
          missed++;
        }
        if (missed > 0) this.options.log.warn({ rule: rule.key, missed }, 'occurrences missed while Steady was down were not enqueued');
        await this.enqueue(
          {
            kind: rule.job_kind,
            payload: { ...rule.payload, occurrence: occurrence.toISOString() },
            runAt: occurrence,
            dedupeKey: occurrenceKey(rule.key, occurrence),
            ...(rule.owner ? { owner: rule.owner } : {}),
          },
          trx,
        );
        await setNextRun(trx, rule.key, nextOccurrence(rule.cron, rule.zone, now), now);
      }
      return rules.length;
    });
  }
}
