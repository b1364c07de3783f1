import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/schema';
import type { OutboxTable } from '../../db/tables/foundation';

export type OutboxRow = Selectable<OutboxTable>;

export async function findOutboxEntry(db: Executor, key: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('key', '=', key).executeTakeFirst();
}

export interface AttemptArgs {
  readonly key: string;
  readonly workspaceId: string;
  readonly target: string;
  /** Names this attempt; recording its end compares it. */
  readonly token: string;
  readonly now: Date;
  /**
   * An attempt that ended in doubt and was settled (looked up and not found, or resent where the
   * platform cannot be asked): this one takes over from it, if it is still that attempt.
   */
  readonly supersedes?: { readonly token: string | null; readonly resend: boolean };
  /** Inside a job: the attempt begins only while the job's lease is this run's. */
  readonly lease?: { readonly jobId: string; readonly token: string };
}

/**
 * Records that an attempt begins, before anything is sent, in one statement: created the first
 * time, or taken over from one that definitely sent nothing (refused, or handed back), or from the
 * attempt in doubt named by `supersedes`. Returns false when it may not begin: already sent,
 * another attempt under way or in doubt, or the job's lease no longer this run's.
 */
export async function beginAttempt(db: Executor, a: AttemptArgs): Promise<boolean> {
  const leaseHeld = a.lease
    ? sql`exists (select 1 from jobs where id = ${a.lease.jobId} and lease_token = ${a.lease.token} and state = 'running' and locked_until > ${a.now} for no key update)`
    : sql`true`;
  const mayTakeOver = a.supersedes
    ? sql`o.state = 'attempting' and o.attempt_token is not distinct from ${a.supersedes.token}`
    : sql`o.state in ('failed', 'retry')`;
  const { rows } = await sql`
    insert into outbox as o (key, workspace_id, target, state, attempts, attempt_token, attempt_at, created_at, updated_at)
    select ${a.key}, ${a.workspaceId}, ${a.target}, 'attempting', 1, ${a.token}, ${a.now}, ${a.now}, ${a.now}
     where ${leaseHeld}
    on conflict (key) do update
       set state = 'attempting', attempts = o.attempts + 1, attempt_token = excluded.attempt_token,
           attempt_at = excluded.attempt_at, updated_at = excluded.updated_at, error = null,
           resent_in_doubt = o.resent_in_doubt + ${a.supersedes?.resend ? 1 : 0}
     where ${mayTakeOver}
    returning 1`.execute(db);
  return rows.length > 0;
}

/** Several first attempts at once (a wave): as `beginAttempt` without `supersedes`. Returns the keys begun. */
export async function beginAttempts(
  db: Executor,
  attempts: readonly Omit<AttemptArgs, 'now' | 'supersedes'>[],
  now: Date,
): Promise<Set<string>> {
  if (attempts.length === 0) return new Set();
  const col = <T>(f: (a: Omit<AttemptArgs, 'now' | 'supersedes'>) => T) => attempts.map(f);
  const { rows } = await sql<{ key: string }>`
    insert into outbox as o (key, workspace_id, target, state, attempts, attempt_token, attempt_at, created_at, updated_at)
    select v.key, v.workspace_id, v.target, 'attempting', 1, v.token, ${now}, ${now}, ${now}
      from unnest(
        ${col((a) => a.key)}::text[], ${col((a) => a.workspaceId)}::text[], ${col((a) => a.target)}::text[], ${col((a) => a.token)}::text[],
        ${col((a) => a.lease?.jobId ?? null)}::bigint[], ${col((a) => a.lease?.token ?? null)}::text[]
      ) as v(key, workspace_id, target, token, job_id, lease_token)
     where v.job_id is null
        or exists (select 1 from jobs j where j.id = v.job_id and j.lease_token = v.lease_token and j.state = 'running' and j.locked_until > ${now} for no key update)
    on conflict (key) do update
       set state = 'attempting', attempts = o.attempts + 1, attempt_token = excluded.attempt_token,
           attempt_at = excluded.attempt_at, updated_at = excluded.updated_at, error = null
     where o.state in ('failed', 'retry')
    returning o.key`.execute(db);
  return new Set(rows.map((r) => r.key));
}

/**
 * The platform took these messages: each recorded only if the attempt named by its token is still
 * the row's current one (an attempt superseded after its doubt window records nothing; its
 * successor settles it). A problem reported about a destination is forgotten in the same
 * statement: it works again. Returns the keys recorded.
 */
export async function recordSentMany(
  trx: Executor,
  sent: readonly { readonly key: string; readonly token: string; readonly ref: string; readonly problemKey?: string }[],
  now: Date,
  /** Found on the platform after an attempt in doubt, rather than sent now. */
  found = false,
): Promise<Set<string>> {
  if (sent.length === 0) return new Set();
  const { rows } = await sql<{ key: string }>`
    with given as (
      select * from unnest(${sent.map((s) => s.key)}::text[], ${sent.map((s) => s.token)}::text[], ${sent.map((s) => s.ref)}::text[], ${sent.map((s) => s.problemKey ?? null)}::text[])
        as g(key, token, ref, problem_key)
    ), recorded as (
      update outbox o set state = 'sent', ref = g.ref, sent_at = ${now}, updated_at = ${now}, error = null,
                          found_in_doubt = o.found_in_doubt + ${found ? 1 : 0}
        from given g
       where o.key = g.key and o.state = 'attempting' and o.attempt_token = g.token
      returning o.key
    ), solved as (
      delete from reported_problems where key in (select g.problem_key from given g join recorded r on r.key = g.key)
    )
    select key from recorded`.execute(trx);
  return new Set(rows.map((r) => r.key));
}

/**
 * The attempt ended and nothing was posted: `failed` for good (the platform refused), or `retry`
 * (it asked to slow down). A later attempt may begin at once.
 */
export async function recordNotSent(
  db: Executor,
  args: { readonly key: string; readonly token: string; readonly state: 'failed' | 'retry'; readonly error: string; readonly now: Date },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ state: args.state, error: args.error.slice(0, 500), updated_at: args.now })
    .where('key', '=', args.key)
    .where('state', '=', 'attempting')
    .where('attempt_token', '=', args.token)
    .execute();
}

/** Deletes up to `limit` entries last touched before `before` (an attempt still in doubt is kept). */
export async function pruneOutbox(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from outbox where key in (
      select key from outbox where updated_at < ${before} and state <> 'attempting' limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export interface OutboxCounts {
  readonly sent: number;
  readonly failed: number;
  readonly inDoubt: number;
  readonly resentInDoubt: number;
  readonly foundInDoubt: number;
}

/** Totals over the entries kept (the retention period), for /metrics. */
export async function outboxCounts(db: Executor): Promise<OutboxCounts> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [
      eb.fn.countAll<string>().filterWhere('state', '=', 'sent').as('sent'),
      eb.fn.countAll<string>().filterWhere('state', '=', 'failed').as('failed'),
      eb.fn.countAll<string>().filterWhere('state', '=', 'attempting').as('in_doubt'),
      eb.fn.coalesce(eb.fn.sum<string>('resent_in_doubt'), sql<string>`0`).as('resent'),
      eb.fn.coalesce(eb.fn.sum<string>('found_in_doubt'), sql<string>`0`).as('found'),
    ])
    .executeTakeFirstOrThrow();
  return {
    sent: Number(row.sent),
    failed: Number(row.failed),
    inDoubt: Number(row.in_doubt),
    resentInDoubt: Number(row.resent),
    foundInDoubt: Number(row.found),
  };
}
