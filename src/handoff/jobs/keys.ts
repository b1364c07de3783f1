import type { Executor } from '../../../db/schema';
import type { Scheduler } from '../../scheduler/scheduler';

/**
 * The steps of a handoff, each a durable job. Dedupe keys carry the handoff and the moment, so a
 * step is enqueued once however often planning runs, and a step moved by an edit gets a new key.
 */
export const STEP_KINDS = {
  remind: 'handoff.remind',
  chase: 'handoff.chase',
  start: 'handoff.start',
  noteMissing: 'handoff.note-missing',
  post: 'handoff.post',
  confirmRemind: 'handoff.confirm-remind',
  confirmMissing: 'handoff.confirm-missing',
  confirmed: 'handoff.confirmed',
} as const;

export type Step = keyof typeof STEP_KINDS;

export const PLAN_KIND = 'handoff.plan';
export const SWAP_LAPSE_KIND = 'handoff.swap-lapse';
export const MEMBER_WELCOME_KIND = 'handoff.member-welcome';

export const handoffOwner = (handoffId: string) => `handoff:${handoffId}`;
export const rotationOwner = (rotationId: string) => `rotation:${rotationId}`;
export const planRuleKey = (rotationId: string) => `rotation:${rotationId}:plan`;

export interface StepPayload {
  readonly handoffId: string;
}

export async function enqueueStep(scheduler: Scheduler, db: Executor, handoffId: string, step: Step, runAt: Date): Promise<void> {
  await scheduler.enqueue<StepPayload>(
    {
      kind: STEP_KINDS[step],
      payload: { handoffId },
      runAt,
      dedupeKey: `handoff:${handoffId}:${step}@${runAt.toISOString()}`,
      owner: handoffOwner(handoffId),
    },
    db,
  );
}

export async function cancelSteps(scheduler: Scheduler, db: Executor, handoffId: string, steps?: readonly Step[]): Promise<number> {
  return scheduler.cancel(
    steps ? { owner: handoffOwner(handoffId), kinds: steps.map((s) => STEP_KINDS[s]) } : { owner: handoffOwner(handoffId) },
    db,
  );
}
