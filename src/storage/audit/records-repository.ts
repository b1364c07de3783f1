import type { Executor } from '../../../db/schema';
import { toJson } from '../../../db/tables/json';

export interface AuditRow {
  readonly workspaceId: string;
  readonly actorId: string;
  readonly action: string;
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly at: Date;
}

export async function insertAuditRecord(db: Executor, row: AuditRow): Promise<void> {
  await db
    .insertInto('audit_records')
    .values({
      workspace_id: row.workspaceId,
      actor_id: row.actorId,
      action: row.action,
      subject: row.subject,
      before: row.before === undefined || row.before === null ? null : toJson(row.before),
      after: row.after === undefined || row.after === null ? null : toJson(row.after),
      at: row.at,
    })
    .execute();
}

/** A workspace's records in [from, before), newest first, at most `limit`, and how many there are in all. */
export async function auditRecordsBetween(
  db: Executor,
  workspaceId: string,
  from: Date,
  before: Date,
  limit: number,
): Promise<{ rows: (AuditRow & { id: string })[]; total: number }> {
  const where = db.selectFrom('audit_records').where('workspace_id', '=', workspaceId).where('at', '>=', from).where('at', '<', before);
  const [rows, count] = await Promise.all([
    where.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute(),
    where.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({
      id: String(r.id),
      workspaceId: r.workspace_id,
      actorId: r.actor_id,
      action: r.action,
      subject: r.subject,
      before: r.before,
      after: r.after,
      at: r.at,
    })),
    total: Number(count.n),
  };
}
