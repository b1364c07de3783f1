import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../../db/schema';
import type { DirectMessageArgsJson, EscalationDirectMessagesTable } from '../../../db/tables/escalation';
import { toJson } from '../../../db/tables/json';
import type { FollowedMessage, StoredDirectMessage } from '../../escalation/model';

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

/**
 * A stored message's arguments, checked as they are read: the column is JSON, so what comes back is
 * whatever was written (by this version of Steady or an older one), not what the types promise.
 */
const pagedArgs = z.object({ level: z.number().int(), levels: z.number().int(), why: z.enum(['policy', 'overdue']) });
const noticeArgs = z.object({
  notice: z.enum(['assigned', 'due-changed', 'reopened', 'exhausted', 'raised-for']),
  paged: pagedArgs.optional(),
});
const reminderArgs = z.object({
  phase: z.enum(['before', 'due', 'chase']),
  dueAt: z.iso.datetime(),
  paged: pagedArgs.optional(),
  n: z.number().int().optional(),
});

/** Thrown for a stored row whose arguments cannot be read: it cannot be drawn again, and guessing would show something false. */
export class UnreadableDirectMessage extends Error {
  override readonly name = 'UnreadableDirectMessage';
}

function parsed<T>(schema: z.ZodType<T>, row: Row): T {
  const result = schema.safeParse(row.args);
  if (!result.success)
    throw new UnreadableDirectMessage(
      `escalation direct message ${row.id} (${row.kind}) has arguments that cannot be read: ${result.error.message}`,
    );
  return result.data;
}

function messageOf(row: Row): FollowedMessage {
  switch (row.kind) {
    case 'notice': {
      const args = parsed(noticeArgs, row);
      return { kind: 'notice', notice: args.notice, eventId: String(row.event_id), ...(args.paged ? { paged: args.paged } : {}) };
    }
    case 'reminder': {
      const args = parsed(reminderArgs, row);
      return {
        kind: 'reminder',
        phase: args.phase,
        dueAt: new Date(args.dueAt),
        ...(args.paged ? { paged: args.paged } : {}),
        ...(args.n !== undefined ? { n: args.n } : {}),
      };
    }
    case 'page':
      return { kind: 'page', ...parsed(pagedArgs, row) };
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
  await db.updateTable('escalation_direct_messages').set({ card_version: version, digest }).where('id', '=', id).execute();
}

export async function forgetDirectMessage(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('escalation_direct_messages').where('id', '=', id).execute();
}
