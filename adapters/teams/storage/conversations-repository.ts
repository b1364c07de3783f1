import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { TeamsConversationKind, TeamsConversationsTable } from './tables';

export type StoredConversation = Selectable<TeamsConversationsTable>;

export interface ConversationRecord {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly kind: TeamsConversationKind;
  readonly serviceUrl: string;
  readonly botId: string;
  readonly userId?: string;
  readonly teamId?: string;
  readonly teamName?: string;
  readonly name?: string;
}

/** The row a conversation's record is stored as (and kept in memory as, see TeamsDelivery.noteSeen). */
export function conversationRow(record: ConversationRecord, now: Date): StoredConversation {
  return {
    tenant_id: record.tenantId,
    conversation_id: record.conversationId,
    kind: record.kind,
    service_url: record.serviceUrl,
    bot_id: record.botId,
    user_id: record.userId ?? null,
    team_id: record.teamId ?? null,
    team_name: record.teamName ?? null,
    name: record.name ?? null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Remembers a conversation the bot met. The latest service URL wins (Teams may move a tenant);
 * names only overwrite when Teams said them this time.
 */
export async function rememberConversation(db: Executor, record: ConversationRecord, now: Date): Promise<void> {
  await db
    .insertInto('teams_conversations')
    .values(conversationRow(record, now))
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'conversation_id']).doUpdateSet({
        service_url: record.serviceUrl,
        bot_id: record.botId,
        updated_at: now,
        ...(record.userId ? { user_id: record.userId } : {}),
        ...(record.teamId ? { team_id: record.teamId } : {}),
        ...(record.teamName ? { team_name: record.teamName } : {}),
        ...(record.name ? { name: record.name } : {}),
      }),
    )
    .execute();
}

export async function findConversation(db: Executor, tenantId: string, conversationId: string): Promise<StoredConversation | undefined> {
  return db
    .selectFrom('teams_conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
}

/** The person's one-to-one chat with the bot, the most recently seen if there are several. */
export async function findPersonalConversation(db: Executor, tenantId: string, userId: string): Promise<StoredConversation | undefined> {
  return db
    .selectFrom('teams_conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'personal')
    .where('user_id', '=', userId)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Conversations of a tenant, most recently seen first: a service URL and bot id to start a new chat with. */
export async function recentConversations(
  db: Executor,
  tenantId: string,
  options: { kind?: TeamsConversationKind; limit: number },
): Promise<StoredConversation[]> {
  let query = db.selectFrom('teams_conversations').selectAll().where('tenant_id', '=', tenantId);
  if (options.kind) query = query.where('kind', '=', options.kind);
  return query.orderBy('updated_at', 'desc').limit(options.limit).execute();
}

/** The channels the bot can post in, for channel pickers, by team then channel name. */
export async function channelsOf(db: Executor, tenantId: string, limit: number): Promise<StoredConversation[]> {
  return db
    .selectFrom('teams_conversations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'channel')
    .orderBy('team_name')
    .orderBy('name')
    .limit(limit)
    .execute();
}

/** The bot was removed: forget the conversation (and, for a team, every channel of it). */
export async function forgetConversation(db: Executor, tenantId: string, conversationId: string, teamId?: string): Promise<void> {
  let query = db.deleteFrom('teams_conversations').where('tenant_id', '=', tenantId);
  query = teamId
    ? query.where((eb) => eb.or([eb('conversation_id', '=', conversationId), eb('team_id', '=', teamId)]))
    : query.where('conversation_id', '=', conversationId);
  await query.execute();
}

export async function renameTeam(db: Executor, tenantId: string, teamId: string, teamName: string, now: Date): Promise<void> {
  await db
    .updateTable('teams_conversations')
    .set({ team_name: teamName, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('team_id', '=', teamId)
    .execute();
}
