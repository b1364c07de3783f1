import { z } from 'zod';
import type { Db } from '../../db/schema';
import { purgeInboundEvents } from '../storage/inbound-events-repository';
import type { JobKind } from './job';
import type { Scheduler } from './scheduler';
import { DAY_MS } from '../core/duration';

const RULE_KEY = 'housekeeping';

/** Once a day: forget platform event ids old enough that no platform will retry them. */
export function housekeepingJob(db: Db): JobKind<{ occurrence?: string }> {
  return {
    kind: 'housekeeping',
    payload: z.object({ occurrence: z.string().optional() }),
    staleAfterMs: DAY_MS,
    async run(_payload, ctx) {
      const purged = await purgeInboundEvents(db, new Date(ctx.now.getTime() - 2 * DAY_MS));
      ctx.log.info({ purged }, 'housekeeping done');
    },
  };
}

export async function scheduleHousekeeping(scheduler: Scheduler): Promise<void> {
  await scheduler.putRule({ key: RULE_KEY, jobKind: 'housekeeping', cron: '17 3 * * *', zone: 'UTC', payload: {} });
}
