import type { Executor } from '../../db/schema';
import type { EscalationStatus, Severity } from '../escalation/api';
import { ACTIVE_STATUSES, type Escalation, type StoredEvent } from '../escalation/model';
import { toEvent } from '../storage/escalation/events-repository';
import { toEscalation } from '../storage/escalation/escalations-repository';

/** What the escalations page and the exports ask for; the workspace comes from the session only. */
export interface EscalationQuery {
  readonly workspaceId: string;
  readonly status?: EscalationStatus | 'active';
  readonly severity?: Severity;
  readonly ownerId?: string;
  /** Raised at or after this instant. */
  readonly from?: Date;
  /** Raised before this instant. */
  readonly before?: Date;
}

/** The newest first, at most `limit`, and how many match in all. */
export async function findEscalationsFor(db: Executor, q: EscalationQuery, limit: number): Promise<{ items: Escalation[]; total: number }> {
  let query = db.selectFrom('escalations').selectAll().where('workspace_id', '=', q.workspaceId);
  if (q.status === 'active') query = query.where('status', 'in', ACTIVE_STATUSES);
  else if (q.status) query = query.where('status', '=', q.status);
  if (q.severity) query = query.where('severity', '=', q.severity);
  if (q.ownerId) query = query.where('owner_id', '=', q.ownerId);
  if (q.from) query = query.where('created_at', '>=', q.from);
  if (q.before) query = query.where('created_at', '<', q.before);
  const [rows, count] = await Promise.all([
    query.orderBy('created_at', 'desc').orderBy('number', 'desc').limit(limit).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toEscalation), total: Number(count.n) };
}

/** Everyone who owns an escalation of the workspace (the owner filter's choices). */
export async function ownersOf(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('escalations')
    .select('owner_id')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .orderBy('owner_id')
    .execute();
  return rows.map((r) => r.owner_id);
}

/** The timelines of several escalations at once, oldest event first, by escalation id. */
export async function timelinesOf(db: Executor, escalationIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>(escalationIds.map((id) => [id, []]));
  if (escalationIds.length === 0) return out;
  const rows = await db
    .selectFrom('escalation_events')
    .selectAll()
    .where('escalation_id', 'in', escalationIds as string[])
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const event = toEvent(row);
    out.get(event.escalationId)?.push(event);
  }
  return out;
}
