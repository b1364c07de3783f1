import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/schema';
import { toJson } from '../../../db/tables/json';
import type { TeamsFormsTable } from './tables';

export type StoredForm = Selectable<TeamsFormsTable>;

/** A submission left half-way (the process died) may be tried again after this long. */
const SUBMITTING_EXPIRES_MS = 2 * 60_000;

export async function insertForm(
  db: Executor,
  row: { id: string; tenantId: string; userId: string; origin: string | undefined; form: unknown },
  now: Date,
): Promise<void> {
  await db
    .insertInto('teams_forms')
    .values({
      id: row.id,
      tenant_id: row.tenantId,
      user_id: row.userId,
      origin: row.origin ?? null,
      message_ref: null,
      form: toJson(row.form),
      submitted: null,
      errors: null,
      status: 'open',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function findForm(db: Executor, id: string): Promise<StoredForm | undefined> {
  return db.selectFrom('teams_forms').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setFormMessage(db: Executor, id: string, messageRef: string, now: Date): Promise<void> {
  await db.updateTable('teams_forms').set({ message_ref: messageRef, updated_at: now }).where('id', '=', id).execute();
}

/**
 * Claims an open form for one submission. A double click or a retry finds it claimed and does not
 * submit it twice. Returns false when the form is not open.
 */
export async function claimForm(db: Executor, id: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('teams_forms')
    .set({ status: 'submitting', updated_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'open'),
        eb.and([eb('status', '=', 'submitting'), eb('updated_at', '<', new Date(now.getTime() - SUBMITTING_EXPIRES_MS))]),
      ]),
    )
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The submission was refused: the form is open again with the values and the problems. */
export async function reopenForm(
  db: Executor,
  id: string,
  submitted: Record<string, unknown>,
  errors: Record<string, string>,
  now: Date,
): Promise<void> {
  await db
    .updateTable('teams_forms')
    .set({ status: 'open', submitted: toJson(submitted), errors: toJson(errors), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function closeForm(db: Executor, id: string, status: 'done' | 'cancelled', now: Date): Promise<boolean> {
  const row = await db
    .updateTable('teams_forms')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', status === 'cancelled' ? ['open'] : ['open', 'submitting'])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forms are kept for a month: long enough to answer a late click with "already submitted". */
export async function purgeForms(db: Executor, before: Date): Promise<number> {
  const result = await db.deleteFrom('teams_forms').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
