import { z } from 'zod';
import type { Db } from '../../db/schema';
import { DAY_MS, HOUR_MS } from '../core/duration';
import { purgeInboundEvents } from '../storage/inbound-events-repository';
import { pruneJobs } from '../storage/jobs-repository';
import { pruneOutbox } from '../storage/outbox-repository';
import { pruneLanes } from '../storage/send-lanes-repository';
import type { JobKind } from './job';
import type { Scheduler } from './scheduler';

const RULE_KEY = 'housekeeping';
/** Rows deleted per statement, so pruning a large backlog never holds long locks. */
const PRUNE_BATCH = 5_000;

/**
 * Once a day: forget platform event ids old enough that no platform will retry them, delete jobs
 * and outbox entries that ended more than `retentionDays` ago, and send lanes nobody used for a day.
 */
export function housekeepingJob(db: Db, settings: { readonly retentionDays: number }): JobKind<{ occurrence?: string | undefined }> {
  return {
    kind: 'housekeeping',
    payload: z.object({ occurrence: z.string().optional() }),
    staleAfterMs: DAY_MS,
    async run(_payload, ctx) {
      const keepFrom = new Date(ctx.now.getTime() - settings.retentionDays * DAY_MS);
      const purged = await purgeInboundEvents(db, new Date(ctx.now.getTime() - 2 * DAY_MS));
      const jobs = await pruneAll((limit) => pruneJobs(db, keepFrom, limit), ctx.signal);
      const outbox = await pruneAll((limit) => pruneOutbox(db, keepFrom, limit), ctx.signal);
      const lanes = await pruneLanes(db, new Date(ctx.now.getTime() - HOUR_MS));
      ctx.log.info({ purged, jobs, outbox, lanes, retentionDays: settings.retentionDays }, 'housekeeping done');
    },
  };
}

async function pruneAll(prune: (limit: number) => Promise<number>, signal: AbortSignal): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await prune(PRUNE_BATCH);
    total += deleted;
    if (deleted < PRUNE_BATCH || signal.aborted) return total;
  }
}

export async function scheduleHousekeeping(scheduler: Scheduler): Promise<void> {
  await scheduler.putRule({ key: RULE_KEY, jobKind: 'housekeeping', cron: '17 3 * * *', zone: 'UTC', payload: {} });
}
