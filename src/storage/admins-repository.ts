import type { Executor } from '../../db/schema';

export async function listAdmins(db: Executor, workspaceId: string): Promise<{ userId: string; addedBy: string; addedAt: Date }[]> {
  const rows = await db.selectFrom('workspace_admins').selectAll().where('workspace_id', '=', workspaceId).orderBy('added_at').execute();
  return rows.map((r) => ({ userId: r.user_id, addedBy: r.added_by, addedAt: r.added_at }));
}

/** False when the person already was an admin. */
export async function addAdmin(db: Executor, workspaceId: string, userId: string, addedBy: string, now: Date): Promise<boolean> {
  const row = await db
    .insertInto('workspace_admins')
    .values({ workspace_id: workspaceId, user_id: userId, added_by: addedBy, added_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** False when the person was not an admin. */
export async function removeAdmin(db: Executor, workspaceId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('workspace_admins')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
