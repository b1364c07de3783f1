import type { Kysely } from 'kysely';

/**
 * A stand-up blocker's escalation is looked up by id (its owner may change after it is raised), so
 * the owner copied at raise time went stale and was no longer read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('standup_sessions').dropColumn('escalation_owner_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('standup_sessions').addColumn('escalation_owner_id', 'text').execute();
}
