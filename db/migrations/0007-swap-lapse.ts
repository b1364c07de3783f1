import { sql, type Kysely } from 'kysely';

/** A swap request nobody answered before its first shift started lapses (see src/handoff/swap-service.ts). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table rotation_swaps drop constraint rotation_swaps_status_check`.execute(db);
  await sql`alter table rotation_swaps add constraint rotation_swaps_status_check check (status in ('pending', 'accepted', 'declined', 'lapsed'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update rotation_swaps set status = 'declined' where status = 'lapsed'`.execute(db);
  await sql`alter table rotation_swaps drop constraint rotation_swaps_status_check`.execute(db);
  await sql`alter table rotation_swaps add constraint rotation_swaps_status_check check (status in ('pending', 'accepted', 'declined'))`.execute(
    db,
  );
}
