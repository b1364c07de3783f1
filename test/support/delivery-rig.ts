import { z } from 'zod';
import type { FakeClock } from '../../src/core/clock';
import { PlatformError } from '../../src/core/errors';
import { textMessage, type Message } from '../../src/core/message';
import { Platforms, type PostOptions, type PostedWhere, type SendLimits } from '../../src/core/platform';
import type { Destination } from '../../src/delivery/outbox';
import type { JobKind } from '../../src/scheduler/job';
import { createSteady, type Steady, type SteadyOptions } from '../../src/steady';
import type { Executor } from '../../db/schema';
import { silentLog, type TestDatabase } from './database';
import { RecordingPlatform } from './recording-platform';

export const WORKSPACE = 'test:W1';

/**
 * A recording platform that behaves as a real one can under trouble: it may declare send limits,
 * answer 429 with Retry-After, lose its answer after taking a message (the caller cannot tell
 * whether it arrived), or hang after taking it (the process dies mid-send). With `canLook` it can
 * find what it took by outbox key, as Slack's history does; without, it is like Teams.
 */
export class TroublePlatform extends RecordingPlatform {
  /** Every call that reached the platform, in order (a 429 included). */
  readonly calls: { readonly to: string; readonly key?: string; readonly outcome: 'taken' | '429' | 'lost answer' | 'hung' }[] = [];
  readonly plan: ('429' | 'lose answer' | 'hang')[] = [];
  retryAfterMs = 30_000;
  limits?: { post?: SendLimits; update?: SendLimits };
  findSent?: (where: PostedWhere, key: string) => Promise<string | undefined>;

  constructor(options: { readonly canLook: boolean; readonly limits?: { post?: SendLimits; update?: SendLimits } }) {
    super('test', {});
    if (options.limits) this.limits = options.limits;
    if (options.canLook) this.findSent = async (_where, key) => this.sent.find((s) => s.key === key)?.ref;
  }

  override async postDirect(
    workspaceId: string,
    userId: string,
    message: Message,
    options: Pick<PostOptions, 'key'> = {},
  ): Promise<string> {
    return this.take(userId, options.key, () => super.postDirect(workspaceId, userId, message, options));
  }

  override async post(to: string, message: Message, options: PostOptions = {}): Promise<string> {
    return this.take(to, options.key, () => super.post(to, message, options));
  }

  private async take(to: string, key: string | undefined, send: () => Promise<string>): Promise<string> {
    const trouble = this.plan.shift();
    if (trouble === '429') {
      this.calls.push({ to, ...(key ? { key } : {}), outcome: '429' });
      throw new PlatformError('RATE_LIMITED', 'rate limited', { platformCode: 'ratelimited', retryAfterMs: this.retryAfterMs });
    }
    const ref = await send();
    if (trouble === 'lose answer') {
      this.calls.push({ to, ...(key ? { key } : {}), outcome: 'lost answer' });
      throw new PlatformError('UNAVAILABLE', 'the connection dropped before the answer came');
    }
    if (trouble === 'hang') {
      this.calls.push({ to, ...(key ? { key } : {}), outcome: 'hung' });
      return new Promise<string>(() => undefined);
    }
    this.calls.push({ to, ...(key ? { key } : {}), outcome: 'taken' });
    return ref;
  }
}

export interface SendPayload {
  readonly key: string;
  readonly to: Destination;
  readonly text: string;
}

/** A job kind that sends one message through the outbox, recording its reference in `sent_refs`. */
export function sendJob(steady: () => Steady): JobKind<SendPayload> {
  return {
    kind: 'test.send',
    payload: z.object({
      key: z.string(),
      to: z.union([
        z.object({ workspaceId: z.string(), conversation: z.string() }),
        z.object({ workspaceId: z.string(), userId: z.string() }),
      ]),
      text: z.string(),
    }) as z.ZodType<SendPayload>,
    async run(p) {
      const sent = await steady().services.outbox.post({ key: p.key, to: p.to, message: textMessage(p.text) });
      if (!sent.ok) throw new Error(`undeliverable: ${sent.code}`);
    },
  };
}

/** An instance of Steady with only the send job, on a shared database and platform. */
export function instance(
  database: TestDatabase,
  platform: TroublePlatform,
  clock: FakeClock,
  options: Partial<SteadyOptions> = {},
): Steady {
  const platforms = new Platforms();
  platforms.register(platform);
  let steady: Steady | undefined;
  steady = createSteady({
    db: database.db,
    clock,
    log: silentLog,
    platforms,
    outbox: { wait: clock.waitUntil, maxWaitMs: 5_000 },
    workflows: () => [{ name: 'test', jobs: [sendJob(() => steady!)] }],
    ...options,
  });
  return steady;
}

export async function enqueueSend(steady: Steady, payload: SendPayload, db?: Executor): Promise<string> {
  const { id } = await steady.scheduler.enqueue(
    { kind: 'test.send', payload, runAt: steady.services.clock.now(), dedupeKey: `send:${payload.key}` },
    db,
  );
  return id!;
}
