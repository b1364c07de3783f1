import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('standups')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('admin_ids', 'jsonb', (c) => c.notNull())
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('days', 'jsonb', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('zone_mode', 'text', (c) => c.notNull().check(sql`zone_mode in ('participant', 'fixed')`))
    .addColumn('fixed_zone', 'text')
    .addColumn('reminder_minutes', 'integer', (c) => c.notNull())
    .addColumn('cutoff_minutes', 'integer', (c) => c.notNull())
    .addColumn('holidays', 'jsonb', (c) => c.notNull())
    .addColumn('paused', 'boolean', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('standups_name_unique', ['workspace_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('standup_participants')
    .addColumn('standup_id', 'bigint', (c) => c.notNull().references('standups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('rule_zone', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('standup_participants_pk', ['standup_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('standup_sessions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('standup_id', 'bigint', (c) => c.notNull().references('standups.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('prompt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cutoff_at', 'timestamptz', (c) => c.notNull())
    .addColumn('prompted_at', 'timestamptz')
    .addColumn('prompt_ref', 'text')
    .addColumn('prompt_error', 'text')
    .addColumn('chat_question', 'integer')
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('edited_at', 'timestamptz')
    .addColumn('late', 'boolean', (c) => c.notNull())
    .addColumn('skipped_at', 'timestamptz')
    .addColumn('skip_reason', 'text')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('abandoned_at', 'timestamptz')
    .addColumn('blocker', 'text')
    .addColumn('escalation_id', 'text')
    .addColumn('escalation_ref', 'text')
    .addColumn('escalation_owner_id', 'text')
    .addColumn('answer_version', 'integer', (c) => c.notNull())
    .addColumn('reply_ref', 'text')
    .addColumn('reply_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('standup_sessions_day', ['standup_id', 'user_id', 'date'])
    .execute();
  // The chat finds a person's open sessions; reports and handoffs read a person's recent ones.
  await db.schema.createIndex('standup_sessions_person').on('standup_sessions').columns(['workspace_id', 'user_id', 'prompt_at']).execute();
  await db.schema.createIndex('standup_sessions_standup_date').on('standup_sessions').columns(['standup_id', 'date']).execute();

  await db.schema
    .createTable('standup_days')
    .addColumn('standup_id', 'bigint', (c) => c.notNull().references('standups.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('parent_ref', 'text')
    .addColumn('parent_channel', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('parent_version', 'integer', (c) => c.notNull())
    .addColumn('lease_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('standup_days_pk', ['standup_id', 'date'])
    .execute();

  await db.schema
    .createTable('standup_absences')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('until_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('standup_absences_person').on('standup_absences').columns(['workspace_id', 'user_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['standup_absences', 'standup_days', 'standup_sessions', 'standup_participants', 'standups']) {
    await db.schema.dropTable(table).execute();
  }
}
