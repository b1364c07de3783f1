import type { Kysely } from 'kysely';

/** The console adapter's channels, so that one never seen before is confirmed before it is used (see ../tables.ts). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_channels')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_channels').execute();
}
