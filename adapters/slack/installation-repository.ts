import type { Selectable } from 'kysely';
import type { Executor } from '../../db/schema';
import type { SlackInstallationsTable } from './storage/tables';
import { toJson } from '../../db/tables/json';

export type InstallationRow = Selectable<SlackInstallationsTable>;

export async function findInstallation(db: Executor, id: string): Promise<InstallationRow | undefined> {
  return db.selectFrom('slack_installations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What a single-token install records (its token stays in SLACK_BOT_TOKEN). */
export type InstallationRecord = Pick<
  InstallationRow,
  'id' | 'team_id' | 'team_name' | 'enterprise_id' | 'is_enterprise_install' | 'bot_user_id' | 'bot_id' | 'token_fingerprint'
>;

export async function saveInstallation(db: Executor, row: InstallationRecord, now: Date): Promise<void> {
  await db
    .insertInto('slack_installations')
    .values({ ...row, installed_at: now, updated_at: now })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        team_id: row.team_id,
        team_name: row.team_name,
        enterprise_id: row.enterprise_id,
        is_enterprise_install: row.is_enterprise_install,
        bot_user_id: row.bot_user_id,
        bot_id: row.bot_id,
        token_fingerprint: row.token_fingerprint,
        updated_at: now,
      }),
    )
    .execute();
}

/** The core's workspace record, named as Slack names the team. */
export async function nameWorkspace(db: Executor, workspaceId: string, name: string | null, now: Date): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id: workspaceId, platform: 'slack', name, settings: toJson({}), created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name }))
    .execute();
}

/** An OAuth install (or reinstall): the record with its sealed tokens, installed again if it had been removed. */
export async function saveOAuthInstallation(
  db: Executor,
  row: InstallationRecord &
    Pick<InstallationRow, 'bot_token' | 'bot_refresh_token' | 'bot_token_expires_at' | 'bot_scopes' | 'app_id' | 'installer_user_id'>,
  now: Date,
): Promise<void> {
  const { id: _id, ...changes } = row;
  await db
    .insertInto('slack_installations')
    .values({ ...row, installed_at: now, updated_at: now, uninstalled_at: null })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...changes, installed_at: now, updated_at: now, uninstalled_at: null }))
    .execute();
}

/** The installation with its tokens, if it is installed; `lock` holds the row until the transaction ends. */
export async function findLiveInstallation(db: Executor, id: string, lock = false): Promise<InstallationRow | undefined> {
  const query = db
    .selectFrom('slack_installations')
    .selectAll()
    .where('id', '=', id)
    .where('uninstalled_at', 'is', null)
    .where('bot_token', 'is not', null);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * Stores rotated tokens if the row still holds the token they replace (compare-and-set on the
 * fingerprint): an instance that rotated with a stale refresh token records nothing.
 */
export async function saveRotatedTokens(
  db: Executor,
  id: string,
  replacing: string,
  tokens: Pick<InstallationRow, 'bot_token' | 'bot_refresh_token' | 'bot_token_expires_at' | 'token_fingerprint'>,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('slack_installations')
    .set({ ...tokens, updated_at: now })
    .where('id', '=', id)
    .where('token_fingerprint', '=', replacing)
    .where('uninstalled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sealed again with the current key (key rotation); the tokens themselves do not change. */
export async function resealTokens(
  db: Executor,
  id: string,
  sealed: Pick<InstallationRow, 'bot_token' | 'bot_refresh_token'>,
  fingerprint: string,
): Promise<void> {
  await db.updateTable('slack_installations').set(sealed).where('id', '=', id).where('token_fingerprint', '=', fingerprint).execute();
}

export async function installationsWithTokens(db: Executor): Promise<InstallationRow[]> {
  return db.selectFrom('slack_installations').selectAll().where('bot_token', 'is not', null).orderBy('id').execute();
}

/** Uninstalled or revoked: the tokens go, the record stays. Returns whether there was a live one. */
export async function removeTokens(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('slack_installations')
    .set({ bot_token: null, bot_refresh_token: null, bot_token_expires_at: null, uninstalled_at: now, updated_at: now })
    .where('id', '=', id)
    .where('uninstalled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A team of a Grid org, seen in an event the org-wide install admitted. */
export async function rememberEnterpriseTeam(db: Executor, teamId: string, enterpriseId: string, now: Date): Promise<void> {
  await db
    .insertInto('slack_enterprise_teams')
    .values({ team_id: teamId, enterprise_id: enterpriseId, seen_at: now })
    .onConflict((oc) => oc.column('team_id').doUpdateSet({ enterprise_id: enterpriseId, seen_at: now }))
    .execute();
}

export async function enterpriseOfTeam(db: Executor, teamId: string): Promise<string | undefined> {
  const row = await db.selectFrom('slack_enterprise_teams').select('enterprise_id').where('team_id', '=', teamId).executeTakeFirst();
  return row?.enterprise_id;
}

export async function teamsOfEnterprise(db: Executor, enterpriseId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('slack_enterprise_teams')
    .select('team_id')
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('team_id')
    .execute();
  return rows.map((r) => r.team_id);
}
