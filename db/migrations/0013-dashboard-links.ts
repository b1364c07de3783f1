import { sql, type Kysely } from 'kysely';

/**
 * Dashboard sign-in links (see db/tables/dashboard.ts): a random token is given to the person once,
 * in chat; only its SHA-256 is kept, with whose it is, until when, and whether it was revoked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dashboard_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  // `/steady dashboard revoke` finds a person's live links; housekeeping can find expired ones.
  await db.schema.createIndex('dashboard_links_person').on('dashboard_links').columns(['workspace_id', 'user_id']).execute();
  await sql`create index dashboard_links_expiry on dashboard_links (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboard_links').execute();
}
