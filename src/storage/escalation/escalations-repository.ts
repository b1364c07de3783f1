import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { EscalationsTable } from '../../../db/tables/escalation';
import { toJson } from '../../../db/tables/json';
import type { EscalationSource } from '../../escalation/api';
import { ACTIVE_STATUSES, type Escalation, type PolicySnapshot } from '../../escalation/model';
import { formatReference } from '../../escalation/reference';

type Row = Selectable<EscalationsTable>;

export function toEscalation(row: Row): Escalation {
  return {
    id: String(row.id),
    workspaceId: row.workspace_id,
    number: row.number,
    reference: formatReference(row.number),
    title: row.title,
    impact: row.impact,
    options: row.options,
    recommendation: row.recommendation,
    severity: row.severity,
    status: row.status,
    ownerId: row.owner_id,
    raiserId: row.raiser_id,
    createdBy: row.created_by,
    conversation: row.conversation,
    cardRef: row.card_ref,
    cardVersion: row.card_version,
    cardFailed: row.card_failed,
    dueAt: row.due_at,
    dueSetAt: row.due_set_at,
    dueVersion: row.due_version,
    remindedVersion: row.reminded_version,
    overdueAt: row.overdue_at,
    chaseCount: row.chase_count,
    policy: row.policy,
    policyRun: row.policy_run,
    policyStep: row.policy_step,
    notifiedUserIds: row.notified_user_ids ?? [],
    channelNotified: row.channel_notified,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    firstAcknowledgedAt: row.first_acknowledged_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
    cancelledAt: row.cancelled_at,
    cancelledBy: row.cancelled_by,
    cancelReason: row.cancel_reason,
    source: row.source as EscalationSource | null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The next reference number of a workspace. Numbers only go up: a cancelled escalation keeps its. */
export async function nextEscalationNumber(trx: Executor, workspaceId: string): Promise<number> {
  const row = await trx
    .insertInto('escalation_counters')
    .values({ workspace_id: workspaceId, last_number: 1 })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ last_number: sql`escalation_counters.last_number + 1` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export interface NewEscalation {
  readonly workspaceId: string;
  readonly number: number;
  readonly title: string;
  readonly impact: string;
  readonly options: string | null;
  readonly recommendation: string | null;
  readonly severity: Escalation['severity'];
  readonly ownerId: string;
  readonly raiserId: string;
  readonly createdBy: string;
  readonly conversation: string;
  readonly dueAt: Date;
  readonly policy: PolicySnapshot | null;
  readonly source: EscalationSource | null;
  readonly now: Date;
}

export async function insertEscalation(trx: Executor, e: NewEscalation): Promise<Escalation> {
  const values: Insertable<EscalationsTable> = {
    workspace_id: e.workspaceId,
    number: e.number,
    title: e.title,
    impact: e.impact,
    options: e.options,
    recommendation: e.recommendation,
    severity: e.severity,
    status: 'open',
    owner_id: e.ownerId,
    raiser_id: e.raiserId,
    created_by: e.createdBy,
    conversation: e.conversation,
    card_ref: null,
    card_version: 1,
    card_failed: false,
    due_at: e.dueAt,
    due_set_at: e.now,
    due_version: 1,
    reminded_version: null,
    overdue_at: null,
    chase_count: 0,
    policy: e.policy ? toJson(e.policy) : null,
    policy_run: 1,
    policy_step: -1,
    notified_user_ids: toJson([]),
    channel_notified: false,
    acknowledged_at: null,
    acknowledged_by: null,
    first_acknowledged_at: null,
    resolved_at: null,
    resolved_by: null,
    resolution: null,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    source: e.source ? toJson(e.source) : null,
    created_at: e.now,
    updated_at: e.now,
  };
  const row = await trx.insertInto('escalations').values(values).returningAll().executeTakeFirstOrThrow();
  return toEscalation(row);
}

export async function findEscalation(db: Executor, workspaceId: string, id: string): Promise<Escalation | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db
    .selectFrom('escalations')
    .selectAll()
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row ? toEscalation(row) : undefined;
}

/** Several by id, whatever their status; ids that are not stored escalations of the workspace are left out. */
export async function findEscalations(db: Executor, workspaceId: string, ids: readonly string[]): Promise<Escalation[]> {
  const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (valid.length === 0) return [];
  const rows = await db.selectFrom('escalations').selectAll().where('id', 'in', valid).where('workspace_id', '=', workspaceId).execute();
  return rows.map(toEscalation);
}

/** The escalation already raised from this source (a stand-up blocker), whatever its status. */
export async function findEscalationFromSource(
  db: Executor,
  workspaceId: string,
  source: { readonly kind: string; readonly id: string },
): Promise<Escalation | undefined> {
  const row = await db
    .selectFrom('escalations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where(sql<string>`source->>'kind'`, '=', source.kind)
    .where(sql<string>`source->>'id'`, '=', source.id)
    .orderBy('number')
    .executeTakeFirst();
  return row ? toEscalation(row) : undefined;
}

/** By internal id alone: for jobs, whose payload already names a stored escalation. */
export async function findEscalationById(db: Executor, id: string): Promise<Escalation | undefined> {
  const row = await db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEscalation(row) : undefined;
}

export async function findEscalationByNumber(db: Executor, workspaceId: string, number: number): Promise<Escalation | undefined> {
  const row = await db
    .selectFrom('escalations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row ? toEscalation(row) : undefined;
}

/** Locks the row for the rest of the transaction: changes to one escalation happen one at a time. */
export async function lockEscalation(trx: Executor, id: string): Promise<Escalation | undefined> {
  const row = await trx.selectFrom('escalations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toEscalation(row) : undefined;
}

/** What a change may set; `cardVersion` is always bumped by one. */
export interface EscalationPatch {
  readonly status?: Escalation['status'];
  readonly ownerId?: string;
  readonly dueAt?: Date;
  readonly dueSetAt?: Date;
  readonly dueVersion?: number;
  readonly remindedVersion?: number | null;
  readonly overdueAt?: Date | null;
  readonly chaseCount?: number;
  readonly policyRun?: number;
  readonly policyStep?: number;
  readonly notifiedUserIds?: readonly string[];
  readonly channelNotified?: boolean;
  readonly acknowledgedAt?: Date | null;
  readonly acknowledgedBy?: string | null;
  readonly firstAcknowledgedAt?: Date | null;
  readonly resolvedAt?: Date | null;
  readonly resolvedBy?: string | null;
  readonly resolution?: string | null;
  readonly cancelledAt?: Date | null;
  readonly cancelledBy?: string | null;
  readonly cancelReason?: string | null;
}

const COLUMNS: Record<keyof EscalationPatch, keyof EscalationsTable> = {
  status: 'status',
  ownerId: 'owner_id',
  dueAt: 'due_at',
  dueSetAt: 'due_set_at',
  dueVersion: 'due_version',
  remindedVersion: 'reminded_version',
  overdueAt: 'overdue_at',
  chaseCount: 'chase_count',
  policyRun: 'policy_run',
  policyStep: 'policy_step',
  notifiedUserIds: 'notified_user_ids',
  channelNotified: 'channel_notified',
  acknowledgedAt: 'acknowledged_at',
  acknowledgedBy: 'acknowledged_by',
  firstAcknowledgedAt: 'first_acknowledged_at',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  resolution: 'resolution',
  cancelledAt: 'cancelled_at',
  cancelledBy: 'cancelled_by',
  cancelReason: 'cancel_reason',
};

/**
 * Applies a change and returns the escalation as it now is. A change the card shows bumps the card
 * version (the caller enqueues the card job); bookkeeping (`visible: false`) does not.
 */
export async function updateEscalation(trx: Executor, id: string, patch: EscalationPatch, now: Date, visible = true): Promise<Escalation> {
  const set: Record<string, unknown> = { updated_at: now };
  if (visible) set.card_version = sql`card_version + 1`;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = COLUMNS[key as keyof EscalationPatch];
    set[column] = key === 'notifiedUserIds' ? toJson(value) : value;
  }
  const row = await trx
    .updateTable('escalations')
    .set(set as Updateable<EscalationsTable>)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toEscalation(row);
}

/** Records where the card was posted, unless another attempt already did. Returns the current row. */
export async function setCardRef(db: Executor, id: string, ref: string): Promise<Escalation | undefined> {
  await db.updateTable('escalations').set({ card_ref: ref }).where('id', '=', id).where('card_ref', 'is', null).execute();
  return findEscalationById(db, id);
}

export async function markCardFailed(db: Executor, id: string): Promise<void> {
  await db.updateTable('escalations').set({ card_failed: true }).where('id', '=', id).execute();
}

export type ListFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'mine'; readonly userId: string }
  | { readonly kind: 'overdue'; readonly now: Date }
  | { readonly kind: 'owned'; readonly userId: string };

/** Open (not resolved or cancelled) escalations, soonest due first. */
export async function listActiveEscalations(db: Executor, workspaceId: string, filter: ListFilter, limit = 200): Promise<Escalation[]> {
  const rows = await activeEscalations(db, workspaceId, filter).selectAll().orderBy('due_at').orderBy('number').limit(limit).execute();
  return rows.map(toEscalation);
}

/** The first `limit` open escalations, soonest due first, and how many there are in all, in one query. */
export async function pageOfActiveEscalations(
  db: Executor,
  workspaceId: string,
  filter: ListFilter,
  limit: number,
): Promise<{ items: Escalation[]; total: number }> {
  const rows = await activeEscalations(db, workspaceId, filter)
    .selectAll()
    // Counted before the limit applies: a window over every row the filter keeps.
    .select(sql<string>`count(*) over ()`.as('total'))
    .orderBy('due_at')
    .orderBy('number')
    .limit(limit)
    .execute();
  return { items: rows.map(({ total: _total, ...row }) => toEscalation(row)), total: Number(rows[0]?.total ?? 0) };
}

/** The open escalations a filter keeps (the one place the filter is written). */
function activeEscalations(db: Executor, workspaceId: string, filter: ListFilter) {
  let query = db.selectFrom('escalations').where('workspace_id', '=', workspaceId).where('status', 'in', ACTIVE_STATUSES);
  if (filter.kind === 'mine') query = query.where((eb) => eb.or([eb('owner_id', '=', filter.userId), eb('raiser_id', '=', filter.userId)]));
  if (filter.kind === 'owned') query = query.where('owner_id', '=', filter.userId);
  if (filter.kind === 'overdue') query = query.where('due_at', '<', filter.now);
  return query;
}

/**
 * Open escalations (not yet acknowledged) whose policy has paged this person in its current run,
 * soonest due first. `notified_user_ids` holds everyone a level of the run paged, directly or as
 * the person on shift; a reopen starts a new run with it empty. Bounded by the `escalations_open`
 * index: a workspace's active escalations.
 */
export async function listAwaitingAcknowledgement(db: Executor, workspaceId: string, userId: string, limit = 200): Promise<Escalation[]> {
  const rows = await db
    .selectFrom('escalations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'open')
    .where(sql<boolean>`notified_user_ids @> ${toJson([userId])}::jsonb`)
    .orderBy('due_at')
    .orderBy('number')
    .limit(limit)
    .execute();
  return rows.map(toEscalation);
}

/** The figures stats need of one escalation. */
export interface EscalationFacts {
  readonly number: number;
  readonly title: string;
  readonly severity: Escalation['severity'];
  readonly status: Escalation['status'];
  readonly createdAt: Date;
  readonly dueAt: Date;
  readonly firstAcknowledgedAt: Date | null;
  readonly resolvedAt: Date | null;
}

/**
 * Escalations that matter to stats over [since, now]: raised, acknowledged or resolved in it, still
 * open, or raised within `lookbackMs` before it (for repeat titles).
 */
export async function escalationFacts(db: Executor, workspaceId: string, since: Date, lookbackMs: number): Promise<EscalationFacts[]> {
  const earliest = new Date(since.getTime() - lookbackMs);
  const rows = await db
    .selectFrom('escalations')
    .select(['number', 'title', 'severity', 'status', 'created_at', 'due_at', 'first_acknowledged_at', 'resolved_at'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('created_at', '>=', earliest),
        eb('resolved_at', '>=', since),
        eb('first_acknowledged_at', '>=', since),
        eb('status', 'in', ACTIVE_STATUSES),
      ]),
    )
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    number: r.number,
    title: r.title,
    severity: r.severity,
    status: r.status,
    createdAt: r.created_at,
    dueAt: r.due_at,
    firstAcknowledgedAt: r.first_acknowledged_at,
    resolvedAt: r.resolved_at,
  }));
}
