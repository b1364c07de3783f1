/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`. It is how the fake Slack Web API
 * enforces a rate limit the way Slack describes its own ("about 1 per second, short bursts allowed").
 */
export interface Rate {
  readonly perSecond: number;
  readonly burst: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.updatedAt = now;
  }

  /** Seconds until a token is available: 0 means there is one now. */
  wait(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.rate.perSecond;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.rate.burst, this.tokens + elapsed * this.rate.perSecond);
    this.updatedAt = now;
  }
}

/** One bucket per name (a workspace, a channel), created full on first use. */
export class Buckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(readonly rate: Rate) {}

  get(name: string, now: number): TokenBucket {
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = new TokenBucket(this.rate, now);
      this.buckets.set(name, bucket);
    }
    return bucket;
  }
}

/** The least time `messages` sends can take under `rate`, starting from a full bucket. */
export function minimumSeconds(messages: number, rate: Rate): number {
  return Math.max(0, messages - rate.burst) / rate.perSecond;
}
