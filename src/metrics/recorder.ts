import { performance } from 'node:perf_hooks';
import { PlatformError } from '../core/errors';

/**
 * What the scheduler and the platform clients tell /metrics, as a small port: they call these
 * functions and never see prom-client (which lives in `registry.ts`, built by the composition
 * root). Labels are low-cardinality by construction: a job kind, a platform, an API method, an
 * outcome; never a person, a workspace or an escalation.
 */

/** How a job run ended: done, handed back for later, given up, too late to run, or stopped without its lease. */
export type JobRunOutcome = 'done' | 'retried' | 'failed' | 'skipped' | 'lost';

export interface JobMetrics {
  /** A run started, `lagMs` after the job was due (0 when early). */
  started(kind: string, lagMs: number): void;
  ended(kind: string, outcome: JobRunOutcome): void;
}

export type PlatformCallOutcome = 'ok' | 'rate_limited' | 'failed';

export interface PlatformCall {
  /** The platform's name (its `ChatPlatform`'s `name`). */
  readonly platform: string;
  /** The API method or connector operation, e.g. `chat.postMessage`, `sendToConversation`. */
  readonly method: string;
  readonly outcome: PlatformCallOutcome;
  readonly seconds: number;
  /** The platform's Retry-After, when it asked to wait. */
  readonly retryAfterMs?: number;
}

export interface PlatformCallMetrics {
  called(call: PlatformCall): void;
}

export interface MetricsRecorder {
  readonly jobs: JobMetrics;
  readonly platformCalls: PlatformCallMetrics;
}

/** Records nothing: the default where no registry was given (tests of other things, tools). */
export const noMetrics: MetricsRecorder = {
  jobs: { started: () => undefined, ended: () => undefined },
  platformCalls: { called: () => undefined },
};

/**
 * Runs one platform call and records it: ok, rate_limited (a PlatformError RATE_LIMITED, with its
 * Retry-After) or failed (anything else thrown). What `work` returns or throws is passed on as is.
 */
export async function recordCall<T>(metrics: PlatformCallMetrics, platform: string, method: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await work();
    metrics.called({ platform, method, outcome: 'ok', seconds: seconds() });
    return result;
  } catch (err) {
    const limited = err instanceof PlatformError && err.code === 'RATE_LIMITED';
    const retryAfterMs = err instanceof PlatformError ? err.retryAfterMs : undefined;
    metrics.called({
      platform,
      method,
      outcome: limited ? 'rate_limited' : 'failed',
      seconds: seconds(),
      ...(limited && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
    throw err;
  }
}
