import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { StandupsTable } from '../../../db/tables/standup';
import { toJson } from '../../../db/tables/json';
import { nameKey, type Participant, type Standup, type StandupSettings } from '../../standup/model';

/** Stand-ups and their participants. */
type StandupRow = Selectable<StandupsTable>;

function toStandup(row: StandupRow): Standup {
  return {
    id: String(row.id),
    workspaceId: row.workspace_id,
    name: row.name,
    channel: row.channel,
    creatorId: row.creator_id,
    adminIds: row.admin_ids,
    questions: row.questions,
    days: row.days,
    time: row.time,
    zoneMode: row.zone_mode,
    fixedZone: row.fixed_zone,
    reminderMinutes: Number(row.reminder_minutes),
    cutoffMinutes: Number(row.cutoff_minutes),
    holidays: row.holidays,
    paused: row.paused,
  };
}

function settingsColumns(settings: StandupSettings) {
  return {
    name: settings.name,
    name_key: nameKey(settings.name),
    channel: settings.channel,
    admin_ids: toJson(settings.adminIds),
    questions: toJson(settings.questions),
    days: toJson(settings.days),
    time: settings.time,
    zone_mode: settings.zoneMode,
    fixed_zone: settings.fixedZone,
    reminder_minutes: settings.reminderMinutes,
    cutoff_minutes: settings.cutoffMinutes,
    holidays: toJson(settings.holidays),
  };
}

export async function insertStandup(
  db: Executor,
  args: { workspaceId: string; creatorId: string; settings: StandupSettings; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('standups')
    .values({
      workspace_id: args.workspaceId,
      creator_id: args.creatorId,
      ...settingsColumns(args.settings),
      paused: false,
      created_at: args.now,
      updated_at: args.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export async function updateStandup(db: Executor, id: string, settings: StandupSettings, now: Date): Promise<void> {
  await db
    .updateTable('standups')
    .set({ ...settingsColumns(settings), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function setStandupPaused(db: Executor, id: string, paused: boolean, now: Date): Promise<void> {
  await db.updateTable('standups').set({ paused, updated_at: now }).where('id', '=', id).execute();
}

export async function deleteStandup(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('standups').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function findStandup(db: Executor, id: string): Promise<Standup | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db.selectFrom('standups').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toStandup(row);
}

export async function findStandupByName(db: Executor, workspaceId: string, name: string): Promise<Standup | undefined> {
  const row = await db
    .selectFrom('standups')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name_key', '=', nameKey(name))
    .executeTakeFirst();
  return row && toStandup(row);
}

export async function listStandups(db: Executor, workspaceId: string): Promise<Standup[]> {
  const rows = await db.selectFrom('standups').selectAll().where('workspace_id', '=', workspaceId).orderBy('name_key').execute();
  return rows.map(toStandup);
}

/** The stand-ups a person takes part in, with the zone of their rule in each. */
export async function standupsOf(
  db: Executor,
  workspaceId: string,
  userId: string,
): Promise<{ standup: Standup; participant: Participant }[]> {
  const rows = await db
    .selectFrom('standup_participants as p')
    .innerJoin('standups as s', 's.id', 'p.standup_id')
    .selectAll('s')
    .select(['p.user_id as participant_id', 'p.rule_zone'])
    .where('s.workspace_id', '=', workspaceId)
    .where('p.user_id', '=', userId)
    .orderBy('s.name_key')
    .execute();
  return rows.map((row) => ({ standup: toStandup(row), participant: { userId: row.participant_id, ruleZone: row.rule_zone } }));
}

export async function listParticipants(db: Executor, standupId: string): Promise<Participant[]> {
  const rows = await db
    .selectFrom('standup_participants')
    .select(['user_id', 'rule_zone'])
    .where('standup_id', '=', standupId)
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, ruleZone: r.rule_zone }));
}

/** These people's places in a stand-up, for those who are in it, in one statement. */
export async function findParticipants(db: Executor, standupId: string, userIds: readonly string[]): Promise<Map<string, Participant>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('standup_participants')
    .select(['user_id', 'rule_zone'])
    .where('standup_id', '=', standupId)
    .where('user_id', 'in', [...new Set(userIds)])
    .execute();
  return new Map(rows.map((r) => [r.user_id, { userId: r.user_id, ruleZone: r.rule_zone }]));
}

export async function findParticipant(db: Executor, standupId: string, userId: string): Promise<Participant | undefined> {
  const row = await db
    .selectFrom('standup_participants')
    .select(['user_id', 'rule_zone'])
    .where('standup_id', '=', standupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && { userId: row.user_id, ruleZone: row.rule_zone };
}

/** Adds a participant, or records the zone of their rule when they are one already. */
export async function putParticipant(db: Executor, standupId: string, userId: string, ruleZone: string, now: Date): Promise<void> {
  await db
    .insertInto('standup_participants')
    .values({ standup_id: standupId, user_id: userId, rule_zone: ruleZone, joined_at: now })
    .onConflict((oc) => oc.columns(['standup_id', 'user_id']).doUpdateSet({ rule_zone: ruleZone }))
    .execute();
}

export async function removeParticipant(db: Executor, standupId: string, userId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('standup_participants')
    .where('standup_id', '=', standupId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Participants asked in their own zone, with the zone their rule has, per workspace. */
export async function personalZoneParticipants(
  db: Executor,
): Promise<{ standupId: string; workspaceId: string; userId: string; ruleZone: string }[]> {
  const rows = await db
    .selectFrom('standup_participants as p')
    .innerJoin('standups as s', 's.id', 'p.standup_id')
    .select(['s.id as standup_id', 's.workspace_id', 'p.user_id', 'p.rule_zone'])
    .where('s.zone_mode', '=', 'participant')
    .orderBy('s.workspace_id')
    .execute();
  return rows.map((r) => ({ standupId: String(r.standup_id), workspaceId: r.workspace_id, userId: r.user_id, ruleZone: r.rule_zone }));
}
