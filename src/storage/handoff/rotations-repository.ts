import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { RotationsTable, RotationVersionsTable } from '../../../db/tables/handoff';
import { toJson } from '../../../db/tables/json';
import type { Rotation, RotationVersion } from '../../handoff/model';

function toRotation(row: Selectable<RotationsTable>): Rotation {
  return {
    id: String(row.id),
    workspaceId: row.workspace_id,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}

function toVersion(row: Selectable<RotationVersionsTable>): RotationVersion {
  return {
    id: String(row.id),
    rotationId: String(row.rotation_id),
    effectiveFrom: row.effective_from,
    zone: row.zone,
    pattern: row.pattern,
    days: row.days,
    members: row.members,
    firstMember: row.first_member,
    channel: row.channel,
    supervisorId: row.supervisor_id,
    reminderLeadMinutes: row.reminder_lead_minutes,
    confirmTimeoutMinutes: row.confirm_timeout_minutes,
    template: row.template,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function insertRotation(
  db: Executor,
  r: { workspaceId: string; name: string; createdBy: string; now: Date },
): Promise<Rotation> {
  const row = await db
    .insertInto('rotations')
    .values({ workspace_id: r.workspaceId, name: r.name, created_by: r.createdBy, created_at: r.now, updated_at: r.now, deleted_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRotation(row);
}

export async function findRotation(db: Executor, id: string): Promise<Rotation | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db.selectFrom('rotations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRotation(row) : undefined;
}

/** Locks the rotation's row: edits, deletes and planning of one rotation take turns. */
export async function lockRotation(db: Executor, id: string): Promise<Rotation | undefined> {
  const row = await db.selectFrom('rotations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toRotation(row) : undefined;
}

/** A live rotation by name, ignoring case. */
export async function findRotationByName(db: Executor, workspaceId: string, name: string): Promise<Rotation | undefined> {
  const row = await db
    .selectFrom('rotations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toRotation(row) : undefined;
}

export async function listRotations(db: Executor, workspaceId: string): Promise<Rotation[]> {
  const rows = await db
    .selectFrom('rotations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .orderBy(sql`lower(name)`)
    .execute();
  return rows.map(toRotation);
}

export async function renameRotation(db: Executor, id: string, name: string, now: Date): Promise<void> {
  await db.updateTable('rotations').set({ name, updated_at: now }).where('id', '=', id).execute();
}

export async function markRotationDeleted(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('rotations')
    .set({ deleted_at: now, updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertVersion(db: Executor, v: Omit<RotationVersion, 'id'>): Promise<RotationVersion> {
  const row = await db
    .insertInto('rotation_versions')
    .values({
      rotation_id: v.rotationId,
      effective_from: v.effectiveFrom,
      zone: v.zone,
      pattern: toJson(v.pattern),
      days: toJson(v.days),
      members: toJson(v.members),
      first_member: v.firstMember,
      channel: v.channel,
      supervisor_id: v.supervisorId,
      reminder_lead_minutes: v.reminderLeadMinutes,
      confirm_timeout_minutes: v.confirmTimeoutMinutes,
      template: toJson(v.template),
      created_by: v.createdBy,
      created_at: v.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toVersion(row);
}

/** A rotation's versions, oldest first. */
export async function findVersions(db: Executor, rotationId: string): Promise<RotationVersion[]> {
  const rows = await db
    .selectFrom('rotation_versions')
    .selectAll()
    .where('rotation_id', '=', rotationId)
    .orderBy('effective_from')
    .execute();
  return rows.map(toVersion);
}

/** Versions of several rotations at once, keyed by rotation id. */
export async function findVersionsOf(db: Executor, rotationIds: readonly string[]): Promise<Map<string, RotationVersion[]>> {
  const out = new Map<string, RotationVersion[]>(rotationIds.map((id) => [id, []]));
  if (rotationIds.length === 0) return out;
  const rows = await db
    .selectFrom('rotation_versions')
    .selectAll()
    .where('rotation_id', 'in', [...rotationIds])
    .orderBy('effective_from')
    .execute();
  for (const row of rows) out.get(String(row.rotation_id))?.push(toVersion(row));
  return out;
}

export async function findVersion(db: Executor, id: string): Promise<RotationVersion | undefined> {
  const row = await db.selectFrom('rotation_versions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

/**
 * Removes versions that have not taken effect yet at `from` or later (an edit replaces an edit
 * still waiting for the shift in progress to end). Handoffs never point at them: a handoff's
 * version is that of its outgoing shift, which has started or is planned under a version in force.
 */
export async function deleteVersionsFrom(db: Executor, rotationId: string, from: Date): Promise<number> {
  const used = db.selectFrom('handoffs').select('version_id').where('rotation_id', '=', rotationId);
  const result = await db
    .deleteFrom('rotation_versions')
    .where('rotation_id', '=', rotationId)
    .where('effective_from', '>=', from)
    .where('id', 'not in', used)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Live rotations a person belongs to in any version that is or will be in force, or supervises. */
export async function rotationIdsInvolving(db: Executor, workspaceId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('rotation_versions as v')
    .innerJoin('rotations as r', 'r.id', 'v.rotation_id')
    .select('r.id')
    .distinct()
    .where('r.workspace_id', '=', workspaceId)
    .where('r.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('v.supervisor_id', '=', userId), eb('r.created_by', '=', userId), sql<boolean>`v.members @> ${toJson([userId])}::jsonb`]),
    )
    .execute();
  return rows.map((r) => String(r.id));
}
