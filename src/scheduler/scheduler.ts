import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Executor } from '../../db/schema';
import type { Clock } from '../core/clock';
import { PlatformError, errorMessage } from '../core/errors';
import {
  cancelJobs,
  claimDueJobs,
  claimJobsById,
  holdsLease,
  insertJob,
  insertJobs,
  recordJobEnds,
  renewLeases,
  type CancelFilter,
  type JobEnd,
  type Lease,
} from '../storage/jobs-repository';
import { earliestDue } from '../storage/due-repository';
import { outsideRequests } from '../storage/lanes';
import { deleteRules, lockDueRules, setNextRun, upsertRule, type RuleSpec } from '../storage/recurring-rules-repository';
import { noMetrics, type JobMetrics } from '../metrics/recorder';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { GiveUp, LeaseLost, RetryLater, type JobContext, type JobRecord, type JobSpec, type AnyJobKind } from './job';
import { nextOccurrence, occurrenceKey, ruleProblem } from './recurring';

export interface SchedulerOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  /** Names this process on leases; unique per instance. */
  readonly workerId?: string;
  /** Jobs run at once by the pool (sends are I/O-bound: most of a job is waiting for the platform). */
  readonly concurrency?: number;
  /**
   * One job (or batch) at a time, in due order, a request's own included: the console, where a
   * terminal shows what happened in the order it happened (a card before the direct messages
   * about it). Jobs due together are still claimed together, so batches form as they would.
   */
  readonly oneAtATime?: boolean;
  readonly leaseMs?: number;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  /** Told when a run starts (with its lag behind its due time) and how it ended, for /metrics. */
  readonly metrics?: JobMetrics;
}

/** A name for this process on job leases (and in its logs), unique per instance even when pids repeat across containers. */
export function newWorkerId(): string {
  return `steady-${process.pid}-${randomUUID().slice(0, 8)}`;
}

export interface TickReport {
  ran: number;
  retried: number;
  failed: number;
  skipped: number;
  occurrences: number;
}

type Outcome = 'ran' | 'retried' | 'failed' | 'skipped' | 'lost';

const emptyReport = (): TickReport => ({ ran: 0, retried: 0, failed: 0, skipped: 0, occurrences: 0 });

/** A request or a job runs at most this many of the jobs it enqueued itself; the pool takes the rest. */
const RUN_NOW_LIMIT = 50;
/** Rounds of running what was enqueued: a job held back by another (`after`) gets another try once that one ended. */
const RUN_NOW_ROUNDS = 16;
/** Claims per statement at most. */
const CLAIM_BATCH = 100;
/** After the database failed, the pool tries again this much later. */
const PUMP_RETRY_MS = 1_000;

interface Running {
  readonly job: JobRecord;
  readonly token: string;
  /** Made when first asked for (most runs never look), aborted when the lease is lost. */
  abort?: AbortController;
  /** Started by `runNow`, outside the pool's concurrency. */
  readonly direct: boolean;
  leaseUntil: number;
  /** Its end is decided (and written, or waiting to be): only what it enqueued may still be running. */
  ended: boolean;
  done?: Promise<string[]>;
}

/** What is in scope while a job runs or a request is handled: the jobs it enqueued that are due now. */
interface Scope {
  /** The scheduler whose request or job this is: another one in the process (tests, benches) ignores it. */
  readonly owner: Scheduler;
  readonly enqueued: string[];
  readonly run?: JobContext;
}

/**
 * One store for every scheduler of the process: Node hands each AsyncLocalStorage ever used on to
 * every promise made afterwards, so a store per scheduler made each promise dearer with every
 * scheduler a test or a bench created (the no-op bench spent its time there by its fourth run).
 */
const scopes = new AsyncLocalStorage<Scope>();

/**
 * The durable scheduler. Jobs are rows; the pool runs up to `concurrency` at once, claiming just in
 * time with FOR UPDATE SKIP LOCKED, so any number of instances share the work. Each run holds a
 * lease of its own, renewed by `heartbeat` while it runs; a run that lost its lease is stopped and
 * records nothing, because every write of the run compares its lease token. A request (or a job)
 * runs the jobs it enqueued itself with `runNow`, ahead of any backlog and nobody else's.
 * Recurring rules materialise each occurrence as a job with a dedupe key.
 *
 * Tests and the console call `tick` (run everything due, then return); a server calls `start`, and
 * `poll` on a timer, and `wakeAt` when PostgreSQL says a job was added.
 */
export class Scheduler {
  readonly workerId: string;
  private readonly kinds = new Map<string, AnyJobKind>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly metrics: JobMetrics;
  private readonly running = new Map<string, Running>();
  private readonly reports = new Set<TickReport>();
  /** Ends of runs not yet written; written together, in one statement. */
  private ends: { end: JobEnd; at: number }[] = [];
  private flushing: Promise<boolean> | undefined;
  private flushTimer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private pumping: Promise<number> | undefined;
  private pumpAgain = false;
  private pumpTimer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private wakeTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private background = false;
  private stopping = false;
  private claims = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.workerId = options.workerId ?? newWorkerId();
    this.concurrency = options.concurrency ?? 32;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.metrics = options.metrics ?? noMetrics.jobs;
  }

  register(...kinds: AnyJobKind[]): void {
    for (const kind of kinds) {
      if (this.kinds.has(kind.kind)) throw new Error(`job kind "${kind.kind}" is registered twice`);
      this.kinds.set(kind.kind, kind);
    }
  }

  /**
   * Adds a job, in the caller's transaction when one is given, so it commits with the change that
   * made it. A job due now is remembered in the current request's or job's scope, which runs it.
   */
  async enqueue<P>(spec: JobSpec<P>, db: Executor = this.options.db): Promise<{ id: string | undefined; created: boolean }> {
    const maxAttempts = spec.maxAttempts ?? this.kinds.get(spec.kind)?.maxAttempts ?? this.maxAttempts;
    const now = this.options.clock.now();
    const result = await insertJob(db, spec, { maxAttempts, now });
    if (result.id !== undefined && spec.runAt <= now) this.currentScope()?.enqueued.push(result.id);
    return result;
  }

  /** Adds many jobs at once (a stand-up asking everyone now); returns the dedupe keys of those that were new. */
  async enqueueMany(specs: readonly JobSpec[], db: Executor = this.options.db): Promise<Set<string | null>> {
    const now = this.options.clock.now();
    const added = await insertJobs(db, specs, { now, maxAttempts: (spec) => this.kinds.get(spec.kind)?.maxAttempts ?? this.maxAttempts });
    const scope = this.currentScope();
    if (scope && specs.every((spec) => spec.runAt <= now)) scope.enqueued.push(...added.map((a) => a.id));
    return new Set(added.map((a) => a.dedupeKey));
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

  private currentScope(): Scope | undefined {
    const scope = scopes.getStore();
    return scope?.owner === this ? scope : undefined;
  }

  /** The job this call runs inside, if any: the outbox fences its records with its lease. */
  currentRun(): JobContext | undefined {
    return this.currentScope()?.run;
  }

  /**
   * Runs `work` (a person's request), then the jobs it enqueued that are due now, here and at once,
   * so the person sees the result without waiting for a poll and nobody else's jobs run on their time.
   */
  async runOwn<T>(work: () => Promise<T>): Promise<T> {
    const scope: Scope = { owner: this, enqueued: [] };
    try {
      return await scopes.run(scope, work);
    } finally {
      if (scope.enqueued.length) {
        const left = await this.runNow(scope.enqueued);
        if (left.length) this.wake();
        // Written before the request ends, so what it shows afterwards (a listing, a retry) sees them done.
        await this.flush();
      }
    }
  }

  /**
   * Runs these jobs now if they are due and free, with what they enqueue in turn; returns the ids
   * it could not run (held by another instance, waiting for another job, or over the limit).
   */
  async runNow(ids: readonly string[], options: { readonly early?: boolean } = {}): Promise<string[]> {
    let pending = [...new Set(ids)];
    for (let round = 0; round < RUN_NOW_ROUNDS && pending.length && !this.stopping; round++) {
      // A job held back by another (`after`) is free once that one's end is written.
      if (round > 0) await this.flush();
      const batch = pending.slice(0, RUN_NOW_LIMIT);
      let claimed: JobRecord[];
      const lease = this.newLease();
      try {
        claimed = await claimJobsById(this.options.db, lease, batch, options);
      } catch (err) {
        this.options.log.warn({ err: errorMessage(err) }, 'could not run enqueued jobs at once; the pool will');
        return pending;
      }
      if (claimed.length === 0) break;
      const taken = new Set(claimed.map((j) => j.id));
      const left = await this.launchAll(claimed, lease, true);
      pending = [...pending.filter((id) => !taken.has(id)), ...left];
    }
    return pending;
  }

  /**
   * Runs a request kept to be run here at once (due later only so that no other instance takes it
   * meanwhile), with what it enqueues; its end is written before this resolves. False when it could
   * not run here (taken by another instance, or the database refused the claim).
   */
  async runKept(id: string): Promise<boolean> {
    const left = await this.runNow([id], { early: true });
    await this.flush();
    return !left.includes(id);
  }

  /**
   * Tests and the console: materialise due rule occurrences, run every job due now (with what those
   * enqueue), and return once nothing due is left.
   */
  async tick(): Promise<TickReport> {
    const report = emptyReport();
    // Inside a job, waiting for everything due would wait for that job itself: what it enqueued
    // runs right after it anyway.
    if (this.stopping || this.currentScope()?.run) return report;
    this.reports.add(report);
    try {
      report.occurrences = await this.materialiseRules();
      for (;;) {
        const claimed = await this.pump();
        await this.settle();
        if (claimed === 0 && !this.pumpAgain) break;
      }
    } finally {
      this.reports.delete(report);
    }
    return report;
  }

  /** A server's timer: materialise due rule occurrences and let the pool take what is due. */
  async poll(): Promise<void> {
    if (this.stopping) return;
    const occurrences = await this.materialiseRules();
    if (occurrences > 0) this.options.log.debug({ occurrences }, 'rule occurrences enqueued');
    void this.pump();
  }

  /** Runs the pool in the background: it claims as jobs become due and renews the leases of its runs. */
  start(): void {
    if (this.background) return;
    this.background = true;
    this.stopping = false;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), Math.max(1_000, Math.floor(this.leaseMs / 3)));
    this.heartbeatTimer.unref();
    this.wake();
  }

  /** Something may be due now (a job was enqueued, a lane reopened): the background pool looks. */
  wake(): void {
    if (this.background && !this.stopping) this.schedulePump();
  }

  /** PostgreSQL said a job due at `at` was added: look now, or set a timer for then. */
  wakeAt(at: Date): void {
    if (!this.background || this.stopping) return;
    const delay = at.getTime() - this.options.clock.now().getTime();
    if (delay <= 5) {
      this.wake();
      return;
    }
    // Far-off jobs are found by the poll; only a near one is worth a timer of its own.
    if (delay > 60_000) return;
    if (this.wakeTimer && this.wakeTimer.at <= at.getTime()) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer.timer);
    const timer = outsideRequests(() =>
      setTimeout(() => {
        this.wakeTimer = undefined;
        this.wake();
      }, delay),
    );
    timer.unref();
    this.wakeTimer = { at: at.getTime(), timer };
  }

  /**
   * Renews the leases of the runs in hand (and of ends not yet written). A run whose lease another
   * instance took, or whose lease ran out while the database could not be reached, is stopped.
   */
  async heartbeat(): Promise<void> {
    const now = this.options.clock.now().getTime();
    const held = [...this.running.values()].filter((run) => !run.ended);
    const leases = [
      ...held.map((run) => ({ id: run.job.id, token: run.token })),
      ...this.ends.map(({ end }) => ({ id: end.id, token: end.token })),
    ];
    if (leases.length === 0) return;
    const until = now + this.leaseMs;
    let kept: Set<string>;
    try {
      kept = await renewLeases(this.options.db, leases, new Date(until));
    } catch (err) {
      this.options.log.warn({ err: errorMessage(err) }, 'could not renew job leases');
      for (const run of held) if (run.leaseUntil <= now) this.lose(run, 'its lease ran out while the database could not be reached');
      return;
    }
    for (const run of held) {
      if (kept.has(run.job.id)) run.leaseUntil = until;
      else this.lose(run, 'another instance took its lease over');
    }
  }

  /** Stops claiming; waits up to `graceMs` for the runs in hand. True when they finished in time. */
  async stop(graceMs = 10_000): Promise<boolean> {
    this.stopping = true;
    this.background = false;
    clearInterval(this.heartbeatTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer.timer);
    this.wakeTimer = undefined;
    this.clearPumpTimer();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    try {
      return await Promise.race([
        this.settle().then(
          () => true,
          () => true,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Allows ticks again after `stop` (tests restart a scheduler this way). */
  resume(): void {
    this.stopping = false;
  }

  private newLease(): Lease {
    const now = this.options.clock.now();
    return { worker: this.workerId, token: `${this.workerId}.${++this.claims}`, now, until: new Date(now.getTime() + this.leaseMs) };
  }

  private poolRunning(): number {
    let n = 0;
    for (const run of this.running.values()) if (!run.direct && !run.ended) n++;
    return n;
  }

  private schedulePump(): void {
    if (this.pumpTimer) return;
    // The pool's own work, even when a request woke it: it takes the jobs' connections, not the requests'.
    this.pumpTimer = outsideRequests(() =>
      setImmediate(() => {
        this.pumpTimer = undefined;
        // A tick that asked for it may have ended meanwhile: outside a tick only a running pool claims.
        if (this.background || this.reports.size > 0) void this.pump();
      }),
    );
  }

  private clearPumpTimer(): void {
    if (!this.pumpTimer) return;
    clearImmediate(this.pumpTimer as NodeJS.Immediate);
    clearTimeout(this.pumpTimer as NodeJS.Timeout);
    this.pumpTimer = undefined;
  }

  /** Fills the pool's free places with due jobs; resolves with how many it claimed. */
  private pump(): Promise<number> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = this.fill().finally(() => {
      this.pumping = undefined;
    });
    return this.pumping;
  }

  private async fill(): Promise<number> {
    let claimed = 0;
    try {
      do {
        this.pumpAgain = false;
        while (!this.stopping) {
          // One at a time: a claim once the last one's jobs have all run, taking what is due together.
          const free = this.options.oneAtATime ? (this.poolRunning() === 0 ? CLAIM_BATCH : 0) : this.concurrency - this.poolRunning();
          if (free <= 0) break;
          const limit = Math.min(free, CLAIM_BATCH);
          const lease = this.newLease();
          // The ends waiting to be written ride with the claim.
          const riding = this.ends.splice(0, 500);
          let taken: { jobs: JobRecord[]; recorded: Set<string> };
          try {
            taken = await claimDueJobs(
              this.options.db,
              lease,
              limit,
              riding.map((r) => r.end),
            );
          } catch (err) {
            this.options.log.warn({ err: errorMessage(err) }, 'could not claim due jobs; trying again shortly');
            this.keepUnwritten(riding, lease.now.getTime());
            if (this.background && !this.pumpTimer) {
              this.pumpTimer = setTimeout(() => {
                this.pumpTimer = undefined;
                void this.pump();
              }, PUMP_RETRY_MS);
              this.pumpTimer.unref();
            }
            return claimed;
          }
          this.noteUnrecorded(riding, taken.recorded);
          claimed += taken.jobs.length;
          void this.launchAll(taken.jobs, lease, false);
          // What those ends freed (a retry, a job waiting for one) shows from the next claim on.
          if (taken.jobs.length < limit && taken.recorded.size === 0) break;
        }
      } while (this.pumpAgain && !this.stopping);
    } finally {
      if (this.ends.length) this.scheduleFlush();
    }
    return claimed;
  }

  /** Resolves once nothing runs, no claim is under way and every end is written (or failed to be). */
  private async settle(): Promise<void> {
    for (;;) {
      if (this.pumpTimer && !this.stopping && (this.background || this.reports.size > 0)) {
        // A claim about to be made: made now, with the ends waiting (rather than a statement of their own).
        this.clearPumpTimer();
        void this.pump();
      }
      if (this.pumping) {
        await this.pumping;
        continue;
      }
      const running = [...this.running.values()].map((r) => r.done);
      if (running.length) {
        await Promise.allSettled(running);
        continue;
      }
      await this.flush();
      if (!this.pumping && this.running.size === 0) return;
    }
  }

  /**
   * Starts claimed jobs: one by one, except kinds that run several at once (`runBatch`), which
   * get theirs in groups. Resolves with what they enqueued that could not run yet.
   */
  private async launchAll(jobs: readonly JobRecord[], lease: Lease, direct: boolean): Promise<string[]> {
    const started: Promise<string[]>[] = [];
    // One at a time: each starts when the one before it is done (all are in hand meanwhile).
    let previous: Promise<unknown> | undefined;
    const start = (group: readonly JobRecord[], run: (runs: Running[]) => Promise<Scope>) => {
      const done = this.launch(group, lease, direct, run, previous);
      if (this.options.oneAtATime) previous = done.catch(() => undefined);
      started.push(done);
    };
    const groups = new Map<AnyJobKind, JobRecord[]>();
    for (const job of jobs) {
      const kind = this.kinds.get(job.kind);
      if (kind?.runBatch) {
        const group = groups.get(kind);
        if (group) group.push(job);
        else groups.set(kind, [job]);
      } else start([job], (runs) => this.runOne(runs[0]!));
    }
    for (const [kind, group] of groups) {
      const size = kind.batchSize ?? 50;
      for (let from = 0; from < group.length; from += size) start(group.slice(from, from + size), (runs) => this.runBatch(runs, kind));
    }
    return (await Promise.all(started)).flat();
  }

  private launch(
    jobs: readonly JobRecord[],
    lease: Lease,
    direct: boolean,
    run: (runs: Running[]) => Promise<Scope>,
    after?: Promise<unknown>,
  ): Promise<string[]> {
    const runs = jobs.map((job): Running => ({ job, token: lease.token, direct, leaseUntil: lease.until.getTime(), ended: false }));
    const now = this.options.clock.now().getTime();
    for (const r of runs) {
      this.running.set(r.job.id, r);
      this.metrics.started(this.kindLabel(r.job), now - r.job.runAt.getTime());
    }
    const done = (after ? after.then(() => run(runs)) : run(runs))
      .then((scope) => (scope.enqueued.length ? this.cascade(scope) : []))
      .finally(() => {
        for (const r of runs) this.running.delete(r.job.id);
      });
    for (const r of runs) r.done = done;
    return done;
  }

  /** A job kind of this version, or `unknown`: a label's values stay a small fixed set. */
  private kindLabel(job: JobRecord): string {
    return this.kinds.has(job.kind) ? job.kind : 'unknown';
  }

  private lose(run: Running, why: string): void {
    if (aborted(run)) return;
    this.options.log.warn({ job: run.job.id, kind: run.job.kind }, `job stopped: ${why}`);
    signalOf(run);
    run.abort!.abort(new LeaseLost(`the lease of job ${run.job.id} was lost: ${why}`));
  }

  private contextFor(run: Running): JobContext {
    const { job, token } = run;
    const clock = this.options.clock;
    const parentLog = this.options.log;
    let log: Logger | undefined;
    return {
      job,
      // Made when first used: most runs log nothing.
      get log() {
        log ??= parentLog.child({ job: job.id, kind: job.kind, attempt: job.attempts });
        return log;
      },
      now: clock.now(),
      get signal() {
        return signalOf(run);
      },
      leaseToken: token,
      fence: async (trx) => {
        if (aborted(run) || !(await holdsLease(trx, { id: job.id, token, now: clock.now() }))) {
          throw new LeaseLost(`job ${job.id} no longer holds its lease`);
        }
      },
    };
  }

  /** Runs one job and writes how it ended. */
  private async runOne(run: Running): Promise<Scope> {
    const ctx = this.contextFor(run);
    const scope: Scope = { owner: this, enqueued: [], run: ctx };
    let outcome: Outcome;
    try {
      const ready = this.ready(run, ctx);
      if (ready === 'skipped') outcome = 'skipped';
      else {
        await scopes.run(scope, () => ready.kind.run(ready.payload, ctx));
        outcome = this.ran(run);
      }
    } catch (err) {
      outcome = this.afterFailure(run, err, ctx.log);
    }
    this.ended(run, outcome);
    return scope;
  }

  /** Runs a group of jobs of one kind together; each keeps its own lease and its own end. */
  private async runBatch(runs: Running[], kind: AnyJobKind): Promise<Scope> {
    const scope: Scope = { owner: this, enqueued: [] };
    const items: { run: Running; ctx: JobContext; payload: unknown }[] = [];
    for (const run of runs) {
      const ctx = this.contextFor(run);
      try {
        const ready = this.ready(run, ctx);
        if (ready === 'skipped') this.ended(run, 'skipped');
        else items.push({ run, ctx, payload: ready.payload });
      } catch (err) {
        this.ended(run, this.afterFailure(run, err, ctx.log));
      }
    }
    let failures = new Map<string, unknown>();
    if (items.length) {
      try {
        failures = new Map(await scopes.run(scope, () => kind.runBatch!(items.map(({ payload, ctx }) => ({ payload, ctx })))));
      } catch (err) {
        for (const { run } of items) failures.set(run.job.id, err);
      }
    }
    for (const { run, ctx } of items) {
      const failed = failures.has(run.job.id);
      let outcome: Outcome;
      try {
        if (failed) throw failures.get(run.job.id);
        outcome = this.ran(run);
      } catch (err) {
        outcome = this.afterFailure(run, err, ctx.log);
      }
      this.ended(run, outcome);
    }
    return scope;
  }

  /** What it enqueued may wait for it (`after`): its end is written first, then that runs. */
  private async cascade(scope: Scope): Promise<string[]> {
    if (scope.enqueued.length === 0 || this.stopping) return [];
    await this.flush();
    return this.runNow(scope.enqueued);
  }

  /** The job's kind and checked payload, or 'skipped' for a job too late to run (its end is recorded). */
  private ready(run: Running, ctx: JobContext): { kind: AnyJobKind; payload: unknown } | 'skipped' {
    const { job } = run;
    const kind = this.kinds.get(job.kind);
    if (!kind) throw new GiveUp(`no handler for job kind "${job.kind}" in this version of Steady`);
    const age = ctx.now.getTime() - job.scheduledFor.getTime();
    if (kind.staleAfterMs !== undefined && age > kind.staleAfterMs) {
      ctx.log.warn({ scheduledFor: job.scheduledFor, lateByMs: age }, 'job is stale; skipped, not run late');
      this.end({ id: job.id, token: run.token, state: 'skipped', error: `stale: ${Math.round(age / 60_000)} min late` });
      return 'skipped';
    }
    const payload = kind.payload.safeParse(job.payload);
    if (!payload.success) throw new GiveUp(`payload does not match the job kind: ${payload.error.message}`);
    return { kind, payload: payload.data };
  }

  /** The run finished its work: done, unless its lease went meanwhile. */
  private ran(run: Running): Outcome {
    if (aborted(run)) throw run.abort!.signal.reason;
    this.end({ id: run.job.id, token: run.token, state: 'done' });
    return 'ran';
  }

  private ended(run: Running, outcome: Outcome): void {
    run.ended = true;
    this.metrics.ended(this.kindLabel(run.job), outcome === 'ran' ? 'done' : outcome);
    for (const report of this.reports) if (outcome !== 'lost') report[outcome]++;
    if (!run.direct && (this.background || this.reports.size > 0)) this.schedulePump();
  }

  private afterFailure(run: Running, err: unknown, log: Logger): Outcome {
    const { job, token } = run;
    if (err instanceof LeaseLost || aborted(run)) {
      log.warn({ err: errorMessage(err) }, 'job run stopped without its lease; another instance may run it, nothing was recorded');
      return 'lost';
    }
    const message = errorMessage(err).slice(0, 2000);
    const now = this.options.clock.now();
    if (err instanceof RetryLater && err.uncounted) {
      log.debug({ err: message }, 'job handed back for later');
      this.end({
        id: job.id,
        token,
        state: 'retry',
        error: message,
        runAt: new Date(now.getTime() + (err.retryAfterMs ?? 0)),
        uncounted: true,
      });
      return 'retried';
    }
    const permanent = err instanceof GiveUp || (err instanceof PlatformError && !err.retryable);
    if (permanent || job.attempts >= job.maxAttempts) {
      log.error({ err: message, attempts: job.attempts }, permanent ? 'job failed permanently' : 'job failed; no attempts left, giving up');
      this.end({ id: job.id, token, state: 'failed', error: message });
      return 'failed';
    }
    const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
    const delay = retryDelayMs(job.attempts, this.backoff, this.random, typeof retryAfterMs === 'number' ? retryAfterMs : undefined);
    const runAt = new Date(now.getTime() + delay);
    log.warn({ err: message, retryAt: runAt }, 'job failed; will retry');
    this.end({ id: job.id, token, state: 'retry', error: message, runAt });
    return 'retried';
  }

  private end(end: JobEnd): void {
    this.ends.push({ end, at: this.options.clock.now().getTime() });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setImmediate(() => {
      this.flushTimer = undefined;
      // A claim about to be made takes the ends with it (`fill`), and flushes what it leaves.
      if (this.pumpTimer && !this.stopping && (this.background || this.reports.size > 0)) return;
      void this.flush();
    });
  }

  /**
   * Writes the ends gathered so far, many in one statement. When the database cannot be reached they
   * are kept and written later, while their leases could still be ours; after that the job is left
   * to whoever takes it over (its steps are idempotent, its posts in the outbox).
   */
  private async flush(): Promise<void> {
    // An end written by a flush already under way counts too: a caller waits for it (a job held back
    // by another becomes free only once that one's end is in the table).
    while (this.ends.length || this.flushing) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      const batch = this.ends.splice(0, 500);
      this.flushing = this.write(batch).finally(() => {
        this.flushing = undefined;
      });
      const written = await this.flushing;
      if (!written) return;
    }
  }

  private async write(batch: { end: JobEnd; at: number }[]): Promise<boolean> {
    const now = this.options.clock.now();
    try {
      this.noteUnrecorded(
        batch,
        await recordJobEnds(
          this.options.db,
          batch.map((b) => b.end),
          now,
        ),
      );
      return true;
    } catch (err) {
      this.options.log.warn({ err: errorMessage(err) }, 'could not record job ends; trying again');
      this.keepUnwritten(batch, now.getTime());
      return false;
    }
  }

  private noteUnrecorded(batch: readonly { end: JobEnd }[], recorded: Set<string>): void {
    for (const { end } of batch) {
      if (!recorded.has(end.id))
        this.options.log.warn({ job: end.id, state: end.state }, 'job was cancelled or taken over while it ran; its end was not recorded');
    }
  }

  /** Ends the database did not take: kept to write later while their leases could still be ours. */
  private keepUnwritten(batch: readonly { end: JobEnd; at: number }[], now: number): void {
    const keep = batch.filter((b) => now - b.at < this.leaseMs);
    if (keep.length < batch.length)
      this.options.log.warn({ dropped: batch.length - keep.length }, 'job ends dropped: their leases have run out');
    this.ends.unshift(...keep);
    if (keep.length && !this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, PUMP_RETRY_MS);
      this.flushTimer.unref();
    }
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
        for (
          let next = nextOccurrence(rule.cron, rule.zone, occurrence);
          next && next <= now && missed < 10_000;
          next = nextOccurrence(rule.cron, rule.zone, occurrence)
        ) {
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

function signalOf(run: Running): AbortSignal {
  run.abort ??= new AbortController();
  return run.abort.signal;
}

function aborted(run: Running): boolean {
  return run.abort?.signal.aborted === true;
}
