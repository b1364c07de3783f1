import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/schema';
import type { JobState, JobsTable } from '../../db/tables/foundation';
import { toJson } from '../../db/tables/json';
import type { JobRecord, JobSpec } from '../scheduler/job';

type JobRow = Selectable<JobsTable>;

function toRecord(row: Pick<JobRow, 'id' | 'kind' | 'payload' | 'run_at' | 'scheduled_for' | 'dedupe_key' | 'owner' | 'attempts' | 'max_attempts'>): JobRecord {
  return {
    id: String(row.id),
    kind: row.kind,
    payload: row.payload,
    runAt: row.run_at,
    scheduledFor: row.scheduled_for,
    dedupeKey: row.dedupe_key,
    owner: row.owner,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
  };
}

/** Adds a job; with a dedupe key that already exists (in any state) nothing is added. */
export async function insertJob(
  db: Executor,
  spec: JobSpec,
  defaults: { readonly maxAttempts: number; readonly now: Date },
): Promise<{ readonly id: string | undefined; readonly created: boolean }> {
  const row = await db
    .insertInto('jobs')
    .values({
      kind: spec.kind,
      payload: toJson(spec.payload ?? {}),
      run_at: spec.runAt,
      scheduled_for: spec.runAt,
      dedupe_key: spec.dedupeKey ?? null,
      owner: spec.owner ?? null,
      state: 'pending',
      max_attempts: spec.maxAttempts ?? defaults.maxAttempts,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: defaults.now,
      updated_at: defaults.now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return { id: row?.id, created: row !== undefined };
}

/**
 * Leases up to `limit` due jobs to `worker`. SKIP LOCKED lets several schedulers claim at once
 * without waiting on each other or taking the same row; an expired lease is due again.
 */
export async function claimDueJobs(
  db: Executor,
  args: { readonly worker: string; readonly now: Date; readonly leaseUntil: Date; readonly limit: number },
): Promise<JobRecord[]> {
  const { rows } = await sql<JobRow>`
    update jobs
       set locked_by = ${args.worker}, locked_until = ${args.leaseUntil},
           attempts = attempts + 1, updated_at = ${args.now}
     where id in (
       select id from jobs
        where state = 'pending' and run_at <= ${args.now}
          and (locked_until is null or locked_until <= ${args.now})
        order by run_at, id
        limit ${args.limit}
        for update skip locked)
    returning *`.execute(db);
  return rows.map(toRecord).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(a.id) - Number(b.id));
}

/** Ends a leased job. False when the lease was lost (taken over, or the job was cancelled). */
export async function finishJob(
  db: Executor,
  args: { readonly id: string; readonly worker: string; readonly now: Date; readonly state: Exclude<JobState, 'pending' | 'cancelled'>; readonly error?: string },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      state: args.state,
      finished_at: args.now,
      updated_at: args.now,
      locked_by: null,
      locked_until: null,
      ...(args.error === undefined ? {} : { last_error: args.error }),
    })
    .where('id', '=', args.id as never)
    .where('locked_by', '=', args.worker)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Puts a leased job back to run again at `runAt`, recording why the attempt failed. */
export async function retryJob(
  db: Executor,
  args: { readonly id: string; readonly worker: string; readonly now: Date; readonly runAt: Date; readonly error: string },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ run_at: args.runAt, locked_by: null, locked_until: null, last_error: args.error, updated_at: args.now })
    .where('id', '=', args.id as never)
    .where('locked_by', '=', args.worker)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Hands back leased jobs that were never started (shutdown), without counting the attempt. */
export async function releaseJobs(db: Executor, args: { readonly ids: readonly string[]; readonly worker: string; readonly now: Date }): Promise<void> {
  if (args.ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set((eb) => ({ locked_by: null, locked_until: null, attempts: eb('attempts', '-', 1), updated_at: args.now }))
    .where('id', 'in', args.ids as never[])
    .where('locked_by', '=', args.worker)
    .where('state', '=', 'pending')
    .execute();
}

export type CancelFilter =
  | { readonly dedupeKey: string }
  | { readonly owner: string; readonly kinds?: readonly string[] };

/** Cancels pending jobs; returns how many. */
export async function cancelJobs(db: Executor, filter: CancelFilter, now: Date): Promise<number> {
  let query = db
    .updateTable('jobs')
    .set({ state: 'cancelled', finished_at: now, updated_at: now, locked_by: null, locked_until: null })
    .where('state', '=', 'pending');
  if ('dedupeKey' in filter) query = query.where('dedupe_key', '=', filter.dedupeKey);
  else {
    query = query.where('owner', '=', filter.owner);
    if (filter.kinds) query = filter.kinds.length ? query.where('kind', 'in', [...filter.kinds]) : query.where(sql<boolean>`false`);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface JobView extends JobRecord {
  readonly state: JobState;
  readonly lastError: string | null;
  readonly finishedAt: Date | null;
}

/** Jobs for inspection (tests, admin listings), oldest due first. */
export async function findJobs(
  db: Executor,
  filter: { readonly owner?: string; readonly kind?: string; readonly state?: JobState; readonly dedupeKey?: string } = {},
): Promise<JobView[]> {
  let query = db.selectFrom('jobs').selectAll();
  if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.dedupeKey !== undefined) query = query.where('dedupe_key', '=', filter.dedupeKey);
  const rows = await query.orderBy('run_at').orderBy('id').execute();
  return rows.map((row) => ({ ...toRecord(row), state: row.state, lastError: row.last_error, finishedAt: row.finished_at }));
}
