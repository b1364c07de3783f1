import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/schema';
import type { Clock } from '../core/clock';
import type { FormOutcome } from '../core/form';
import type { InboundEvent, Interaction, StoredRoute } from '../core/inbound';
import { GiveUp, type JobContext, type JobKind } from '../scheduler/job';
import type { Scheduler } from '../scheduler/scheduler';
import { forgetDedupeKey, insertJobs, makeDueNow } from '../storage/jobs-repository';
import { AlreadyApplied, appliedKey, applyOnce, wasApplied } from '../storage/request-once';

export const KEPT_REQUEST_KIND = 'inbound.request';

/**
 * A kept request waits this long for the instance that took it before any other may run it: it is
 * run at once by its own instance, and by another only if that one died first.
 */
export const TAKE_OVER_AFTER_MS = 10_000;
/** A request kept while the database was failing is tried again for about a day. */
const ATTEMPTS = 16;

const formValue = z.union([z.string(), z.array(z.string()), z.boolean(), z.null()]);
const eventSchema: z.ZodType<InboundEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('command'), command: z.string(), text: z.string() }),
  z.object({ type: z.literal('button'), actionId: z.string(), value: z.string(), message: z.string().optional() }),
  z.object({
    type: z.literal('form'),
    formId: z.string(),
    values: z.record(z.string(), formValue.optional()),
    state: z.string().optional(),
  }),
  z.object({ type: z.literal('direct-message'), text: z.string() }),
]) as z.ZodType<InboundEvent>;

const payloadSchema = z.object({
  event: eventSchema,
  actor: z.object({ workspaceId: z.string(), userId: z.string() }),
  conversation: z.string().optional(),
  correlationId: z.string(),
  reportedTimeZone: z.string().optional(),
  route: z.object({ platform: z.string() }).passthrough(),
});

/** What is stored of a request: enough to handle it, and to answer its person, in another process. */
export type KeptRequest = z.output<typeof payloadSchema>;

/** An adapter's way back to the person of a kept request, from what its interaction stored. */
export type Restore = (kept: KeptRequest & { readonly route: StoredRoute }) => Interaction;

export interface HandlingRun {
  /** 1 on the first run, more when it is tried again after the database failed. */
  readonly attempt: number;
  /** Run by an instance other than the one that took it, or after a restart. */
  readonly resumed: boolean;
}

export type Handle = (event: InboundEvent, interaction: Interaction, run: HandlingRun) => Promise<FormOutcome | undefined>;

interface Waiting {
  readonly payload: KeptRequest;
  readonly dedupeKey: string;
  readonly resolve: (id: string | 'repeat') => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Keep first, then acknowledge: what a person did is stored as a job before the platform hears
 * back, then run here at once from the live interaction. If the process dies after the
 * acknowledgement, another instance (or this one, restarted) runs it from the stored record, and
 * `applyOnce` makes its change happen once.
 */
export class KeptRequests {
  private readonly live = new Map<string, { readonly interaction: Interaction; outcome?: FormOutcome | undefined }>();
  private readonly restorers = new Map<string, Restore>();
  private handler: Handle | undefined;
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly deps: { readonly db: Db; readonly scheduler: Scheduler; readonly clock: Clock; readonly log: Logger }) {}

  /** The dispatcher's handling of one event (set once, when the dispatcher is built). */
  handleWith(handle: Handle): void {
    this.handler = handle;
  }

  /** Registers how a platform answers the person of a request kept by another process. */
  restoreWith(platform: string, restore: Restore): void {
    this.restorers.set(platform, restore);
  }

  /**
   * Stores the event; 'repeat' when a request with its key was kept before. Requests arriving
   * together are written in one statement, so many people acting at once cost one commit.
   */
  keep(event: InboundEvent, interaction: Interaction, route: StoredRoute, key: string): Promise<string | 'repeat'> {
    const payload: KeptRequest = {
      event,
      actor: { workspaceId: interaction.actor.workspaceId, userId: interaction.actor.userId },
      ...(interaction.conversation ? { conversation: interaction.conversation } : {}),
      correlationId: interaction.correlationId,
      ...(interaction.reportedTimeZone ? { reportedTimeZone: interaction.reportedTimeZone } : {}),
      route,
    };
    return new Promise((resolve, reject) => {
      this.waiting.push({ payload, dedupeKey: `inbound:${key}`, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.writeWaiting());
      }
    });
  }

  /** Runs a kept request here, now, answering through `interaction`. */
  async run(id: string, interaction: Interaction): Promise<{ readonly ran: boolean; readonly outcome?: FormOutcome | undefined }> {
    const entry: { interaction: Interaction; outcome?: FormOutcome | undefined } = { interaction };
    this.live.set(id, entry);
    try {
      const ran = await this.deps.scheduler.runKept(id);
      return ran ? { ran, outcome: entry.outcome } : { ran };
    } finally {
      this.live.delete(id);
    }
  }

  /** Makes a kept request due now, for whichever instance has room (this one is full). */
  async leave(id: string): Promise<void> {
    await makeDueNow(this.deps.db, id, this.deps.clock.now());
    this.deps.scheduler.wake();
  }

  job(): JobKind<KeptRequest> {
    return {
      kind: KEPT_REQUEST_KIND,
      payload: payloadSchema,
      maxAttempts: ATTEMPTS,
      run: (payload, ctx) => this.runJob(payload, ctx),
    };
  }

  private async runJob(payload: KeptRequest, ctx: JobContext): Promise<void> {
    const handle = this.handler;
    if (!handle) throw new Error('kept requests have no handler');
    const live = this.live.get(ctx.job.id);
    const interaction = live?.interaction ?? this.restore(payload);
    const key = appliedKey(ctx.job.id);
    if (!live && (await wasApplied(this.deps.db, key))) {
      ctx.log.info('a kept request whose change was recorded before its run ended; nothing to do');
      return;
    }
    let outcome: FormOutcome | undefined;
    try {
      outcome = await applyOnce(key, this.deps.clock.now(), () =>
        handle(payload.event, interaction, { attempt: ctx.job.attempts, resumed: !live }),
      );
    } catch (err) {
      if (!(err instanceof AlreadyApplied)) throw err;
      ctx.log.info('another run recorded this request first; this run recorded nothing');
      return;
    }
    if (live) live.outcome = outcome;
    // An invalid submission changed nothing: the same values sent again must be checked again.
    if (outcome?.status === 'invalid') await forgetDedupeKey(this.deps.db, ctx.job.id);
  }

  private restore(payload: KeptRequest): Interaction {
    const restore = this.restorers.get(payload.route.platform);
    if (!restore) throw new GiveUp(`no adapter for ${payload.route.platform} runs here to answer a kept request`);
    return restore(payload as KeptRequest & { readonly route: StoredRoute });
  }

  private async writeWaiting(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.writing = false;
    const now = this.deps.clock.now();
    try {
      const rows = await insertJobs(
        this.deps.db,
        batch.map((w) => ({
          kind: KEPT_REQUEST_KIND,
          payload: w.payload,
          runAt: new Date(now.getTime() + TAKE_OVER_AFTER_MS),
          dedupeKey: w.dedupeKey,
        })),
        { now, maxAttempts: () => ATTEMPTS },
      );
      const ids = new Map(rows.map((r) => [r.dedupeKey!, r.id]));
      for (const w of batch) {
        const id = ids.get(w.dedupeKey);
        // Two of one batch with one key: the first is the request, the second its repeat.
        ids.delete(w.dedupeKey);
        w.resolve(id ?? 'repeat');
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}
