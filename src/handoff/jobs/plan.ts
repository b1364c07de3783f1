import { z } from 'zod';
import type { Executor } from '../../../db/schema';
import type { JobKind } from '../../scheduler/job';
import type { Scheduler } from '../../scheduler/scheduler';
import { lockRotation } from '../../storage/handoff/rotations-repository';
import type { HandoffDeps } from '../deps';
import { PLAN_KIND, planRuleKey, rotationOwner } from './keys';
import { loadRotationState } from '../on-duty';
import { planNextHandoff } from './shift-changes';

interface PlanPayload {
  readonly rotationId: string;
  readonly occurrence?: string | undefined;
}

/**
 * The safety net under the chain of shift changes: every hour each rotation makes sure its next
 * shift change is planned (a no-op when it is, which is nearly always).
 */
export function planJob(deps: HandoffDeps): JobKind<PlanPayload> {
  return {
    kind: PLAN_KIND,
    payload: z.object({ rotationId: z.string().regex(/^\d+$/), occurrence: z.string().optional() }),
    // A missed hour is made up by the next one.
    staleAfterMs: 3_600_000,
    async run(payload, ctx) {
      const { db, scheduler } = deps.services;
      await db.transaction().execute(async (trx) => {
        const rotation = await lockRotation(trx, payload.rotationId);
        if (!rotation || rotation.deletedAt) {
          await scheduler.removeRules({ owner: rotationOwner(payload.rotationId) }, trx);
          return;
        }
        const state = await loadRotationState(trx, rotation.id);
        if (state) await planNextHandoff(scheduler, trx, state, ctx.now, ctx.now);
      });
    },
  };
}

export async function putPlanRule(scheduler: Scheduler, db: Executor, rotationId: string): Promise<void> {
  await scheduler.putRule(
    {
      key: planRuleKey(rotationId),
      jobKind: PLAN_KIND,
      cron: '7 * * * *',
      zone: 'UTC',
      payload: { rotationId },
      owner: rotationOwner(rotationId),
    },
    db,
  );
}
