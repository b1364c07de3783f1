/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is random, so retries
 * from many jobs that failed together (a platform outage) spread out instead of returning as one.
 */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 15_000, maxMs: 60 * 60_000 };

/**
 * Delay before the next attempt after `attempts` attempts have failed; never less than what the
 * platform asked for with Retry-After.
 */
export function retryDelayMs(attempts: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
