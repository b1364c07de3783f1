import type { Kysely } from 'kysely';

/**
 * The working hours in which overdue escalations are chased, per workspace (null: the default,
 * Monday to Friday 08:00 to 18:00 in each owner's zone).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation_settings').addColumn('working_hours', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation_settings').dropColumn('working_hours').execute();
}
