import { PlatformError, UserError } from '../core/errors';
import { FORM_DONE, invalid, type FormOutcome, type FormValues } from '../core/form';
import type { HandlerContext } from '../core/workflow';
import type { HandoffDeps } from './deps';
import { rotationAnnouncement, rotationCreated, rotationEdited } from './rotation-messages';
import { readRotationForm } from './rotation-form';
import { createRotation, deleteRotation, editRotation, RotationProblem } from './rotation-service';

/** The rotation form's submission (create, or edit when `state` names the rotation) and the delete button. */
export async function submitRotation(deps: HandoffDeps, ctx: HandlerContext, values: FormValues, state: string | undefined): Promise<FormOutcome> {
  const read = readRotationForm(values);
  if (!read.ok) return invalid(read.errors);
  const { people, clock, platforms } = deps.services;
  const zone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  try {
    if (state) {
      const edited = await editRotation(deps, ctx.actor, state, read.value);
      ctx.log.info({ rotation: state }, 'rotation edited');
      await ctx.reply(rotationEdited({ name: read.value.name, cutover: edited.cutover, first: edited.firstShift, zone, now: clock.now(), rotationZone: read.value.zone }));
      return FORM_DONE;
    }
    const created = await createRotation(deps, ctx.actor, read.value);
    ctx.log.info({ rotation: created.rotation.id }, 'rotation created');
    const version = created.versions[0]!;
    await ctx.reply(rotationCreated({ rotation: created.rotation, version, first: created.timeline.nextShift(new Date(version.effectiveFrom.getTime() - 1)), zone }));
    try {
      await platforms.for(version.channel).post(version.channel, rotationAnnouncement({ rotation: created.rotation, version }));
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      ctx.log.warn({ code: err.code }, 'could not announce the rotation in its channel');
      await ctx.reply("Note: I couldn't post in the handoff channel. Invite me to it before the first handoff, or choose another channel with /handoff rotation edit.");
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
