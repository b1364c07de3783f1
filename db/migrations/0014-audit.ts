import { sql, type Kysely } from 'kysely';

/**
 * The audit trail (see db/tables/audit.ts): one row per admin change, written in the transaction of
 * the change itself, read newest first per workspace.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_records')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  // `/steady audit 7d` and the export read one workspace's records in a period, newest first.
  await sql`create index audit_records_recent on audit_records (workspace_id, at desc, id desc)`.execute(db);
  // Retention finds a workspace's old stand-up answers and handoff notes without reading the rest.
  await sql`create index standup_sessions_workspace_prompt on standup_sessions (workspace_id, prompt_at)`.execute(db);
  await sql`create index handoffs_workspace_note on handoffs (workspace_id, note_written_at) where note is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists handoffs_workspace_note`.execute(db);
  await sql`drop index if exists standup_sessions_workspace_prompt`.execute(db);
  await db.schema.dropTable('audit_records').execute();
}
