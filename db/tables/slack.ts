/** Tables of the Slack adapter. */
export interface SlackTables {
  slack_installations: SlackInstallationsTable;
}

/**
 * Where Steady is installed: one row per workspace (or per Enterprise Grid organisation for an
 * org-wide install). The bot token itself is not here: with a single-token install it comes from
 * SLACK_BOT_TOKEN; `token_fingerprint` says which token the row describes.
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
}
