import type { Selectable } from 'kysely';
import type { Executor } from '../../db/schema';
import type { SlackInstallationsTable } from '../../db/tables/slack';
import { toJson } from '../../db/tables/json';

export type InstallationRow = Selectable<SlackInstallationsTable>;

export async function findInstallation(db: Executor, id: string): Promise<InstallationRow | undefined> {
  return db.selectFrom('slack_installations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function saveInstallation(db: Executor, row: Omit<InstallationRow, 'installed_at' | 'updated_at'>, now: Date): Promise<void> {
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
