import { sql, type Kysely } from 'kysely';

/**
 * The delivery engine: each running job holds a lease of its own (a token fences its writes), a job
 * may wait for another to end (`after_key`), an insert wakes listening instances, every post to a
 * platform has an outbox row keyed by what it is, and sends are paced per workspace and
 * conversation across instances (`send_lanes`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('lease_token', 'text').addColumn('after_key', 'text').execute();
  // A job under a lease is `running`, so the claim's scan of pending jobs never walks over those in hand.
  await sql`update jobs set state = 'running' where state = 'pending' and locked_until is not null`.execute(db);
  await sql`alter table jobs drop constraint jobs_state_check`.execute(db);
  await sql`alter table jobs add constraint jobs_state_check check (state in ('pending', 'running', 'done', 'failed', 'cancelled', 'skipped'))`.execute(
    db,
  );
  await sql`drop index jobs_due`.execute(db);
  await sql`drop index jobs_owner`.execute(db);
  // The claim reads pending jobs in due order (ties go to the older job), and running ones by lease end.
  await sql`create index jobs_claim on jobs (run_at, id) where state = 'pending'`.execute(db);
  await sql`create index jobs_leases on jobs (locked_until) where state = 'running'`.execute(db);
  await sql`create index jobs_owner on jobs (owner) where owner is not null and state in ('pending', 'running')`.execute(db);
  // Most jobs have no dedupe key: they need no entry in its index, which every change of state rewrites.
  await sql`alter table jobs drop constraint jobs_dedupe_key_key`.execute(db);
  await sql`create unique index jobs_dedupe on jobs (dedupe_key) where dedupe_key is not null`.execute(db);
  // Pruning reads finished jobs by age.
  await sql`create index jobs_finished on jobs (finished_at) where state not in ('pending', 'running')`.execute(db);

  // One notification per inserting statement, carrying the earliest due time (epoch seconds), so an
  // instance can claim at once or set a timer. An insert skipped by its dedupe key notifies nothing.
  await sql`
    create function steady_jobs_notify() returns trigger language plpgsql as $$
    declare due double precision;
    begin
      select extract(epoch from min(run_at)) into due from inserted where state = 'pending';
      if due is not null then
        perform pg_notify('steady_jobs', due::text);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger jobs_notify after insert on jobs
    referencing new table as inserted
    for each statement execute function steady_jobs_notify()`.execute(db);

  await db.schema
    .createTable('outbox')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('attempting', 'sent', 'failed', 'retry')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempt_token', 'text')
    .addColumn('attempt_at', 'timestamptz')
    .addColumn('resent_in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('found_in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ref', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('outbox_updated').on('outbox').column('updated_at').execute();

  await db.schema
    .createTable('send_lanes')
    .addColumn('lane', 'text', (c) => c.primaryKey())
    .addColumn('interval_ms', 'double precision', (c) => c.notNull())
    .addColumn('burst', 'integer', (c) => c.notNull())
    // Theoretical arrival time of the next send (GCRA): the lane is free again when it is in the past.
    .addColumn('tat', 'timestamptz', (c) => c.notNull())
    .addColumn('paused_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('send_lanes').execute();
  await db.schema.dropTable('outbox').execute();
  await sql`drop trigger jobs_notify on jobs`.execute(db);
  await sql`drop function steady_jobs_notify()`.execute(db);
  await sql`drop index jobs_finished`.execute(db);
  await sql`drop index jobs_dedupe`.execute(db);
  await sql`alter table jobs add constraint jobs_dedupe_key_key unique (dedupe_key)`.execute(db);
  await sql`drop index jobs_owner`.execute(db);
  await sql`drop index jobs_leases`.execute(db);
  await sql`drop index jobs_claim`.execute(db);
  await sql`update jobs set state = 'pending' where state = 'running'`.execute(db);
  await sql`alter table jobs drop constraint jobs_state_check`.execute(db);
  await sql`alter table jobs add constraint jobs_state_check check (state in ('pending', 'done', 'failed', 'cancelled', 'skipped'))`.execute(
    db,
  );
  await sql`create index jobs_owner on jobs (owner) where state = 'pending'`.execute(db);
  await sql`create index jobs_due on jobs (run_at) where state = 'pending'`.execute(db);
  await db.schema.alterTable('jobs').dropColumn('after_key').dropColumn('lease_token').execute();
}
