import type { Executor } from '../../db/schema';
import { UserError } from '../core/errors';
import type { FieldErrors } from '../core/form';
import type { Actor } from '../core/refs';
import { user } from '../core/rich-text';
import { recordChange } from '../audit/audit-log';
import { fromLocal, toLocal } from '../core/zoned-time';
import { deleteHandoff, findUndelivered, findUnconfirmed, updateHandoff } from '../storage/handoff/handoffs-repository';
import {
  deleteVersionsFrom,
  findRotationByName,
  insertRotation,
  insertVersion,
  listRotations,
  lockRotation,
  markRotationDeleted,
  renameRotation,
  rotationIdsInvolving,
} from '../storage/handoff/rotations-repository';
import { isUniqueViolation } from '../storage/unique-violation';
import type { HandoffDeps } from './deps';
import { cancelSteps, rotationOwner } from './jobs/keys';
import type { RotationDraft, RotationVersion } from './model';
import { loadRotationState, versionAt, versionById, type RotationState } from './on-duty';
import { putPlanRule } from './jobs/plan';
import { welcomeNewMembers } from './jobs/member-welcome';
import { enqueueIncomingSteps, planNextHandoff, refreshSides } from './jobs/shift-changes';
import { ShiftTimeline, type Shift } from './shift-timeline';
import { DAY_MS } from '../core/duration';

/**
 * Rotations: created from the form, edited with effect from the end of the shift in progress,
 * deleted with their pending reminders. Each change is one transaction with the jobs it implies.
 */

export class RotationProblem extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors).join(' '));
  }
}

/** The unique index that keeps rotation names apart per workspace (migration 0004). */
const NAME_INDEX = 'rotations_name';

function nameTaken(name: string): RotationProblem {
  return new RotationProblem({
    name: `There is already a rotation called "${name}". Pick another name, or change that one with /handoff rotation edit ${name}.`,
  });
}

/** Members and the supervisor must be people of the workspace. */
export async function checkPeople(
  deps: HandoffDeps,
  workspaceId: string,
  draft: Pick<RotationDraft, 'members' | 'supervisorId'>,
): Promise<void> {
  const errors: Record<string, string> = {};
  for (const id of draft.members) {
    if (!(await deps.services.people.get(workspaceId, id))) {
      errors.members ??= `I can't find @${id} in this workspace. Choose people who are members of it.`;
    }
  }
  if (!(await deps.services.people.get(workspaceId, draft.supervisorId)))
    errors.supervisor = `I can't find @${draft.supervisorId} in this workspace.`;
  if (Object.keys(errors).length) throw new RotationProblem(errors);
}

export async function createRotation(deps: HandoffDeps, actor: Actor, draft: RotationDraft): Promise<RotationState> {
  const { db, clock, scheduler } = deps.services;
  await checkPeople(deps, actor.workspaceId, draft);
  if (await findRotationByName(db, actor.workspaceId, draft.name)) throw nameTaken(draft.name);
  const now = clock.now();
  const effectiveFrom = firstShiftFrom(draft, now);
  try {
    return await db.transaction().execute(async (trx) => {
      const rotation = await insertRotation(trx, { workspaceId: actor.workspaceId, name: draft.name, createdBy: actor.userId, now });
      const version = await insertVersion(trx, {
        ...versionFields(draft),
        rotationId: rotation.id,
        effectiveFrom,
        firstMember: 0,
        createdBy: actor.userId,
        createdAt: now,
      });
      const state: RotationState = { rotation, versions: [version], timeline: new ShiftTimeline([version]) };
      await welcomeNewMembers(scheduler, trx, {
        rotationId: rotation.id,
        versionId: version.id,
        members: version.members,
        before: [],
        addedBy: actor.userId,
        now,
      });
      await putPlanRule(scheduler, trx, rotation.id);
      await planNextHandoff(scheduler, trx, state, now, now);
      await recordChange(trx, actor, now, {
        action: 'rotation.created',
        subject: draft.name,
        before: null,
        after: { name: draft.name, ...versionFields(draft) },
      });
      return state;
    });
  } catch (err) {
    if (isUniqueViolation(err, NAME_INDEX)) throw nameTaken(draft.name);
    throw err;
  }
}

/** Longer than any shift: one handover a week, an hour longer across a DST change. */
const LONGEST_SHIFT_MS = 8 * DAY_MS;

/**
 * Where a new rotation's turns start: on its first day, or, once that day has begun, with the shift
 * in progress, which its first member covers from the moment it is created: a rotation that says
 * "nobody" until its next boundary would leave the hours in between unpaged.
 */
function firstShiftFrom(draft: RotationDraft, now: Date): Date {
  const firstDay = draft.startDate || toLocal(now, draft.zone).date;
  const dayStart = fromLocal(firstDay, '00:00', draft.zone);
  if (dayStart > now) return dayStart;
  const earlier = new ShiftTimeline([
    { ...versionFields(draft), id: 'draft', effectiveFrom: new Date(now.getTime() - LONGEST_SHIFT_MS), firstMember: 0 },
  ]);
  return earlier.shiftAt(now)?.start ?? now;
}

function versionFields(
  draft: Omit<RotationVersion, 'id' | 'rotationId' | 'effectiveFrom' | 'firstMember' | 'createdBy' | 'createdAt'>,
): Omit<RotationVersion, 'id' | 'rotationId' | 'effectiveFrom' | 'firstMember' | 'createdBy' | 'createdAt'> {
  return {
    zone: draft.zone,
    pattern: draft.pattern,
    days: draft.days,
    members: draft.members,
    channel: draft.channel,
    supervisorId: draft.supervisorId,
    reminderLeadMinutes: draft.reminderLeadMinutes,
    confirmTimeoutMinutes: draft.confirmTimeoutMinutes,
    template: draft.template,
  };
}

export interface EditOutcome {
  /** When the new version takes over: the end of the shift in progress, or now. */
  readonly cutover: Date;
  readonly state: RotationState;
  readonly firstShift: Shift | undefined;
}

/**
 * Applies an edit to future shifts only: the new version takes effect when the shift in progress
 * ends (or now, between shifts), turns continue with the member after whoever had the last shift,
 * and the shift change at the cutover follows the new shifts. Handoffs planned for shifts that
 * have not begun are dropped (nothing was sent for them) and planned again.
 */
export async function editRotation(deps: HandoffDeps, actor: Actor, rotationId: string, draft: RotationDraft): Promise<EditOutcome> {
  const { db, clock, scheduler } = deps.services;
  await checkPeople(deps, actor.workspaceId, draft);
  const taken = await findRotationByName(db, actor.workspaceId, draft.name);
  if (taken && taken.id !== rotationId) throw nameTaken(draft.name);
  const now = clock.now();
  await assertMayChange(deps, actor, rotationId);
  try {
    return await db.transaction().execute(async (trx) => {
      const rotation = await lockRotation(trx, rotationId);
      if (!rotation || rotation.deletedAt) throw new UserError('That rotation has been deleted. See /handoff rotation list.');
      const before = (await loadRotationState(trx, rotationId))!;
      const current = before.timeline.shiftAt(now);
      const firstFrom = before.versions[0]!.effectiveFrom;
      const cutover = current ? current.end : firstFrom > now ? firstFrom : now;
      const last = before.timeline.previousShift(cutover)?.memberId;
      const firstMember = last && draft.members.includes(last) ? (draft.members.indexOf(last) + 1) % draft.members.length : 0;

      for (const h of await findUndelivered(trx, rotationId, now)) {
        if (h.outgoingStart > now && !h.noteWrittenAt) {
          await cancelSteps(scheduler, trx, h.id);
          await deleteHandoff(trx, h.id);
        }
      }
      await deleteVersionsFrom(trx, rotationId, cutover);
      const version = await insertVersion(trx, {
        ...versionFields(draft),
        rotationId,
        effectiveFrom: cutover,
        firstMember,
        createdBy: actor.userId,
        createdAt: now,
      });
      const members = before.versions.at(-1)?.members ?? [];
      await welcomeNewMembers(scheduler, trx, {
        rotationId,
        versionId: version.id,
        members: draft.members,
        before: members,
        addedBy: actor.userId,
        now,
      });
      if (draft.name !== rotation.name) await renameRotation(trx, rotationId, draft.name, now);
      const after = (await loadRotationState(trx, rotationId))!;
      await followNewShifts(deps, trx, after);
      await planNextHandoff(scheduler, trx, after, now, now);
      const was = before.versions.at(-1);
      await recordChange(trx, actor, now, {
        action: 'rotation.changed',
        subject: draft.name,
        before: was ? { name: rotation.name, ...versionFields(was) } : { name: rotation.name },
        after: { name: draft.name, ...versionFields(draft) },
      });
      return { cutover, state: after, firstShift: after.timeline.nextShift(new Date(cutover.getTime() - 1)) };
    });
  } catch (err) {
    if (isUniqueViolation(err, NAME_INDEX)) throw nameTaken(draft.name);
    throw err;
  }
}

/** The undelivered shift change whose outgoing shift is under way now leads to the new first shift. */
async function followNewShifts(deps: HandoffDeps, trx: Executor, state: RotationState): Promise<void> {
  const { scheduler, clock } = deps.services;
  for (const h of await findUndelivered(trx, state.rotation.id, clock.now())) {
    const incoming = state.timeline.nextShift(h.outgoingStart);
    if (incoming && incoming.start.getTime() === h.incomingStart.getTime() && incoming.end.getTime() === h.incomingEnd.getTime()) continue;
    await cancelSteps(scheduler, trx, h.id, ['start', 'noteMissing', 'post']);
    if (!incoming) {
      await updateHandoff(trx, h.id, { cancelled_at: clock.now() });
      continue;
    }
    await updateHandoff(trx, h.id, { incoming_start: incoming.start, incoming_end: incoming.end });
    const moved = await refreshSides(trx, state, { ...h, incomingStart: incoming.start, incomingEnd: incoming.end });
    await enqueueIncomingSteps(scheduler, trx, moved, versionById(state, h.versionId) ?? versionAt(state, h.outgoingStart));
  }
}

/** Deletes a rotation: no more shift changes; notes already delivered can still be confirmed. */
export async function deleteRotation(deps: HandoffDeps, actor: Actor, rotationId: string): Promise<string> {
  const { db, clock, scheduler } = deps.services;
  const now = clock.now();
  await assertMayChange(deps, actor, rotationId);
  return db.transaction().execute(async (trx) => {
    const rotation = await lockRotation(trx, rotationId);
    if (!rotation || rotation.deletedAt) throw new UserError('That rotation is already deleted.');
    await markRotationDeleted(trx, rotationId, now);
    await recordChange(trx, actor, now, {
      action: 'rotation.removed',
      subject: rotation.name,
      before: { name: rotation.name },
      after: null,
    });
    await scheduler.removeRules({ owner: rotationOwner(rotationId) }, trx);
    for (const h of await findUnconfirmed(trx, rotationId)) {
      if (h.postedAt) {
        await cancelSteps(scheduler, trx, h.id, ['confirmRemind', 'confirmMissing']);
      } else {
        await cancelSteps(scheduler, trx, h.id);
        await updateHandoff(trx, h.id, { cancelled_at: now });
      }
    }
    return rotation.name;
  });
}

/** Rotation edits and deletes: its creator, its supervisor, or a workspace admin. */
export async function mayEdit(deps: HandoffDeps, actor: Actor, state: RotationState): Promise<boolean> {
  if (actor.userId === state.rotation.createdBy) return true;
  if (state.versions.some((v) => v.supervisorId === actor.userId)) return true;
  return deps.services.admins.isAdmin(actor);
}

export async function assertMayEdit(deps: HandoffDeps, actor: Actor, state: RotationState): Promise<void> {
  if (!(await mayEdit(deps, actor, state))) {
    throw new UserError([
      "Only the rotation's creator (",
      user(state.rotation.createdBy),
      `), its supervisor or a workspace admin can change ${state.rotation.name}.`,
    ]);
  }
}

/**
 * The permission check for an edit or a deletion, made before its transaction: it reads the admins
 * and people through their own connection, which on PGlite (a single connection) would wait for
 * the transaction forever. A rotation that is gone is left to the transaction to refuse.
 */
async function assertMayChange(deps: HandoffDeps, actor: Actor, rotationId: string): Promise<void> {
  const state = await loadRotationState(deps.services.db, rotationId);
  if (state && !state.rotation.deletedAt) await assertMayEdit(deps, actor, state);
}

/**
 * The rotation a command names, or the one the person is in when they name none. The error lists
 * the rotations to choose from.
 */
export async function resolveRotation(deps: HandoffDeps, actor: Actor, name: string): Promise<RotationState> {
  const { db } = deps.services;
  const wanted = name.trim().replace(/^"|"$/g, '');
  if (wanted) {
    const rotation = await findRotationByName(db, actor.workspaceId, wanted);
    if (!rotation) throw new UserError(`There is no rotation called "${wanted}". ${await rotationChoices(deps, actor.workspaceId)}`);
    return (await loadRotationState(db, rotation.id))!;
  }
  const mine = await rotationIdsInvolving(db, actor.workspaceId, actor.userId);
  const all = await listRotations(db, actor.workspaceId);
  const only = mine.length === 1 ? mine[0] : all.length === 1 ? all[0]!.id : undefined;
  if (!only) {
    if (all.length === 0) throw new UserError('There are no rotations yet. Create one with /handoff rotation create.');
    throw new UserError(`Which rotation? Name it after the command. ${await rotationChoices(deps, actor.workspaceId)}`);
  }
  return (await loadRotationState(db, only))!;
}

async function rotationChoices(deps: HandoffDeps, workspaceId: string): Promise<string> {
  const all = await listRotations(deps.services.db, workspaceId);
  if (all.length === 0) return 'There are no rotations yet: create one with /handoff rotation create.';
  return `Rotations: ${all.map((r) => r.name).join(', ')}.`;
}
