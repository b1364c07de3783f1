import type { Selectable } from 'kysely';
import type { Executor } from '../../db/schema';
import type { DirectMessageArgsJson, EscalationDirectMessagesTable } from '../../db/tables/escalation';
import { toJson } from '../../db/tables/json';
import type { FollowedMessage, Paged, StoredDirectMessage } from '../escalation/model';

type Row = Selectable<EscalationDirectMessagesTable>;

function argsOf(m: FollowedMessage): DirectMessageArgsJson {
  switch (m.kind) {
    case 'notice':
      return { notice: m.notice, ...(m.paged ? { paged: m.paged } : {}) };
    case 'reminder':
      return { phase: m.phase, dueAt: m.dueAt.toISOString(), ...(m.paged ? { paged: m.paged } : {}), ...(m.n ? { n: m.n } : {}) };
    case 'page':
      return { level: m.level, levels: m.levels, why: m.why };
  }
}

function messageOf(row: Row): FollowedMessage {
  const args = row.args as Record<string, unknown>;
  switch (row.kind) {
    case 'notice':
      return {
        kind: 'notice',
        notice: args.notice as never,
        eventId: String(row.event_id),
        ...(args.paged ? { paged: args.paged as Paged } : {}),
      };
    case 'reminder':
      return {
        kind: 'reminder',
        phase: args.phase as never,
        dueAt: new Date(args.dueAt as string),
        ...(args.paged ? { paged: args.paged as Paged } : {}),
        ...(typeof args.n === 'number' ? { n: args.n } : {}),
      };
    case 'page':
      return { kind: 'page', level: args.level as number, levels: args.levels as number, why: args.why as never };
  }
}

function toStored(row: Row): StoredDirectMessage {
  return {
    id: String(row.id),
    escalationId: String(row.escalation_id),
    userId: row.user_id,
    ref: row.message_ref,
    message: messageOf(row),
    renderedAt: row.rendered_at,
    cardVersion: row.card_version,
    digest: row.digest,
  };
}

/** Keeps a sent direct message to follow; the id of its row (a repeated send of one ref keeps the first). */
export async function rememberDirectMessage(trx: Executor, dm: Omit<StoredDirectMessage, 'id'>): Promise<string | undefined> {
  const row = await trx
    .insertInto('escalation_direct_messages')
    .values({
      escalation_id: dm.escalationId,
      user_id: dm.userId,
      message_ref: dm.ref,
      kind: dm.message.kind,
      args: toJson(argsOf(dm.message)),
      event_id: dm.message.kind === 'notice' ? dm.message.eventId : null,
      rendered_at: dm.renderedAt,
      card_version: dm.cardVersion,
      digest: dm.digest,
    })
    .onConflict((oc) => oc.column('message_ref').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? String(row.id) : undefined;
}

/** The escalation's followed direct messages drawn from an older version than `version`. */
export async function listDirectMessagesBehind(db: Executor, escalationId: string, version: number): Promise<StoredDirectMessage[]> {
  const rows = await db
    .selectFrom('escalation_direct_messages')
    .selectAll()
    .where('escalation_id', '=', escalationId)
    .where('card_version', '<', version)
    .orderBy('id')
    .execute();
  return rows.map(toStored);
}

export async function markDirectMessageShown(db: Executor, id: string, version: number, digest: string): Promise<void> {
  await db
    .updateTable('escalation_direct_messages')
    .set({ card_version: version, digest })
    .where('id', '=', id as never)
    .execute();
}

export async function forgetDirectMessage(db: Executor, id: string): Promise<void> {
  await db
    .deleteFrom('escalation_direct_messages')
    .where('id', '=', id as never)
    .execute();
}
