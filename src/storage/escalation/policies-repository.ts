import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { EscalationPoliciesTable } from '../../../db/tables/escalation';
import { toJson } from '../../../db/tables/json';
import type { Policy, PolicyLevel } from '../../escalation/model';

function toPolicy(row: Selectable<EscalationPoliciesTable>): Policy {
  return {
    id: String(row.id),
    workspaceId: row.workspace_id,
    name: row.name,
    levels: row.levels,
    repeat: row.repeat,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

export async function listPolicies(db: Executor, workspaceId: string): Promise<Policy[]> {
  const rows = await db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy(sql`lower(name)`)
    .execute();
  return rows.map(toPolicy);
}

export async function findPolicy(db: Executor, workspaceId: string, id: string): Promise<Policy | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toPolicy(row) : undefined;
}

/** Names are unique per workspace regardless of case. */
export async function findPolicyByName(db: Executor, workspaceId: string, name: string): Promise<Policy | undefined> {
  const row = await db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(sql`lower(name)`, '=', name.trim().toLowerCase())
    .executeTakeFirst();
  return row ? toPolicy(row) : undefined;
}

export async function insertPolicy(
  db: Executor,
  p: { workspaceId: string; name: string; levels: readonly PolicyLevel[]; repeat: number; by: string; now: Date },
): Promise<Policy> {
  const row = await db
    .insertInto('escalation_policies')
    .values({
      workspace_id: p.workspaceId,
      name: p.name,
      levels: toJson(p.levels),
      repeat: p.repeat,
      created_by: p.by,
      updated_by: p.by,
      created_at: p.now,
      updated_at: p.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPolicy(row);
}

export async function updatePolicy(
  db: Executor,
  p: { workspaceId: string; id: string; name: string; levels: readonly PolicyLevel[]; repeat: number; by: string; now: Date },
): Promise<Policy | undefined> {
  const row = await db
    .updateTable('escalation_policies')
    .set({ name: p.name, levels: toJson(p.levels), repeat: p.repeat, updated_by: p.by, updated_at: p.now })
    .where('workspace_id', '=', p.workspaceId)
    .where('id', '=', p.id)
    .returningAll()
    .executeTakeFirst();
  return row ? toPolicy(row) : undefined;
}

export async function deletePolicy(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('escalation_policies').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
