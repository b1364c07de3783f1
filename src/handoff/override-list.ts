import { UserError } from '../core/errors';
import { actions, button, context, header, message, section, type Block, type Message } from '../core/message';
import { bold, time, user, type Span } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { findComingOverrides, findOverride, findSwapOverrides, withdrawOverrides } from '../storage/handoff/overrides-repository';
import { lockRotation } from '../storage/handoff/rotations-repository';
import type { HandoffDeps } from './deps';
import type { RotationOverride } from './model';
import { ACTIONS } from './messages/note';
import { dutyFromDb, loadRotationState } from './on-duty';
import { mayOverride } from './overrides';
import { refreshUndelivered } from './jobs/shift-changes';
import { resolveRotation } from './rotations';

/** Seeing the overrides and swaps still to come, and taking one back (as on-call schedules allow). */

const LISTED = 25;

function span(o: RotationOverride, zone: string): Span[] {
  return [user(o.userId), ' from ', time(o.startsAt, zone), ' to ', time(o.endsAt, zone)];
}

function overrideLine(o: RotationOverride, zone: string): Span[] {
  const origin: Span[] = o.source === 'swap' ? [' (a swap)'] : [' (set by ', user(o.createdBy), ')'];
  return [`#${o.id} `, ...span(o, zone), ...origin];
}

export function overridesList(args: { rotation: string; overrides: readonly RotationOverride[]; zone: string; now: Date }): Message {
  if (args.overrides.length === 0) {
    return message([section(['No overrides or swaps are coming up on ', bold(args.rotation), '. Put someone on with /handoff override.'])]);
  }
  const blocks: Block[] = [header(`Overrides: ${args.rotation}`)];
  for (const o of args.overrides) {
    const started = o.startsAt <= args.now;
    blocks.push(
      section(overrideLine(o, args.zone)),
      actions(button(started ? `End #${o.id} now` : `Cancel #${o.id}`, ACTIONS.cancelOverride, o.id, 'danger')),
    );
  }
  if (args.overrides.length === LISTED) blocks.push(context(`The first ${LISTED} are shown.`));
  blocks.push(
    context(
      "Cancelling one that has started ends it now; the rotation's own turns apply again. Cancelling one side of a swap cancels both.",
    ),
  );
  return message(blocks, `Overrides coming up on ${args.rotation}`);
}

export async function listOverrides(deps: HandoffDeps, ctx: HandlerContext, rotationName: string): Promise<void> {
  const { clock, db, people } = deps.services;
  const state = await resolveRotation(deps, ctx.actor, rotationName);
  const now = clock.now();
  const overrides = await findComingOverrides(db, state.rotation.id, now, LISTED);
  const zone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  await ctx.reply(overridesList({ rotation: state.rotation.name, overrides, zone, now }));
}

/** `/handoff override cancel 12` or the button on the list: a swap is taken back as a whole. */
export async function cancelOverride(deps: HandoffDeps, ctx: HandlerContext, idText: string): Promise<void> {
  const { clock, db, people, outbox } = deps.services;
  const id = idText.trim().replace(/^#/, '');
  const override = await findOverride(db, id);
  const state = override && (await loadRotationState(db, override.rotationId));
  if (!override || !state || state.rotation.workspaceId !== ctx.actor.workspaceId || state.rotation.deletedAt) {
    throw new UserError(`There is no override #${id || '?'} to cancel. /handoff overrides [rotation] lists them with their numbers.`);
  }
  const now = clock.now();
  const name = state.rotation.name;
  if (!(await mayOverride(deps, ctx, state, now)))
    throw new UserError(`Only members of ${name}, its supervisor or a workspace admin can cancel its overrides.`);
  const group = override.swapId ? await findSwapOverrides(db, override.swapId) : [override];
  const told = await Promise.all(
    group
      .filter((g) => g.userId !== ctx.actor.userId)
      .map(async (o) => {
        const theirZone = await people.zoneOf(ctx.actor.workspaceId, o.userId);
        const what = o.startsAt <= now ? ' ended your cover of ' : ' cancelled your cover of ';
        return {
          o,
          message: message([
            section([
              user(ctx.actor.userId),
              what,
              bold(name),
              ' from ',
              time(o.startsAt, theirZone),
              ' to ',
              time(o.endsAt, theirZone),
              ". The rotation's own turns apply again.",
            ]),
          ]),
        };
      }),
  );
  const withdrawn = await db.transaction().execute(async (trx) => {
    const rotation = await lockRotation(trx, state.rotation.id);
    if (!rotation || rotation.deletedAt) throw new UserError('That rotation has just been deleted.');
    const count = await withdrawOverrides(
      trx,
      group.map((o) => o.id),
      now,
    );
    if (count > 0) await refreshUndelivered(trx, state, now);
    if (count > 0) {
      for (const t of told)
        await outbox.enqueue(trx, {
          key: `override:${t.o.id}:withdrawn:${t.o.userId}`,
          to: { workspaceId: ctx.actor.workspaceId, userId: t.o.userId },
          message: t.message,
        });
    }
    return count;
  });
  if (withdrawn === 0) throw new UserError(`Override #${id} is already over or cancelled. Nothing was changed.`);
  ctx.log.info({ rotation: state.rotation.id, override: id }, 'override withdrawn');

  const zone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  const onNow = await dutyFromDb(db, state, now);
  const started = group.some((o) => o.startsAt <= now);
  const kind = group.length > 1 ? 'swap' : 'override';
  const reply: Span[] = [started ? `Ended the ${kind} now: ` : `Cancelled the ${kind}: `];
  group.forEach((o, i) => {
    reply.push(i ? '; ' : '', ...span(o, zone));
  });
  reply.push(' on ', bold(name), '.');
  if (onNow) reply.push(' On shift now: ', user(onNow.userId), '.');
  await ctx.reply(message([section(reply)]));
}
