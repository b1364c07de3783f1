import { PlatformError, UserError } from '../core/errors';
import { recordIdState } from '../core/form-state';
import { RetryLater } from '../scheduler/job';
import { FORM_DONE, invalid, type FormOutcome, type FormValues } from '../core/form';
import type { HandlerContext } from '../core/workflow';
import type { HandoffDeps } from './deps';
import { rotationAnnouncement, rotationCreated, rotationEdited } from './messages/rotation';
import { readRotationForm } from './forms/rotation';
import { createRotation, deleteRotation, editRotation, RotationProblem } from './rotations';

/** The rotation form's submission (create, or edit when `state` names the rotation) and the delete button. */
export async function submitRotation(
  deps: HandoffDeps,
  ctx: HandlerContext,
  values: FormValues,
  state: string | undefined,
): Promise<FormOutcome> {
  const read = readRotationForm(values);
  if (!read.ok) return invalid(read.errors);
  const { people, clock, outbox } = deps.services;
  const zone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  try {
    if (state) {
      const edited = await editRotation(deps, ctx.actor, recordIdState(state), read.value);
      ctx.log.info({ rotation: state }, 'rotation edited');
      await ctx.reply(
        rotationEdited({
          name: read.value.name,
          cutover: edited.cutover,
          first: edited.firstShift,
          zone,
          now: clock.now(),
          rotationZone: read.value.zone,
        }),
      );
      return FORM_DONE;
    }
    const created = await createRotation(deps, ctx.actor, read.value);
    ctx.log.info({ rotation: created.rotation.id }, 'rotation created');
    const version = created.versions[0]!;
    await ctx.reply(
      rotationCreated({
        rotation: created.rotation,
        version,
        first: created.timeline.nextShift(new Date(version.effectiveFrom.getTime() - 1)),
        zone,
        now: clock.now(),
      }),
    );
    const announced = await outbox
      .post({
        key: `rotation:${created.rotation.id}:announcement`,
        to: { workspaceId: ctx.actor.workspaceId, conversation: version.channel },
        message: rotationAnnouncement({ rotation: created.rotation, version }),
      })
      .catch((err: unknown) => {
        if (!(err instanceof PlatformError || err instanceof RetryLater)) throw err;
        return { ok: false as const, code: err instanceof PlatformError ? err.code : 'RATE_LIMITED', reason: err.message };
      });
    if (!announced.ok) {
      ctx.log.warn({ code: announced.code }, 'could not announce the rotation in its channel');
      await ctx.reply(
        "Note: I couldn't post in the handoff channel. Invite me to it before the first handoff, or choose another channel with /handoff rotation edit.",
      );
    }
    return FORM_DONE;
  } catch (err) {
    if (err instanceof RotationProblem) return invalid(err.errors);
    throw err;
  }
}

export async function confirmDeleteRotation(deps: HandoffDeps, ctx: HandlerContext, rotationId: string): Promise<void> {
  if (!/^\d+$/.test(rotationId)) throw new UserError('That button no longer does anything.');
  const name = await deleteRotation(deps, ctx.actor, rotationId);
  ctx.log.info({ rotation: rotationId }, 'rotation deleted');
  await ctx.reply(`Deleted the ${name} rotation. Its coming reminders are cancelled.`);
}
