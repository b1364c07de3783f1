/**
 * Time is injected: everything that asks "what time is it?" asks a Clock, so tests move time
 * instead of sleeping and the console can fast-forward to see a reminder fire.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that only moves when told to. For tests. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  /** Waiting, as a fake clock does it: time jumps to `until` (never back). */
  readonly waitUntil = async (until: Date): Promise<void> => {
    this.current = Math.max(this.current, until.getTime());
  };
}

/**
 * The system clock plus an offset that only grows. The console adapter uses it so that someone
 * trying Steady can say "/wait 30m" and see the reminders that would fire in half an hour.
 */
export class OffsetClock implements Clock {
  private offsetMs: number;

  /** `offsetMs`: how far ahead it starts (the console resumes where its data left off). */
  constructor(
    private readonly base: Clock = systemClock,
    offsetMs = 0,
  ) {
    this.offsetMs = Math.max(0, offsetMs);
  }

  /** How far ahead of its base it is. */
  get offset(): number {
    return this.offsetMs;
  }

  /** The base clock's time, for working out the offset that reaches a given moment. */
  baseNow(): Date {
    return this.base.now();
  }

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  advance(ms: number): Date {
    this.offsetMs += Math.max(0, ms);
    return this.now();
  }
}
