import type { Selectable } from 'kysely';
import type { Executor } from '../../db/schema';
import type { PeopleTable, TimeZoneSource, WorkspacesTable } from '../../db/tables/foundation';
import { toJson } from '../../db/tables/json';

export type PersonRow = Selectable<PeopleTable>;
export type WorkspaceRow = Selectable<WorkspacesTable>;

export async function ensureWorkspace(db: Executor, id: string, platform: string, now: Date): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id, platform, name: null, settings: toJson({}), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function findWorkspace(db: Executor, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Merges keys into a workspace's settings. */
export async function updateWorkspaceSettings(db: Executor, id: string, patch: Record<string, unknown>): Promise<void> {
  const row = await db.selectFrom('workspaces').select('settings').where('id', '=', id).forUpdate().executeTakeFirst();
  const settings = { ...(row?.settings ?? {}), ...patch };
  await db
    .updateTable('workspaces')
    .set({ settings: toJson(settings) })
    .where('id', '=', id)
    .execute();
}

export async function findPerson(db: Executor, workspaceId: string, userId: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').selectAll().where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();
}

export async function findPeople(db: Executor, workspaceId: string, userIds: readonly string[]): Promise<PersonRow[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('people')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', 'in', [...userIds])
    .execute();
}

/**
 * Records what the platform says about a person. A zone the person set themselves is kept: the
 * platform's zone only fills in when they never chose one.
 */
export async function upsertPerson(
  db: Executor,
  person: { workspaceId: string; userId: string; displayName: string; timeZone: string | null; isBot: boolean; deleted: boolean },
  now: Date,
): Promise<void> {
  await db
    .insertInto('people')
    .values({
      workspace_id: person.workspaceId,
      user_id: person.userId,
      display_name: person.displayName,
      time_zone: person.timeZone,
      time_zone_source: person.timeZone ? 'platform' : null,
      is_bot: person.isBot,
      deleted: person.deleted,
      refreshed_at: now,
      created_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'user_id']).doUpdateSet((eb) => ({
        display_name: person.displayName,
        is_bot: person.isBot,
        deleted: person.deleted,
        refreshed_at: now,
        ...(person.timeZone === null
          ? {}
          : {
              time_zone: eb
                .case()
                .when('people.time_zone_source', '=', 'explicit')
                .then(eb.ref('people.time_zone'))
                .else(person.timeZone)
                .end(),
              time_zone_source: eb
                .case()
                .when('people.time_zone_source', '=', 'explicit')
                .then(eb.val<TimeZoneSource>('explicit'))
                .else(eb.val<TimeZoneSource>('platform'))
                .end(),
            }),
      })),
    )
    .execute();
}

export async function setPersonTimeZone(
  db: Executor,
  workspaceId: string,
  userId: string,
  zone: string,
  source: TimeZoneSource,
): Promise<void> {
  let query = db
    .updateTable('people')
    .set({ time_zone: zone, time_zone_source: source })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId);
  // A zone reported by a client never overrides one the person chose.
  if (source === 'platform')
    query = query.where((eb) => eb.or([eb('time_zone_source', 'is', null), eb('time_zone_source', '=', 'platform')]));
  await query.execute();
}
