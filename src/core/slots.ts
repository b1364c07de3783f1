/**
 * At most `size` pieces of work at once; the rest wait their turn in arrival order. What waits is
 * already kept (stored), so a crash loses none of it.
 */
export class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Runs `work` in a slot; `onWait` is called once if it has to wait for one. */
  async run<T>(work: () => Promise<T>, onWait?: () => void): Promise<T> {
    if (this.busy >= this.size) {
      onWait?.();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.busy++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `busy` stays counted.
      if (next) next();
      else this.busy--;
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
