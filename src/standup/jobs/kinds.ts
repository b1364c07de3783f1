import { z } from 'zod';
import { HOUR_MS } from '../../core/duration';
import type { JobKind, AnyJobKind } from '../../scheduler/job';
import { LIMITS } from '../model';
import type { Prompting } from '../prompting';
import type { Asking, PromptPayload } from '../asking';
import type { DayPublisher } from '../publisher';
import { JOB } from '../schedule';
import { syncZones } from '../zone-sync';
import type { CoreServices } from '../../core/services';

const sessionPayload = z.object({ sessionId: z.string() });

/** The stand-up's scheduled work. Each job checks the database before it sends anything. */
export function standupJobs(
  services: CoreServices,
  parts: { asking: Asking; prompting: Prompting; publisher: DayPublisher },
): AnyJobKind[] {
  const { asking, prompting, publisher } = parts;
  const prompt: JobKind<PromptPayload> = {
    kind: JOB.prompt,
    payload: promptPayload,
    // No stand-up's cut-off is later than this; each prompt also checks its own cut-off.
    staleAfterMs: LIMITS.maxCutoffHours * HOUR_MS,
    run: async (payload, ctx) => {
      const failed = await asking.ask([{ payload, ctx }]);
      if (failed.has(ctx.job.id)) throw failed.get(ctx.job.id);
    },
    // A zone's 09:30, or /standup now: everyone due together is asked together.
    runBatch: (items) => asking.ask(items),
    batchSize: 50,
  };
  const remind: JobKind<z.infer<typeof sessionPayload>> = {
    kind: JOB.remind,
    payload: sessionPayload,
    staleAfterMs: LIMITS.maxCutoffHours * HOUR_MS,
    run: (payload, ctx) => prompting.remind(payload.sessionId, ctx.log),
  };
  const cutoff: JobKind<z.infer<typeof sessionPayload>> = {
    kind: JOB.cutoff,
    payload: sessionPayload,
    run: (payload) => prompting.cutoff([payload.sessionId]),
    // Everyone whose cut-off falls at one moment is closed together, and the day shown once.
    runBatch: async (items) => {
      await prompting.cutoff(items.map((i) => i.payload.sessionId));
      return new Map();
    },
    batchSize: 100,
  };
  const publish: JobKind<z.infer<typeof publishPayload>> = {
    kind: JOB.publish,
    payload: publishPayload,
    run: (payload) => publisher.publish(payload.standupId, payload.date),
  };
  const welcome: JobKind<z.infer<typeof welcomePayload>> = {
    kind: JOB.welcome,
    payload: welcomePayload,
    staleAfterMs: 24 * HOUR_MS,
    run: (payload, ctx) => prompting.welcome(payload, ctx.log),
  };
  const zoneSync: JobKind<Record<string, unknown>> = {
    kind: JOB.zoneSync,
    payload: z.record(z.string(), z.unknown()),
    // Another run comes within the hour.
    staleAfterMs: 60 * 60_000,
    run: async (_payload, ctx) => {
      await syncZones(services, ctx.log);
    },
  };
  return [prompt, remind, cutoff, publish, welcome, zoneSync];
}

const promptPayload: z.ZodType<PromptPayload> = z.object({
  standupId: z.string(),
  userId: z.string(),
  occurrence: z.iso.datetime(),
  manual: z.boolean().optional(),
});
const publishPayload = z.object({ standupId: z.string(), date: z.string() });
const welcomePayload = z.object({ standupId: z.string(), userId: z.string(), addedBy: z.string() });
