import { sql, type Selectable } from 'kysely';
import type { StandupDaysTable } from '../../../db/tables/standup';
import type { Executor } from '../../../db/schema';

/** A stand-up on one date in its report channel: the parent message, its version, who writes it. */
export interface DayRow {
  readonly standupId: string;
  readonly date: string;
  readonly parentRef: string | null;
  readonly parentChannel: string | null;
  readonly version: number;
  readonly parentVersion: number;
}

function toDay(row: Selectable<StandupDaysTable>): DayRow {
  return {
    standupId: String(row.standup_id),
    date: row.date,
    parentRef: row.parent_ref,
    parentChannel: row.parent_channel,
    version: Number(row.version),
    parentVersion: Number(row.parent_version),
  };
}

/** Records a change on a stand-up's date (creating the day): its parent message is now out of date. */
export async function touchDay(db: Executor, standupId: string, date: string, now: Date): Promise<number> {
  const row = await db
    .insertInto('standup_days')
    .values({
      standup_id: standupId,
      date,
      parent_ref: null,
      parent_channel: null,
      version: 1,
      parent_version: 0,
      lease_until: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['standup_id', 'date']).doUpdateSet({ version: sql`standup_days.version + 1`, updated_at: now }))
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

/**
 * Reserves the day for one writer until `until`: only the holder posts or edits the day's messages,
 * so two instances (or a job and a person's click) never post the parent twice.
 */
export async function claimDay(
  db: Executor,
  standupId: string,
  date: string,
  now: Date,
  until: Date,
): Promise<DayRow | 'busy' | undefined> {
  const row = await db
    .updateTable('standup_days')
    .set({ lease_until: until })
    .where('standup_id', '=', standupId)
    .where('date', '=', date)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
  if (row) return toDay(row);
  const exists = await db
    .selectFrom('standup_days')
    .select('date')
    .where('standup_id', '=', standupId)
    .where('date', '=', date)
    .executeTakeFirst();
  return exists ? 'busy' : undefined;
}

export async function releaseDay(db: Executor, standupId: string, date: string): Promise<void> {
  await db.updateTable('standup_days').set({ lease_until: null }).where('standup_id', '=', standupId).where('date', '=', date).execute();
}

export async function setDayParent(
  db: Executor,
  standupId: string,
  date: string,
  patch: { parentRef?: string; parentChannel?: string; parentVersion?: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('standup_days')
    .set({
      ...(patch.parentRef === undefined ? {} : { parent_ref: patch.parentRef }),
      ...(patch.parentChannel === undefined ? {} : { parent_channel: patch.parentChannel }),
      ...(patch.parentVersion === undefined ? {} : { parent_version: patch.parentVersion }),
      updated_at: now,
    })
    .where('standup_id', '=', standupId)
    .where('date', '=', date)
    .execute();
}

export async function findDay(db: Executor, standupId: string, date: string): Promise<DayRow | undefined> {
  const row = await db
    .selectFrom('standup_days')
    .selectAll()
    .where('standup_id', '=', standupId)
    .where('date', '=', date)
    .executeTakeFirst();
  return row && toDay(row);
}
