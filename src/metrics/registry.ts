import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseFigures } from '../http/metrics';
import type { MetricsRecorder, PlatformCall } from './recorder';

/**
 * The one place prom-client is used: every metric Steady exports, in one registry per process
 * (not prom-client's global one, so tests and two apps in one process do not share counters).
 * The scheduler and the platform clients get `recorder` (plain functions); the HTTP server gets
 * `observeRequest` and `render`.
 *
 * Two kinds of figures, and dashboards should treat them differently:
 * - counted here, per instance (process, HTTP, job runs, platform calls): `sum` across instances;
 * - read from the database at scrape time (outbox, queue, escalations, prompts): the same on every
 *   instance, so `max` across instances.
 */
export interface SteadyMetrics {
  readonly registry: Registry;
  readonly recorder: MetricsRecorder;
  /** One HTTP request answered: `route` is the matched route pattern, never the URL. */
  observeRequest(request: { readonly method: string; readonly route: string; readonly status: number; readonly seconds: number }): void;
  /** The text Prometheus scrapes; the database figures when they could be read. */
  render(figures: DatabaseFigures | undefined): Promise<string>;
  readonly contentType: string;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];
const RETRY_AFTER_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 900];

export function createMetrics(options: { readonly processMetrics?: boolean } = {}): SteadyMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'steady_http_requests_total',
    help: 'HTTP requests answered, by method, matched route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'steady_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and matched route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });

  const jobsStarted = new Counter({
    name: 'steady_job_runs_started_total',
    help: 'Job runs started by this instance, by job kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const jobsEnded = new Counter({
    name: 'steady_job_runs_total',
    help: 'Job runs ended on this instance, by job kind and outcome (done, retried, failed, skipped: too late to run, lost: its lease went).',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const jobLag = new Histogram({
    name: 'steady_job_lag_seconds',
    help: 'How long after its due time a job run started, by job kind.',
    labelNames: ['kind'] as const,
    buckets: LAG_BUCKETS,
    registers,
  });

  const platformCalls = new Counter({
    name: 'steady_platform_calls_total',
    help: 'Calls to a chat platform, by platform, API method and outcome (ok, rate_limited, failed).',
    labelNames: ['platform', 'method', 'outcome'] as const,
    registers,
  });
  const platformDuration = new Histogram({
    name: 'steady_platform_call_duration_seconds',
    help: 'Time a chat platform took to answer a call, by platform and API method.',
    labelNames: ['platform', 'method'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: 'steady_platform_rate_limited_total',
    help: 'Calls a chat platform answered with 429 (slow down), by platform and API method.',
    labelNames: ['platform', 'method'] as const,
    registers,
  });
  const retryAfter = new Histogram({
    name: 'steady_platform_retry_after_seconds',
    help: 'The pauses chat platforms asked for (Retry-After of a 429), by platform: the count is how many, the sum how long in all.',
    labelNames: ['platform'] as const,
    buckets: RETRY_AFTER_BUCKETS,
    registers,
  });

  const outboxPosts = new Gauge({
    name: 'steady_outbox_posts',
    help: 'Posts to a platform recorded in the outbox, by state (attempting: under way, or in doubt until settled). Read from the database.',
    labelNames: ['state'] as const,
    registers,
  });
  const foundInDoubt = new Gauge({
    name: 'steady_outbox_found_in_doubt',
    help: 'Attempts that ended in doubt, then were found on the platform and not sent again. Read from the database.',
    registers,
  });
  const resentInDoubt = new Gauge({
    name: 'steady_outbox_resent_in_doubt',
    help: 'Attempts that ended in doubt on a platform that cannot be asked (no findSent) and were sent again: possible duplicates. Read from the database.',
    registers,
  });
  const jobsPending = new Gauge({
    name: 'steady_jobs_pending',
    help: 'Pending jobs of all instances: due now and waiting for a place, running under a lease, or due later. Read from the database.',
    labelNames: ['state'] as const,
    registers,
  });
  const escalationsOpen = new Gauge({
    name: 'steady_escalations_open',
    help: 'Escalations not yet resolved or cancelled, by severity. Read from the database.',
    labelNames: ['severity'] as const,
    registers,
  });
  const escalationsOverdue = new Gauge({
    name: 'steady_escalations_overdue',
    help: 'Open escalations past their due time, by severity. Read from the database.',
    labelNames: ['severity'] as const,
    registers,
  });
  const prompts = new Gauge({
    name: 'steady_standup_prompts_today',
    help: 'Stand-up prompts sent, and answers given, since midnight UTC. Read from the database.',
    labelNames: ['state'] as const,
    registers,
  });
  const databaseRead = new Gauge({
    name: 'steady_metrics_database_up',
    help: '1 when this scrape could read the figures kept in the database, 0 when it could not (they are left out).',
    registers,
  });
  let rendering: Promise<unknown> = Promise.resolve();
  const fromDatabase = [outboxPosts, foundInDoubt, resentInDoubt, jobsPending, escalationsOpen, escalationsOverdue, prompts];

  const recorder: MetricsRecorder = {
    jobs: {
      started(kind, lagMs) {
        jobsStarted.inc({ kind });
        jobLag.observe({ kind }, Math.max(0, lagMs) / 1000);
      },
      ended(kind, outcome) {
        jobsEnded.inc({ kind, outcome });
      },
    },
    platformCalls: {
      called(call: PlatformCall) {
        const { platform, method } = call;
        platformCalls.inc({ platform, method, outcome: call.outcome });
        platformDuration.observe({ platform, method }, call.seconds);
        if (call.outcome === 'rate_limited') {
          rateLimited.inc({ platform, method });
          if (call.retryAfterMs !== undefined) retryAfter.observe({ platform }, call.retryAfterMs / 1000);
        }
      },
    },
  };

  return {
    registry,
    recorder,
    contentType: registry.contentType,
    observeRequest({ method, route, status, seconds }) {
      httpRequests.inc({ method, route, status: String(status) });
      httpDuration.observe({ method, route }, seconds);
    },
    render(figures) {
      // One scrape at a time: another's reset must not empty the gauges this one is writing out.
      const text = rendering.then(() => write(figures));
      rendering = text.catch(() => undefined);
      return text;
    },
  };

  async function write(figures: DatabaseFigures | undefined): Promise<string> {
    for (const gauge of fromDatabase) gauge.reset();
    databaseRead.set(figures ? 1 : 0);
    if (figures) {
      const { outbox, jobs } = figures;
      outboxPosts.set({ state: 'sent' }, outbox.sent);
      outboxPosts.set({ state: 'failed' }, outbox.failed);
      outboxPosts.set({ state: 'attempting' }, outbox.inDoubt);
      foundInDoubt.set(outbox.foundInDoubt);
      resentInDoubt.set(outbox.resentInDoubt);
      jobsPending.set({ state: 'due' }, jobs.due);
      jobsPending.set({ state: 'running' }, jobs.running);
      jobsPending.set({ state: 'later' }, jobs.later);
      for (const [severity, counts] of Object.entries(figures.escalations)) {
        escalationsOpen.set({ severity }, counts.open);
        escalationsOverdue.set({ severity }, counts.overdue);
      }
      prompts.set({ state: 'sent' }, figures.prompts.sent);
      prompts.set({ state: 'answered' }, figures.prompts.answered);
    }
    return registry.metrics();
  }
}
