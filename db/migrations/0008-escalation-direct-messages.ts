import { sql, type Kysely } from 'kysely';

/**
 * The direct messages about an escalation that carry buttons (the owner's notice, reminders, pages),
 * kept so they can be redrawn as the escalation changes (see src/escalation/direct-messages.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('escalation_direct_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('escalation_id', 'bigint', (c) => c.notNull().references('escalations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('message_ref', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('notice', 'reminder', 'page')`))
    .addColumn('args', 'jsonb', (c) => c.notNull())
    .addColumn('event_id', 'bigint', (c) => c.references('escalation_events.id'))
    .addColumn('rendered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('card_version', 'integer', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('escalation_direct_messages_escalation')
    .on('escalation_direct_messages')
    .columns(['escalation_id', 'card_version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('escalation_direct_messages').execute();
}
