import { sql } from 'kysely';
import type { Executor } from '../../../db/schema';

/** Out of office: dates (the person's own) on which no stand-up asks them. */
export interface Absence {
  readonly fromDate: string;
  readonly untilDate: string;
}

export async function insertAbsence(db: Executor, workspaceId: string, userId: string, absence: Absence, now: Date): Promise<void> {
  await db
    .insertInto('standup_absences')
    .values({ workspace_id: workspaceId, user_id: userId, from_date: absence.fromDate, until_date: absence.untilDate, created_at: now })
    .execute();
}

/** The absence covering a date, if any (the one that lasts longest). */
export async function absenceOn(db: Executor, workspaceId: string, userId: string, date: string): Promise<Absence | undefined> {
  const row = await db
    .selectFrom('standup_absences')
    .select(['from_date', 'until_date'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('from_date', '<=', date)
    .where('until_date', '>=', date)
    .orderBy('until_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { fromDate: row.from_date, untilDate: row.until_date };
}

/** Ends absences from `date` on: those that started earlier now end the day before. */
export async function endAbsences(db: Executor, workspaceId: string, userId: string, date: string, dayBefore: string): Promise<number> {
  const removed = await db
    .deleteFrom('standup_absences')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('from_date', '>=', date)
    .executeTakeFirst();
  const shortened = await db
    .updateTable('standup_absences')
    .set({ until_date: dayBefore })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('from_date', '<', date)
    .where('until_date', '>=', date)
    .executeTakeFirst();
  return Number(removed.numDeletedRows) + Number(shortened.numUpdatedRows);
}

/** Which of these people are out of office on their given date, as `user|date`, in one statement. */
export async function awayOn(
  db: Executor,
  workspaceId: string,
  days: readonly { readonly userId: string; readonly date: string }[],
): Promise<Set<string>> {
  if (days.length === 0) return new Set();
  const { rows } = await sql<{ user_id: string; date: string }>`
    select distinct d.user_id, d.date
      from unnest(${days.map((d) => d.userId)}::text[], ${days.map((d) => d.date)}::text[]) as d(user_id, date)
      join standup_absences a on a.workspace_id = ${workspaceId} and a.user_id = d.user_id and a.from_date <= d.date and a.until_date >= d.date`.execute(
    db,
  );
  return new Set(rows.map((r) => `${r.user_id}|${r.date}`));
}
