import { sql, type Kysely } from 'kysely';

/** Escalations, their timelines, policies, per-workspace settings, reference counters and raise drafts. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('escalation_counters')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('escalations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('options', 'text')
    .addColumn('recommendation', 'text')
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('SEV1', 'SEV2', 'SEV3', 'SEV4')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'acknowledged', 'resolved', 'cancelled')`))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('raiser_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('conversation', 'text', (c) => c.notNull())
    .addColumn('card_ref', 'text')
    .addColumn('card_version', 'integer', (c) => c.notNull())
    .addColumn('card_failed', 'boolean', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_set_at', 'timestamptz', (c) => c.notNull())
    .addColumn('due_version', 'integer', (c) => c.notNull())
    .addColumn('reminded_version', 'integer')
    .addColumn('overdue_at', 'timestamptz')
    .addColumn('chase_count', 'integer', (c) => c.notNull())
    .addColumn('policy', 'jsonb')
    .addColumn('policy_run', 'integer', (c) => c.notNull())
    .addColumn('policy_step', 'integer', (c) => c.notNull())
    .addColumn('notified_user_ids', 'jsonb', (c) => c.notNull())
    .addColumn('channel_notified', 'boolean', (c) => c.notNull())
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_by', 'text')
    .addColumn('first_acknowledged_at', 'timestamptz')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancelled_by', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('source', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('escalations_reference', ['workspace_id', 'number'])
    .execute();
  // Lists of open escalations (by due time) and each person's own.
  await sql`create index escalations_open on escalations (workspace_id, due_at) where status in ('open', 'acknowledged')`.execute(db);
  await db.schema.createIndex('escalations_owner').on('escalations').columns(['workspace_id', 'owner_id']).execute();
  await db.schema.createIndex('escalations_created').on('escalations').columns(['workspace_id', 'created_at']).execute();

  await db.schema
    .createTable('escalation_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('escalation_id', 'bigint', (c) => c.notNull().references('escalations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('escalation_events_timeline').on('escalation_events').columns(['escalation_id', 'id']).execute();

  await db.schema
    .createTable('escalation_policies')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('levels', 'jsonb', (c) => c.notNull())
    .addColumn('repeat', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index escalation_policies_name on escalation_policies (workspace_id, lower(name))`.execute(db);

  await db.schema
    .createTable('escalation_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text')
    .addColumn('default_policy_id', 'bigint')
    .addColumn('due_rules', 'jsonb', (c) => c.notNull())
    .addColumn('chase_minutes', 'integer')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('escalation_drafts')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('raiser_id', 'text', (c) => c.notNull())
    .addColumn('source', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'escalation_drafts',
    'escalation_settings',
    'escalation_policies',
    'escalation_events',
    'escalations',
    'escalation_counters',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
