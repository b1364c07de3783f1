import type { Executor } from '../../../db/schema';
import { MINUTE_MS } from '../../core/duration';
import type { Scheduler } from '../../scheduler/scheduler';
import { findUndelivered, insertHandoff, updateHandoff } from '../../storage/handoff/handoffs-repository';
import { enqueueStep } from './keys';
import type { Handoff, RotationVersion } from '../model';
import { sidesOf, versionById, type RotationState } from '../on-duty';
import type { Shift } from '../shift-timeline';

/**
 * Planning: each shift change becomes a handoff row with its steps as jobs. The chain plans one
 * shift change ahead (the start of one plans the next); an hourly rule per rotation re-plans the
 * next one in case a step failed for good, so the chain cannot stay broken.
 */

/** Enqueues the steps fixed by the shift times: note reminder, chase, shift start, missing-note alarm. */
export async function enqueueShiftSteps(scheduler: Scheduler, db: Executor, h: Handoff, version: RotationVersion): Promise<void> {
  const remindAt = Math.max(h.outgoingStart.getTime(), h.outgoingEnd.getTime() - version.reminderLeadMinutes * MINUTE_MS);
  await enqueueStep(scheduler, db, h.id, 'remind', new Date(remindAt));
  await enqueueStep(scheduler, db, h.id, 'chase', h.outgoingEnd);
  await enqueueIncomingSteps(scheduler, db, h, version);
}

/** The steps that hang on the incoming shift's start (moved when an edit moves that shift). */
export async function enqueueIncomingSteps(scheduler: Scheduler, db: Executor, h: Handoff, version: RotationVersion): Promise<void> {
  await enqueueStep(scheduler, db, h.id, 'start', h.incomingStart);
  await enqueueStep(scheduler, db, h.id, 'noteMissing', new Date(h.incomingStart.getTime() + version.confirmTimeoutMinutes * MINUTE_MS));
  if (h.noteWrittenAt) await enqueueStep(scheduler, db, h.id, 'post', h.incomingStart);
}

/**
 * Plans the first shift change after `after` that has someone going off shift (a rotation's very
 * first shift has no handoff). Shift changes whose incoming shift is already over by `now` are
 * passed over: after an outage the bot moves on rather than chasing notes nobody needs.
 * Idempotent: a shift change already planned is left as it is and returned.
 */
export async function planNextHandoff(
  scheduler: Scheduler,
  db: Executor,
  state: RotationState,
  after: Date,
  now: Date,
): Promise<Handoff | undefined> {
  if (state.rotation.deletedAt) return undefined;
  let incoming = state.timeline.nextShift(after);
  for (let guard = 0; incoming && guard < 500; guard++, incoming = state.timeline.nextShift(incoming.start)) {
    if (incoming.end.getTime() <= now.getTime()) continue;
    const outgoing = state.timeline.previousShift(incoming.start);
    if (!outgoing) continue;
    return planShiftChange(scheduler, db, state, outgoing, incoming, now);
  }
  return undefined;
}

async function planShiftChange(
  scheduler: Scheduler,
  db: Executor,
  state: RotationState,
  outgoing: Shift,
  incoming: Shift,
  now: Date,
): Promise<Handoff | undefined> {
  const version = versionById(state, outgoing.versionId);
  if (!version) throw new Error(`rotation ${state.rotation.id} has no version ${outgoing.versionId}`);
  const sides = await sidesOf(db, state, outgoing, incoming);
  const planned = await insertHandoff(
    db,
    {
      rotationId: state.rotation.id,
      workspaceId: state.rotation.workspaceId,
      versionId: version.id,
      outgoingStart: outgoing.start,
      outgoingEnd: outgoing.end,
      incomingStart: incoming.start,
      incomingEnd: incoming.end,
      ...sides,
    },
    now,
  );
  if (!planned)
    return (await findUndelivered(db, state.rotation.id, now)).find((h) => h.incomingStart.getTime() === incoming.start.getTime());
  await enqueueShiftSteps(scheduler, db, planned, version);
  return planned;
}

/**
 * Who is on either side can change after planning (an override, an accepted swap): before the
 * note is written the outgoing side follows, before it is delivered the incoming side does.
 */
export async function refreshSides(db: Executor, state: RotationState, h: Handoff): Promise<Handoff> {
  if (h.postedAt) return h;
  const sides = await sidesOf(db, state, { end: h.outgoingEnd }, { start: h.incomingStart });
  const outgoingId = h.noteWrittenAt ? h.outgoingId : sides.outgoingId;
  const incomingId = sides.incomingId;
  if (outgoingId === h.outgoingId && incomingId === h.incomingId) return h;
  await updateHandoff(db, h.id, { outgoing_id: outgoingId, incoming_id: incomingId });
  return { ...h, outgoingId, incomingId };
}

/** Brings every handoff not yet delivered up to date with overrides and swaps. */
export async function refreshUndelivered(db: Executor, state: RotationState, now: Date): Promise<void> {
  for (const h of await findUndelivered(db, state.rotation.id, now)) await refreshSides(db, state, h);
}
