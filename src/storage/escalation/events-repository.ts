import type { Executor } from '../../../db/schema';
import { toJson } from '../../../db/tables/json';
import type { StoredEvent, TimelineEvent } from '../../escalation/model';

/** Adds an event to an escalation's timeline; returns its id (notifications refer to it). */
export async function appendEvent(
  trx: Executor,
  escalationId: string,
  event: TimelineEvent,
  actorId: string | null,
  at: Date,
): Promise<string> {
  const row = await trx
    .insertInto('escalation_events')
    .values({ escalation_id: escalationId, kind: event.kind, actor_id: actorId, at, data: toJson(event.data) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** A stored row as the timeline reads it (the dashboard's queries read many timelines at once with it). */
export function toEvent(row: {
  id: string;
  escalation_id: string;
  kind: string;
  actor_id: string | null;
  at: Date;
  data: Record<string, unknown>;
}): StoredEvent {
  return {
    id: String(row.id),
    escalationId: String(row.escalation_id),
    kind: row.kind,
    actorId: row.actor_id,
    at: row.at,
    data: row.data,
  } as StoredEvent;
}

/** The whole timeline, oldest first. */
export async function listEvents(db: Executor, escalationId: string): Promise<StoredEvent[]> {
  const rows = await db.selectFrom('escalation_events').selectAll().where('escalation_id', '=', escalationId).orderBy('id').execute();
  return rows.map(toEvent);
}

export async function findEvent(db: Executor, escalationId: string, eventId: string): Promise<StoredEvent | undefined> {
  if (!/^\d{1,18}$/.test(eventId)) return undefined;
  const row = await db
    .selectFrom('escalation_events')
    .selectAll()
    .where('escalation_id', '=', escalationId)
    .where('id', '=', eventId)
    .executeTakeFirst();
  return row ? toEvent(row) : undefined;
}

/** The latest event of one of these kinds (the card's "last update"). */
export async function latestEvent(db: Executor, escalationId: string, kinds: readonly string[]): Promise<StoredEvent | undefined> {
  const row = await db
    .selectFrom('escalation_events')
    .selectAll()
    .where('escalation_id', '=', escalationId)
    .where('kind', 'in', [...kinds])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toEvent(row) : undefined;
}
