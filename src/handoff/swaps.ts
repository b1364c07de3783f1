import type { Logger } from 'pino';
import { z } from 'zod';
import { UserError } from '../core/errors';
import { user } from '../core/rich-text';
import { addDays, fromLocal } from '../core/zoned-time';
import type { HandlerContext } from '../core/workflow';
import { decideSwap, findOverrides, findSwap, insertOverride, insertSwap } from '../storage/handoff/overrides-repository';
import { lockRotation } from '../storage/handoff/rotations-repository';
import { parseSwap } from './commands/parse';
import { updateQuietly } from './sending';
import type { HandoffDeps } from './deps';
import { SWAP_LAPSE_KIND, rotationOwner } from './jobs/keys';
import type { JobKind } from '../scheduler/job';
import type { SwapRequest, SwapShift } from './model';
import { dutyAt, loadRotationState, versionAt, type RotationState } from './on-duty';
import { refreshUndelivered } from './jobs/shift-changes';
import { swapAsked, swapDecided, swapDoneReply, swapLapsed, swapRequest } from './messages/rotation';
import { resolveRotation } from './rotations';

/**
 * Swaps: a member offers their shifts on a day for another member's shifts on a day (the same one
 * unless named); the other accepts or declines. Accepted, it becomes a pair of overrides, so who
 * is on changes and the rotation does not.
 */

/** The shifts that belong to a local date and fall to a person (after overrides), none started yet. */
async function shiftsOf(
  deps: HandoffDeps,
  state: RotationState,
  userId: string,
  date: string,
  zone: string,
): Promise<{ shifts: SwapShift[]; started: boolean }> {
  const dayStart = fromLocal(date, '00:00', zone);
  const dayEnd = fromLocal(addDays(date, 1), '00:00', zone);
  const shifts = state.timeline.shiftsStartingIn(dayStart, dayEnd);
  const overrides = shifts.length
    ? await findOverrides(deps.services.db, state.rotation.id, shifts[0]!.start, shifts[shifts.length - 1]!.end)
    : [];
  const theirs = shifts.filter((s) => dutyAt(state.timeline, overrides, s.start)?.userId === userId);
  const now = deps.services.clock.now();
  return {
    shifts: theirs.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })),
    started: theirs.some((s) => s.start <= now),
  };
}

export async function requestSwap(deps: HandoffDeps, ctx: HandlerContext, text: string): Promise<void> {
  const parsed = parseSwap(text);
  if (!parsed.ok) throw new UserError(parsed.error);
  const { db, clock, people } = deps.services;
  const state = await resolveRotation(deps, ctx.actor, parsed.value.rotation);
  const name = state.rotation.name;
  const other = parsed.value.userId;
  const now = clock.now();
  const zone = versionAt(state, now).zone;
  if (other === ctx.actor.userId) throw new UserError('Swap with someone else: name the person who would take your shift.');
  const mine = await shiftsOf(deps, state, ctx.actor.userId, parsed.value.myDate, zone);
  if (mine.shifts.length === 0)
    throw new UserError(`You have no ${name} shift on ${parsed.value.myDate} (dates are in ${zone}). /handoff who shows who is on.`);
  if (mine.started) throw new UserError(`Your ${name} shift on ${parsed.value.myDate} has already started: swaps are for shifts to come.`);
  const members = versionAt(state, new Date(mine.shifts[0]!.start)).members;
  if (!members.includes(other)) {
    throw new UserError([
      user(other),
      ` is not a member of ${name}: swaps are between members. To have someone else cover your shift, use /handoff override.`,
    ]);
  }
  const theirDate = parsed.value.theirDate ?? parsed.value.myDate;
  const theirs = await shiftsOf(deps, state, other, theirDate, zone);
  if (theirs.shifts.length === 0) {
    throw new UserError([
      user(other),
      ` has no ${name} shift on ${theirDate} to swap with yours. Name the day of theirs you would take: /handoff swap ${name} `,
      user(other),
      ` ${parsed.value.myDate} <their date>.`,
    ]);
  }
  if (theirs.started) throw new UserError(`Their ${name} shift on ${theirDate} has already started: swaps are for shifts to come.`);
  const otherZone = await people.zoneOf(ctx.actor.workspaceId, other);
  const swap = await db.transaction().execute(async (trx) => {
    const made = await insertSwap(trx, {
      rotationId: state.rotation.id,
      workspaceId: ctx.actor.workspaceId,
      requesterId: ctx.actor.userId,
      otherId: other,
      requesterShifts: mine.shifts,
      otherShifts: theirs.shifts,
      now,
    });
    await deps.services.scheduler.enqueue(
      {
        kind: SWAP_LAPSE_KIND,
        payload: { swapId: made.id },
        runAt: firstStart(made),
        dedupeKey: `swap:${made.id}:lapse`,
        owner: rotationOwner(state.rotation.id),
      },
      trx,
    );
    await deps.services.outbox.enqueue(trx, {
      key: `swap:${made.id}:request`,
      to: { workspaceId: ctx.actor.workspaceId, userId: other },
      message: swapRequest({ rotation: name, swap: made, zone: otherZone }),
      recordAs: { name: SWAP_REQUEST_RECORDER, id: made.id },
    });
    return made;
  });
  const actorZone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  await ctx.reply(swapAsked({ rotation: name, swap, zone: actorZone }));
}

export async function answerSwap(deps: HandoffDeps, ctx: HandlerContext, swapId: string, accept: boolean): Promise<void> {
  const { db, clock, people } = deps.services;
  const swap = await findSwap(db, swapId);
  if (!swap) throw new UserError('That swap request no longer exists.');
  if (swap.otherId !== ctx.actor.userId) throw new UserError('This swap request is for someone else.');
  if (swap.status === 'lapsed') throw new UserError('This swap lapsed: a shift in it started before it was answered.');
  if (swap.status !== 'pending') throw new UserError(`You already ${swap.status} this swap.`);
  const state = await loadRotationState(db, swap.rotationId);
  if (!state || state.rotation.deletedAt) throw new UserError('That rotation has been deleted.');
  const now = clock.now();
  const all = [...swap.requesterShifts, ...swap.otherShifts];
  if (accept && all.some((s) => new Date(s.start) <= now)) {
    await lapseSwap(deps, swap.id, ctx.log);
    throw new UserError('Too late to accept: one of the shifts has already started. The swap is off.');
  }
  const decided = await db.transaction().execute(async (trx) => {
    const rotation = await lockRotation(trx, swap.rotationId);
    if (!rotation || rotation.deletedAt) throw new UserError('That rotation has been deleted.');
    const result = await decideSwap(trx, swap.id, accept ? 'accepted' : 'declined', now);
    if (!result || !accept) return result;
    // Each takes the other's shifts: the requester's go to the other person, and the other's to the requester.
    const handedOver = [
      ...swap.requesterShifts.map((s) => ({ shift: s, userId: swap.otherId })),
      ...swap.otherShifts.map((s) => ({ shift: s, userId: swap.requesterId })),
    ];
    for (const { shift, userId } of handedOver) {
      await insertOverride(trx, {
        rotationId: swap.rotationId,
        userId,
        startsAt: new Date(shift.start),
        endsAt: new Date(shift.end),
        source: 'swap',
        swapId: swap.id,
        createdBy: ctx.actor.userId,
        now,
      });
    }
    await refreshUndelivered(trx, state, now);
    return result;
  });
  if (!decided) throw new UserError('This swap was already answered.');
  ctx.log.info({ swap: swap.id, accepted: accept }, 'swap answered');
  const name = state.rotation.name;
  const otherZone = await people.zoneOf(swap.workspaceId, swap.otherId);
  await updateQuietly(
    deps.services,
    ctx.log,
    swap.workspaceId,
    swap.requestMessageRef,
    swapRequest({ rotation: name, swap, zone: otherZone, decided: accept ? 'accepted' : 'declined' }),
  );
  const requesterZone = await people.zoneOf(swap.workspaceId, swap.requesterId);
  const told = await deps.services.outbox.post({
    key: `swap:${swap.id}:decided`,
    to: { workspaceId: swap.workspaceId, userId: swap.requesterId },
    message: swapDecided({ rotation: name, swap, zone: requesterZone, accepted: accept }),
  });
  if (!told.ok) ctx.log.warn({ swap: swap.id, code: told.code }, 'could not tell the asker how their swap was answered');
  await ctx.reply(accept ? swapDoneReply({ rotation: name, swap, zone: otherZone }) : 'Declined. Your shifts stay as they were.');
}

function firstStart(swap: SwapRequest): Date {
  return new Date(Math.min(...[...swap.requesterShifts, ...swap.otherShifts].map((s) => new Date(s.start).getTime())));
}

/** Keeps the swap request's message, so its buttons can be taken away once it is answered or lapses. */
export const SWAP_REQUEST_RECORDER = 'handoff.swap-request';

/** A request still unanswered when its first shift starts: it lapses, its buttons go, the asker is told. */
async function lapseSwap(deps: HandoffDeps, swapId: string, log: Logger): Promise<void> {
  const { db, clock, people } = deps.services;
  const swap = await decideSwap(db, swapId, 'lapsed', clock.now());
  if (!swap) return; // answered meanwhile
  const state = await loadRotationState(db, swap.rotationId);
  if (!state || state.rotation.deletedAt) return;
  const name = state.rotation.name;
  log.info({ swap: swap.id, rotation: swap.rotationId }, 'swap request lapsed unanswered');
  const otherZone = await people.zoneOf(swap.workspaceId, swap.otherId);
  await updateQuietly(
    deps.services,
    log,
    swap.workspaceId,
    swap.requestMessageRef,
    swapRequest({ rotation: name, swap, zone: otherZone, decided: 'lapsed' }),
  );
  const told = await deps.services.outbox.post({
    key: `swap:${swap.id}:lapsed`,
    to: { workspaceId: swap.workspaceId, userId: swap.requesterId },
    message: swapLapsed({ rotation: name, swap }),
  });
  if (!told.ok) log.warn({ swap: swap.id, code: told.code }, 'could not tell the asker their swap lapsed');
}

export function swapLapseJob(deps: HandoffDeps): JobKind<{ swapId: string }> {
  return {
    kind: SWAP_LAPSE_KIND,
    payload: z.object({ swapId: z.string().regex(/^\d+$/) }),
    run: (payload, job) => lapseSwap(deps, payload.swapId, job.log),
  };
}
