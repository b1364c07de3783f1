import { z } from 'zod';
import type { Executor } from '../../../db/schema';
import type { JobKind } from '../../scheduler/job';
import type { Scheduler } from '../../scheduler/scheduler';
import type { HandoffDeps } from '../deps';
import { sendDirect, unreachablePerson } from '../sending';
import { MEMBER_WELCOME_KIND, rotationOwner } from './keys';
import { loadRotationState, versionAt } from '../on-duty';
import { memberWelcome } from '../messages/rotation';
import type { Shift, ShiftTimeline } from '../shift-timeline';
import { DAY_MS } from '../../core/duration';

/**
 * People added to a rotation are told, as stand-up participants are: who added them, the shifts,
 * their own first one, where notes go. A durable job, enqueued with the change that added them,
 * so a crash after saving neither loses nor repeats it.
 */

interface WelcomePayload {
  readonly rotationId: string;
  readonly userId: string;
  readonly addedBy: string;
}

export async function welcomeNewMembers(
  scheduler: Scheduler,
  trx: Executor,
  args: { rotationId: string; versionId: string; members: readonly string[]; before: readonly string[]; addedBy: string; now: Date },
): Promise<void> {
  for (const userId of new Set(args.members)) {
    if (args.before.includes(userId) || userId === args.addedBy) continue;
    await scheduler.enqueue<WelcomePayload>(
      {
        kind: MEMBER_WELCOME_KIND,
        payload: { rotationId: args.rotationId, userId, addedBy: args.addedBy },
        runAt: args.now,
        dedupeKey: `rotation:${args.rotationId}:welcome:${userId}:${args.versionId}`,
        owner: rotationOwner(args.rotationId),
      },
      trx,
    );
  }
}

/** A member's first turn from `now` (the shift in progress included), within the next few weeks. */
function firstTurn(timeline: ShiftTimeline, userId: string, now: Date): Shift | undefined {
  let shift = timeline.shiftAt(now) ?? timeline.nextShift(now);
  for (let guard = 0; shift && guard < 200; guard++, shift = timeline.nextShift(shift.start)) {
    if (shift.memberId === userId) return shift;
  }
  return undefined;
}

export function memberWelcomeJob(deps: HandoffDeps): JobKind<WelcomePayload> {
  return {
    kind: MEMBER_WELCOME_KIND,
    payload: z.object({ rotationId: z.string().regex(/^\d+$/), userId: z.string().min(1), addedBy: z.string().min(1) }),
    // Told a day late it is still news; later, the reminder before their shift says it.
    staleAfterMs: DAY_MS,
    async run(payload, job) {
      const { services } = deps;
      const state = await loadRotationState(services.db, payload.rotationId);
      if (!state || state.rotation.deletedAt) return;
      const now = services.clock.now();
      const version = state.versions.at(-1)!;
      if (!version.members.includes(payload.userId)) return; // removed again meanwhile
      const zone = await services.people.zoneOf(state.rotation.workspaceId, payload.userId);
      const msg = memberWelcome({
        rotation: state.rotation.name,
        version,
        addedBy: payload.addedBy,
        first: firstTurn(state.timeline, payload.userId, now),
        now,
        zone,
      });
      await sendDirect(services, job.log, state.rotation.workspaceId, payload.userId, {
        key: job.job.dedupeKey ?? `rotation-welcome:${job.job.id}`,
        message: msg,
        problem: {
          key: `handoff:unreachable:${state.rotation.workspaceId}:${state.rotation.id}:${payload.userId}`,
          workspaceId: state.rotation.workspaceId,
          tellUserId: versionAt(state, now).supervisorId,
          text: unreachablePerson(state.rotation.name, payload.userId),
        },
      });
    },
  };
}
