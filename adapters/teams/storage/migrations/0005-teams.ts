import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams_conversations')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('personal', 'channel', 'groupChat')`))
    .addColumn('service_url', 'text', (c) => c.notNull())
    .addColumn('bot_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('team_name', 'text')
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('teams_conversations_pk', ['tenant_id', 'conversation_id'])
    .execute();
  // A person's one-to-one chat with the bot, for direct messages.
  await sql`create index teams_conversations_personal on teams_conversations (tenant_id, user_id) where kind = 'personal'`.execute(db);

  await db.schema
    .createTable('teams_members')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('aad_object_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('seen_in', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('teams_members_pk', ['tenant_id', 'user_id'])
    .execute();
  // People pickers answer with Azure AD object ids.
  await db.schema.createIndex('teams_members_aad').on('teams_members').columns(['tenant_id', 'aad_object_id']).execute();

  await db.schema
    .createTable('teams_forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('origin', 'text')
    .addColumn('message_ref', 'text')
    .addColumn('form', 'jsonb', (c) => c.notNull())
    .addColumn('submitted', 'jsonb')
    .addColumn('errors', 'jsonb')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'submitting', 'done', 'cancelled')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('teams_forms_created').on('teams_forms').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['teams_forms', 'teams_members', 'teams_conversations']) {
    await db.schema.dropTable(table).execute();
  }
}
