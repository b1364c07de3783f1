import type { Logger } from 'pino';
import { UserError, errorMessage } from '../core/errors';
import type { EscalationSummary } from '../escalation/api';
import type { ReportedBlocker } from '../standup/api';
import { FORM_DONE, invalid, type FormOutcome, type FormValues } from '../core/form';
import type { Actor } from '../core/refs';
import { bold, channel, time, user } from '../core/rich-text';
import { fromLocal, toLocal } from '../core/zoned-time';
import type { HandlerContext } from '../core/workflow';
import { findHandoff, findWaitingFor, lockHandoff, markConfirmed, saveNote } from '../storage/handoff/handoffs-repository';
import type { HandoffDeps } from './deps';
import { cancelSteps, enqueueStep } from './jobs/keys';
import type { Handoff, RotationVersion } from './model';
import { isLive } from './model';
import { confirmedReply } from './messages/note';
import { noteForm, readNote } from './forms/note';
import { loadRotationState, versionById, type RotationState } from './on-duty';
import { refreshSides } from './jobs/shift-changes';

/**
 * Writing and confirming a handoff note: the outgoing person writes (pre-filled with their open
 * work), the incoming person confirms, and each side is told. Questions: questions.ts.
 */

export interface Loaded {
  readonly h: Handoff;
  readonly state: RotationState;
  readonly version: RotationVersion;
}

export async function loadHandoff(deps: HandoffDeps, handoffId: string): Promise<Loaded> {
  const found = await findHandoff(deps.services.db, handoffId);
  const state = found && (await loadRotationState(deps.services.db, found.rotationId));
  const version = found && state && versionById(state, found.versionId);
  if (!found || !state || !version || found.cancelledAt)
    throw new UserError('That handoff no longer exists: its rotation was changed or deleted. See /handoff who.');
  const h = await refreshSides(deps.services.db, state, found);
  return { h, state, version };
}

/**
 * The open work the note starts from: the writer's open escalations and the day's blockers of the
 * rotation's members. If another workflow cannot answer, the note goes without that part (and the
 * log says so) rather than not at all.
 */
async function openWork(deps: HandoffDeps, loaded: Loaded, writerId: string, log: Logger) {
  const { h, version } = loaded;
  const since = fromLocal(toLocal(h.outgoingStart, version.zone).date, '00:00', version.zone);
  const orNothing =
    <T>(what: string) =>
    (err: unknown): T[] => {
      log.warn({ err: errorMessage(err) }, `could not read ${what} for the handoff note`);
      return [];
    };
  const [escalations, blockers] = await Promise.all([
    deps.apis.escalations.openOwnedBy(h.workspaceId, writerId).catch(orNothing<EscalationSummary>('open escalations')),
    deps.apis.standups.unresolvedBlockers(h.workspaceId, version.members, since).catch(orNothing<ReportedBlocker>('stand-up blockers')),
  ]);
  return { escalations: escalations.slice(0, 50), blockers: blockers.slice(0, 50) };
}

function assertWriter(loaded: Loaded, actor: Actor, now: Date): void {
  const { h, state } = loaded;
  if (now >= h.incomingEnd) throw new UserError(`That ${state.rotation.name} shift change is over: the shift it handed to has ended.`);
  if (h.outgoingId !== actor.userId)
    throw new UserError(`This ${state.rotation.name} handoff is written by whoever is going off shift, not by you.`);
  if (!isLive(h))
    throw new UserError(`There is no handoff at this ${state.rotation.name} shift change (${h.skipReason ?? 'nothing to hand over'}).`);
  if (h.postedAt)
    throw new UserError(
      `Your ${state.rotation.name} note was delivered already and can't be changed now. Add anything new by messaging the next shift directly.`,
    );
}

export async function openNoteForm(deps: HandoffDeps, ctx: HandlerContext, handoffId: string): Promise<void> {
  const loaded = await loadHandoff(deps, handoffId);
  assertWriter(loaded, ctx.actor, deps.services.clock.now());
  const { h, state, version } = loaded;
  const { escalations, blockers } = await openWork(deps, loaded, ctx.actor.userId, ctx.log);
  const names = new Map(
    [
      ...(
        await deps.services.people.known(
          h.workspaceId,
          blockers.map((b) => b.userId),
        )
      ).values(),
    ].map((p) => [p.userId, p.displayName]),
  );
  const zone = await deps.services.people.zoneOf(h.workspaceId, ctx.actor.userId);
  await ctx.openForm(
    noteForm({
      h,
      rotation: state.rotation.name,
      template: version.template,
      escalations,
      blockers,
      zone,
      names,
      previous: h.note,
      now: deps.services.clock.now(),
    }),
  );
}

/** `/handoff note`: the note the person should write now, if any. */
export async function openCurrentNote(deps: HandoffDeps, ctx: HandlerContext): Promise<void> {
  const now = deps.services.clock.now();
  const waiting = (await findWaitingFor(deps.services.db, ctx.actor.workspaceId, ctx.actor.userId, now)).filter(
    (h) => h.outgoingId === ctx.actor.userId && !h.postedAt,
  );
  if (waiting.length === 0) {
    throw new UserError(
      "You have no handoff note to write now: you get one when you're on shift and it is about to end. /handoff who shows who is on.",
    );
  }
  await openNoteForm(deps, ctx, waiting[0]!.id);
}

export async function submitNote(deps: HandoffDeps, ctx: HandlerContext, handoffId: string, values: FormValues): Promise<FormOutcome> {
  const { db, clock, scheduler, people } = deps.services;
  const loaded = await loadHandoff(deps, handoffId);
  assertWriter(loaded, ctx.actor, clock.now());
  const { escalations, blockers } = await openWork(deps, loaded, ctx.actor.userId, ctx.log);
  const read = readNote(values, { template: loaded.version.template, escalations, blockers });
  if (!read.ok) return invalid(read.errors);
  const now = clock.now();
  const h = await db.transaction().execute(async (trx) => {
    const locked = await lockHandoff(trx, handoffId);
    // Once delivery has begun (one copy may be out), the note is what was sent.
    const delivering = locked && (locked.postedAt || locked.channelMessageRef || locked.channelError || locked.incomingMessageRef);
    if (!locked || delivering) throw new UserError('Your note was delivered already and can no longer be changed.');
    await saveNote(trx, handoffId, read.value, ctx.actor.userId, now);
    const at = now > locked.incomingStart ? now : locked.incomingStart;
    await enqueueStep(scheduler, trx, handoffId, 'post', at);
    return locked;
  });
  const zone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  const incoming = h.incomingId ? user(h.incomingId) : 'the next shift';
  if (now >= h.incomingStart) {
    await ctx.reply([
      'Thanks: your ',
      bold(loaded.state.rotation.name),
      ' handoff note is on its way to ',
      incoming,
      ' and ',
      channel(loaded.version.channel),
      ' now.',
    ]);
  } else {
    await ctx.reply([
      'Saved. Your ',
      bold(loaded.state.rotation.name),
      ' handoff note goes to ',
      incoming,
      ' and ',
      channel(loaded.version.channel),
      ' at ',
      time(h.incomingStart, zone, 'time'),
      '. You can change it until then with /handoff note.',
    ]);
  }
  ctx.log.info({ handoff: handoffId, late: now > h.outgoingEnd }, 'handoff note saved');
  return FORM_DONE;
}

export async function confirmHandoff(deps: HandoffDeps, ctx: HandlerContext, handoffId: string): Promise<void> {
  const { db, clock, scheduler, people } = deps.services;
  const found = await findHandoff(db, handoffId);
  if (!found || found.cancelledAt) throw new UserError('That handoff no longer exists.');
  const state = (await loadRotationState(db, found.rotationId))!;
  const zone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  if (found.incomingId !== ctx.actor.userId) {
    throw new UserError([
      'This handoff is for ',
      found.incomingId ? user(found.incomingId) : 'the incoming person',
      ': only they can confirm it.',
    ]);
  }
  if (found.confirmedAt) {
    await ctx.reply(['You confirmed this handoff at ', time(found.confirmedAt, zone, 'time'), '.']);
    return;
  }
  if (!found.postedAt) throw new UserError('The note has not reached you yet: you can confirm it once it arrives.');
  const now = clock.now();
  const confirmed = await db.transaction().execute(async (trx) => {
    if (!(await markConfirmed(trx, handoffId, ctx.actor.userId, now))) return false;
    await cancelSteps(scheduler, trx, handoffId, ['confirmRemind', 'confirmMissing']);
    await enqueueStep(scheduler, trx, handoffId, 'confirmed', now);
    return true;
  });
  if (!confirmed) {
    await ctx.reply('This handoff is already confirmed.');
    return;
  }
  const note = found.note;
  const transferring = note?.transfer ? note.escalations.map((e) => e.reference) : [];
  await ctx.reply(confirmedReply({ rotation: state.rotation.name, h: { ...found, confirmedAt: now }, zone, transferring }));
  ctx.log.info({ handoff: handoffId }, 'handoff confirmed');
}
