import { sql, type Kysely } from 'kysely';

/** Rotations (with their versions, overrides and swaps) and handoffs (with questions). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rotations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // Names are how people refer to a rotation in commands: unique per workspace, ignoring case.
  await sql`create unique index rotations_name on rotations (workspace_id, lower(name)) where deleted_at is null`.execute(db);

  await db.schema
    .createTable('rotation_versions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('rotation_id', 'bigint', (c) => c.notNull().references('rotations.id').onDelete('cascade'))
    .addColumn('effective_from', 'timestamptz', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('pattern', 'jsonb', (c) => c.notNull())
    .addColumn('days', 'jsonb', (c) => c.notNull())
    .addColumn('members', 'jsonb', (c) => c.notNull())
    .addColumn('first_member', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('supervisor_id', 'text', (c) => c.notNull())
    .addColumn('reminder_lead_minutes', 'integer', (c) => c.notNull())
    .addColumn('confirm_timeout_minutes', 'integer', (c) => c.notNull())
    .addColumn('template', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('rotation_versions_from', ['rotation_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('rotation_swaps')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('rotation_id', 'bigint', (c) => c.notNull().references('rotations.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('other_id', 'text', (c) => c.notNull())
    .addColumn('requester_shifts', 'jsonb', (c) => c.notNull())
    .addColumn('other_shifts', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'accepted', 'declined')`))
    .addColumn('request_message_ref', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('rotation_overrides')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('rotation_id', 'bigint', (c) => c.notNull().references('rotations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('override', 'swap')`))
    .addColumn('swap_id', 'bigint', (c) => c.references('rotation_swaps.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cancelled_at', 'timestamptz')
    .addCheckConstraint('rotation_overrides_span', sql`ends_at > starts_at`)
    .execute();
  await sql`create index rotation_overrides_span on rotation_overrides (rotation_id, ends_at) where cancelled_at is null`.execute(db);

  await db.schema
    .createTable('handoffs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('rotation_id', 'bigint', (c) => c.notNull().references('rotations.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('version_id', 'bigint', (c) => c.notNull().references('rotation_versions.id'))
    .addColumn('outgoing_start', 'timestamptz', (c) => c.notNull())
    .addColumn('outgoing_end', 'timestamptz', (c) => c.notNull())
    .addColumn('incoming_start', 'timestamptz', (c) => c.notNull())
    .addColumn('incoming_end', 'timestamptz', (c) => c.notNull())
    .addColumn('outgoing_id', 'text')
    .addColumn('incoming_id', 'text')
    .addColumn('note', 'jsonb')
    .addColumn('note_written_at', 'timestamptz')
    .addColumn('note_written_by', 'text')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('chased_at', 'timestamptz')
    .addColumn('no_note_told_at', 'timestamptz')
    .addColumn('supervisor_note_at', 'timestamptz')
    .addColumn('channel_message_ref', 'text')
    .addColumn('channel_error', 'text')
    .addColumn('incoming_message_ref', 'text')
    .addColumn('posted_at', 'timestamptz')
    .addColumn('confirm_reminded_at', 'timestamptz')
    .addColumn('supervisor_confirm_at', 'timestamptz')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_by', 'text')
    .addColumn('outgoing_told_at', 'timestamptz')
    .addColumn('transfers', 'jsonb')
    .addColumn('skipped_at', 'timestamptz')
    .addColumn('skip_reason', 'text')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // One live handoff per shift change: planning it twice (a job run again, two instances) is a no-op.
  await sql`create unique index handoffs_boundary on handoffs (rotation_id, incoming_start) where cancelled_at is null`.execute(db);
  await sql`create index handoffs_outgoing on handoffs (workspace_id, outgoing_id) where confirmed_at is null and cancelled_at is null`.execute(
    db,
  );
  await sql`create index handoffs_incoming on handoffs (workspace_id, incoming_id) where confirmed_at is null and cancelled_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('handoff_questions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('handoff_id', 'bigint', (c) => c.notNull().references('handoffs.id').onDelete('cascade'))
    .addColumn('asker_id', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'timestamptz', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['handoff_questions', 'handoffs', 'rotation_overrides', 'rotation_swaps', 'rotation_versions', 'rotations']) {
    await db.schema.dropTable(table).execute();
  }
}
