/** Tables of the browser dashboard. */
export interface DashboardTables {
  dashboard_links: DashboardLinksTable;
}

/**
 * A sign-in link (`/steady dashboard`): the link's token is random and shown once; only its SHA-256
 * is stored, so the table read by someone else signs nobody in. The same token is the session
 * cookie, so revoking a link ends the session it started.
 */
export interface DashboardLinksTable {
  /** base64url SHA-256 of the token. */
  token_hash: string;
  workspace_id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  /** Set by `/steady dashboard revoke`; a revoked link and its session are refused. */
  revoked_at: Date | null;
}
