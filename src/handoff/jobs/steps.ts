import type { Logger } from 'pino';
import { z } from 'zod';
import { MINUTE_MS } from '../../core/duration';
import { UserError, errorMessage } from '../../core/errors';
import type { JobContext, JobKind } from '../../scheduler/job';
import { findHandoff, saveTransfers, updateHandoff } from '../../storage/handoff/handoffs-repository';
import { lockRotation } from '../../storage/handoff/rotations-repository';
import type { Executor } from '../../../db/schema';
import type { Message } from '../../core/message';
import { postInChannel, sendDirect, unreachablePerson, updateQuietly, type Problem } from '../sending';
import type { HandoffDeps } from '../deps';
import { cancelSteps, enqueueStep, STEP_KINDS, type Step, type StepPayload } from './keys';
import { isLive, type Handoff, type RotationVersion, type TransferOutcome } from '../model';
import {
  confirmMissingAlarm,
  confirmReminder,
  confirmedToOutgoing,
  noNoteYet,
  noteCard,
  noteChase,
  noteMissingAlarm,
  noteReminder,
} from '../messages/note';
import { loadRotationState, versionById, type RotationState } from '../on-duty';
import { planNextHandoff, refreshSides } from './shift-changes';

/**
 * The steps of a shift change, as jobs. Each may run more than once (a retry, a takeover after a
 * crash), so each reads the handoff first and does nothing if its message already went out, then
 * records that it did: a message is sent at least once and, short of a crash between sending and
 * recording, exactly once.
 */
interface StepContext {
  readonly deps: HandoffDeps;
  readonly h: Handoff;
  readonly state: RotationState;
  readonly version: RotationVersion;
  readonly log: Logger;
  readonly now: Date;
  readonly step: Step;
}

type StepRun = (c: StepContext) => Promise<void>;

export function handoffStepJobs(deps: HandoffDeps): JobKind<StepPayload>[] {
  const runs: Record<Step, StepRun> = {
    remind: remindToWrite,
    chase: chaseMissingNote,
    start: shiftStarts,
    noteMissing: tellSupervisorNoNote,
    post: deliverNote,
    confirmRemind: remindToConfirm,
    confirmMissing: tellSupervisorUnconfirmed,
    confirmed: afterConfirmation,
  };
  return (Object.keys(runs) as Step[]).map((step) => ({
    kind: STEP_KINDS[step],
    payload: z.object({ handoffId: z.string().regex(/^\d+$/) }),
    async run(payload: StepPayload, job: JobContext) {
      const c = await load(deps, payload.handoffId, job, step);
      if (!c) return;
      await runs[step](c);
    },
  }));
}

async function load(deps: HandoffDeps, handoffId: string, job: JobContext, step: Step): Promise<StepContext | undefined> {
  const h = await findHandoff(deps.services.db, handoffId);
  if (!h || h.cancelledAt) return undefined;
  const state = await loadRotationState(deps.services.db, h.rotationId);
  const version = state && versionById(state, h.versionId);
  if (!state || !version) return undefined;
  const log = job.log.child({ workspace: h.workspaceId, rotation: h.rotationId, handoff: h.id });
  return { deps, h, state, version, log, now: job.now, step };
}

/** Why there is no handoff at this shift change, if there is none. */
function noHandoffReason(h: Handoff): string | undefined {
  if (!h.outgoingId) return 'nobody was on the outgoing shift';
  if (!h.incomingId) return 'nobody is on the incoming shift';
  if (h.outgoingId === h.incomingId) return 'the same person stays on';
  return undefined;
}

function problemFor(c: StepContext, userId: string): Problem {
  return {
    key: `handoff:unreachable:${c.h.workspaceId}:${c.state.rotation.id}:${userId}`,
    workspaceId: c.h.workspaceId,
    tellUserId: c.version.supervisorId,
    text: unreachablePerson(c.state.rotation.name, userId),
  };
}

type ToldColumn =
  | 'reminded_at'
  | 'chased_at'
  | 'no_note_told_at'
  | 'supervisor_note_at'
  | 'confirm_reminded_at'
  | 'supervisor_confirm_at'
  | 'outgoing_told_at';

/**
 * This step's direct message to a person, once (its key names the handoff, the step and the
 * person). `told` is the column that records it, set with the send, or after a send that could
 * not be delivered (reported to the supervisor): either way the step is done.
 */
async function dm(
  c: StepContext,
  userId: string,
  build: (zone: string) => Message,
  told?: ToldColumn,
  record?: (trx: Executor, ref: string) => Promise<void>,
): Promise<string | undefined> {
  const { services } = c.deps;
  const zone = await services.people.zoneOf(c.h.workspaceId, userId);
  const mark = (db: Executor) => (told ? updateHandoff(db, c.h.id, { [told]: c.now }, told) : Promise.resolve(false));
  const ref = await sendDirect(services, c.log, c.h.workspaceId, userId, {
    key: `handoff:${c.h.id}:${c.step}:${userId}`,
    message: build(zone),
    problem: problemFor(c, userId),
    record: async (trx, sent) => {
      await mark(trx);
      await record?.(trx, sent);
    },
  });
  if (!ref) await mark(services.db);
  return ref;
}

/** At the reminder lead before the outgoing shift ends: ask for the note. */
const remindToWrite: StepRun = async (c) => {
  if (!isLive(c.h) || c.h.noteWrittenAt || c.h.remindedAt) return;
  // Past the end of the shift the chase says it instead.
  if (c.now.getTime() >= c.h.outgoingEnd.getTime()) return;
  const h = await refreshSides(c.deps.services.db, c.state, c.h);
  if (noHandoffReason(h)) return;
  const open = await c.deps.apis.escalations.openOwnedBy(h.workspaceId, h.outgoingId!).catch((err: unknown) => {
    c.log.warn({ err: errorMessage(err) }, 'could not count open escalations for the reminder');
    return [];
  });
  const overdue = open.filter((e) => e.dueAt <= c.now).length;
  await dm(
    c,
    h.outgoingId!,
    (zone) => noteReminder({ rotation: c.state.rotation.name, h, zone, openEscalations: open.length, overdue }),
    'reminded_at',
  );
  c.log.info('handoff note reminder sent');
};

/** At the end of the outgoing shift, no note: chase the outgoing person. */
const chaseMissingNote: StepRun = async (c) => {
  if (!isLive(c.h) || c.h.noteWrittenAt || c.h.chasedAt) return;
  const h = await refreshSides(c.deps.services.db, c.state, c.h);
  if (noHandoffReason(h)) return;
  await dm(c, h.outgoingId!, (zone) => noteChase({ rotation: c.state.rotation.name, h, zone }), 'chased_at');
  c.log.info('missing handoff note chased');
};

/**
 * The incoming shift starts: plan the next shift change, settle who hands to whom, and if there is
 * no note yet tell the incoming person one is coming. (A note already written is posted by its own
 * step, due at the same moment.)
 */
const shiftStarts: StepRun = async (c) => {
  const { db, scheduler } = c.deps.services;
  await db.transaction().execute(async (trx) => {
    const rotation = await lockRotation(trx, c.state.rotation.id);
    if (!rotation || rotation.deletedAt) return;
    const fresh = await loadRotationState(trx, rotation.id);
    if (fresh) await planNextHandoff(scheduler, trx, fresh, c.h.incomingStart, c.now);
  });
  if (!isLive(c.h) || c.h.postedAt) return;
  const h = await refreshSides(db, c.state, c.h);
  const reason = noHandoffReason(h);
  if (reason) {
    await updateHandoff(db, h.id, { skipped_at: c.now, skip_reason: reason }, 'skipped_at');
    await cancelSteps(scheduler, db, h.id, ['noteMissing', 'post']);
    c.log.info({ reason }, 'no handoff at this shift change');
    return;
  }
  if (h.noteWrittenAt || h.noNoteToldAt || c.now.getTime() >= h.incomingEnd.getTime()) return;
  await dm(c, h.incomingId!, (zone) => noNoteYet({ rotation: c.state.rotation.name, h, zone }), 'no_note_told_at');
};

/** The confirmation timeout after the shift started and still no note: tell the supervisor. */
const tellSupervisorNoNote: StepRun = async (c) => {
  const { h } = c;
  if (!isLive(h) || h.noteWrittenAt || h.postedAt || h.supervisorNoteAt || noHandoffReason(h)) return;
  await dm(c, c.version.supervisorId, (zone) => noteMissingAlarm({ rotation: c.state.rotation.name, h, zone }), 'supervisor_note_at');
  c.log.info('supervisor told: no handoff note');
};

/**
 * The note goes to the handoff channel and to the incoming person (with Confirm and Ask), at the
 * shift change or, for a late note, as soon as it is written. Each of the two sends is recorded
 * on its own, so a retry after one failed does not repeat the other.
 */
const deliverNote: StepRun = async (c) => {
  const { db, scheduler } = c.deps.services;
  if (!isLive(c.h) || !c.h.noteWrittenAt || !c.h.note || c.h.postedAt) return;
  // An edit moved the shift change later: the post step enqueued for the new time delivers it.
  if (c.now.getTime() < c.h.incomingStart.getTime()) return;
  const h = await refreshSides(db, c.state, c.h);
  const rotation = c.state.rotation.name;
  if (!h.channelMessageRef && !h.channelError) {
    const card = noteCard({ rotation, h, note: h.note!, zone: c.version.zone, buttons: false, now: c.now });
    const posted = await postInChannel(c.deps.services, c.log, h.workspaceId, c.version.channel, {
      key: `handoff:${h.id}:post:channel`,
      message: card,
      problem: {
        key: `handoff:channel:${c.state.rotation.id}:${c.version.channel}`,
        workspaceId: h.workspaceId,
        tellUserId: c.version.supervisorId,
        text: [
          `I could not post the ${rotation} handoff notes in the handoff channel. Invite me to it, or choose another with /handoff rotation edit ${rotation}.`,
        ],
      },
      record: (trx, ref) => updateHandoff(trx, h.id, { channel_message_ref: ref }).then(() => undefined),
    });
    if (!posted.ref) await updateHandoff(db, h.id, { channel_error: posted.error ?? 'failed' });
  }
  if (!h.incomingMessageRef && h.incomingId) {
    await dm(
      c,
      h.incomingId,
      (zone) => noteCard({ rotation, h, note: h.note!, zone, buttons: true, now: c.now }),
      undefined,
      (trx, ref) => updateHandoff(trx, h.id, { incoming_message_ref: ref }).then(() => undefined),
    );
  }
  const timeoutMs = c.version.confirmTimeoutMinutes * MINUTE_MS;
  const base = Math.max(h.incomingStart.getTime(), c.now.getTime());
  await db.transaction().execute(async (trx) => {
    if (!(await updateHandoff(trx, h.id, { posted_at: c.now }, 'posted_at'))) return;
    await enqueueStep(scheduler, trx, h.id, 'confirmRemind', new Date(base + timeoutMs));
    await enqueueStep(scheduler, trx, h.id, 'confirmMissing', new Date(base + 2 * timeoutMs));
  });
  c.log.info({ late: h.noteWrittenAt! > h.outgoingEnd }, 'handoff note delivered');
};

/** The confirmation timeout after the note reached them: remind the incoming person. */
const remindToConfirm: StepRun = async (c) => {
  const { h } = c;
  if (!isLive(h) || !h.postedAt || h.confirmedAt || h.confirmRemindedAt || !h.incomingId) return;
  await dm(c, h.incomingId, (zone) => confirmReminder({ rotation: c.state.rotation.name, h, zone }), 'confirm_reminded_at');
};

/** Another timeout later, still unconfirmed: tell the supervisor. */
const tellSupervisorUnconfirmed: StepRun = async (c) => {
  const { h } = c;
  if (!isLive(h) || !h.postedAt || h.confirmedAt || h.supervisorConfirmAt) return;
  await dm(c, c.version.supervisorId, (zone) => confirmMissingAlarm({ rotation: c.state.rotation.name, h, zone }), 'supervisor_confirm_at');
  c.log.info('supervisor told: handoff not confirmed');
};

/**
 * After the incoming person confirmed: hand over the escalations kept in the note that the
 * outgoing person still owns, one by one and each recorded; tell the outgoing person; show the
 * confirmation on both copies of the note.
 */
const afterConfirmation: StepRun = async (c) => {
  let h = c.h;
  if (!h.confirmedAt || !h.note) return;
  const rotation = c.state.rotation.name;
  if (h.note.transfer && h.note.escalations.length && h.outgoingId && h.incomingId && h.outgoingId !== h.incomingId) {
    h = { ...h, transfers: await transferEscalations(c, h) };
  }
  if (!h.outgoingToldAt && h.outgoingId && h.outgoingId !== h.confirmedBy) {
    await dm(c, h.outgoingId, (zone) => confirmedToOutgoing({ rotation, h, zone }), 'outgoing_told_at');
  }
  const { services } = c.deps;
  await updateQuietly(
    services,
    c.log,
    h.workspaceId,
    h.channelMessageRef,
    noteCard({ rotation, h, note: h.note!, zone: c.version.zone, buttons: false, now: c.now }),
  );
  if (h.incomingId) {
    const zone = await services.people.zoneOf(h.workspaceId, h.incomingId);
    await updateQuietly(
      services,
      c.log,
      h.workspaceId,
      h.incomingMessageRef,
      noteCard({ rotation, h, note: h.note!, zone, buttons: false, now: c.now }),
    );
  }
};

async function transferEscalations(c: StepContext, h: Handoff): Promise<TransferOutcome[]> {
  const { escalations } = c.deps.apis;
  const outcomes = [...(h.transfers ?? [])];
  const done = new Set(outcomes.map((t) => t.escalationId));
  const stillTheirs = new Set((await escalations.openOwnedBy(h.workspaceId, h.outgoingId!)).map((e) => e.id));
  for (const e of h.note!.escalations) {
    if (done.has(e.id)) continue;
    if (!stillTheirs.has(e.id)) {
      outcomes.push({ escalationId: e.id, reference: e.reference, ok: false, error: 'resolved or reassigned meanwhile' });
    } else {
      try {
        await escalations.transfer({
          workspaceId: h.workspaceId,
          escalationId: e.id,
          toUserId: h.incomingId!,
          actorId: h.confirmedBy ?? h.incomingId!,
          reason: `Shift handoff in ${c.state.rotation.name}: handed over with the note and confirmed`,
        });
        outcomes.push({ escalationId: e.id, reference: e.reference, ok: true });
      } catch (err) {
        // A refusal (it was resolved a moment ago) is an answer; anything else is worth a retry.
        if (!(err instanceof UserError)) throw err;
        outcomes.push({ escalationId: e.id, reference: e.reference, ok: false, error: err.userMessage });
      }
    }
    await saveTransfers(c.deps.services.db, h.id, outcomes);
    c.log.info({ escalation: e.id, ok: outcomes[outcomes.length - 1]!.ok }, 'escalation handed over');
  }
  return outcomes;
}
