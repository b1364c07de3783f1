import type { Kysely } from 'kysely';

/**
 * Slack OAuth distribution (see ../tables.ts): an installation row now keeps its bot token
 * (and, with token rotation, its refresh token and expiry), encrypted with SLACK_TOKEN_ENCRYPTION_KEY;
 * uninstalled rows keep their record without tokens. Teams of an Enterprise Grid org served by an
 * org-wide install are remembered as events arrive from them, so outbound calls find their token.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('slack_installations')
    .addColumn('bot_token', 'text')
    .addColumn('bot_refresh_token', 'text')
    .addColumn('bot_token_expires_at', 'timestamptz')
    .addColumn('bot_scopes', 'text')
    .addColumn('app_id', 'text')
    .addColumn('installer_user_id', 'text')
    .addColumn('uninstalled_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('slack_enterprise_teams')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_enterprise_teams').execute();
  await db.schema
    .alterTable('slack_installations')
    .dropColumn('bot_token')
    .dropColumn('bot_refresh_token')
    .dropColumn('bot_token_expires_at')
    .dropColumn('bot_scopes')
    .dropColumn('app_id')
    .dropColumn('installer_user_id')
    .dropColumn('uninstalled_at')
    .execute();
}
