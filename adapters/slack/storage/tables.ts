/**
 * Where Steady is installed: one row per workspace (or per Enterprise Grid organisation for an
 * org-wide install). With a single-token install the token is not here (it comes from
 * SLACK_BOT_TOKEN); with OAuth distribution `bot_token` holds it, encrypted (token-cipher.ts).
 * `token_fingerprint` says which token the row describes.
 */
export interface SlackInstallationsTable {
  /** The team id, or the enterprise id of an org-wide install. */
  id: string;
  team_id: string | null;
  team_name: string | null;
  enterprise_id: string | null;
  is_enterprise_install: boolean;
  bot_user_id: string;
  bot_id: string | null;
  /** First 16 hex digits of the token's SHA-256. */
  token_fingerprint: string;
  installed_at: Date;
  updated_at: Date;
  /** OAuth installs: `v1.<key id>.<iv>.<tag>.<ciphertext>` (AES-256-GCM); null once uninstalled or revoked. */
  bot_token: string | null;
  /** With token rotation: the refresh token, encrypted the same way, and when the bot token expires. */
  bot_refresh_token: string | null;
  bot_token_expires_at: Date | null;
  /** Comma-separated scopes granted at install. */
  bot_scopes: string | null;
  app_id: string | null;
  installer_user_id: string | null;
  /** app_uninstalled or tokens_revoked: the tokens are gone, the record (and the workspace's data) stays. */
  uninstalled_at: Date | null;
}

/** A team of an Enterprise Grid org, served by the org-wide install of `enterprise_id`. */
export interface SlackEnterpriseTeamsTable {
  team_id: string;
  enterprise_id: string;
  seen_at: Date;
}

/**
 * The adapter's tables join the one Database type from here (TypeScript merges this declaration into
 * db/schema.ts's), so repositories and tests reach them through the usual `Db`, and the core's
 * schema names no platform.
 */
declare module '../../../db/schema' {
  interface Database {
    slack_installations: SlackInstallationsTable;
    slack_enterprise_teams: SlackEnterpriseTeamsTable;
  }
}
