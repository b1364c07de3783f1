import type { Kysely } from 'kysely';

/** Placeholder: the handoff issue adds its tables here. */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
