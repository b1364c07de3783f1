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
  /** An attempt begun before this instant and not ended is in doubt and may be superseded. */
  readonly staleBefore: Date;
  /** The earlier attempt ended in doubt and the platform could not be asked: this one sends again. */
  readonly resend: boolean;
  /** Inside a job: the attempt begins only while the job's lease is this run's. */
  readonly lease?: { readonly jobId: string; readonly token: string };
}

/**
 * Records that an attempt begins, before anything is sent, in one statement: created the first
 * time, or taken over from an attempt that failed, was handed back, or ended in doubt long enough
 * ago that it cannot still be on its way. Returns false when it may not begin (already sent,
 * another attempt is under way, or the job's lease is no longer this run's).
 */
export async function beginAttempt(db: Executor, a: AttemptArgs): Promise<boolean> {
  const leaseHeld = a.lease
    ? sql`exists (select 1 from jobs where id = ${a.lease.jobId} and lease_token = ${a.lease.token} and state = 'pending' and locked_until > ${a.now} for no key update)`
    : sql`true`;
  const { rows } = await sql`
    insert into outbox as o (key, workspace_id, target, state, attempts, attempt_token, attempt_at, created_at, updated_at)
    select ${a.key}, ${a.workspaceId}, ${a.target}, 'attempting', 1, ${a.token}, ${a.now}, ${a.now}, ${a.now}
     where ${leaseHeld}
    on conflict (key) do update
       set state = 'attempting', attempts = o.attempts + 1, attempt_token = excluded.attempt_token,
           attempt_at = excluded.attempt_at, updated_at = excluded.updated_at, error = null,
           resent_in_doubt = o.resent_in_doubt + ${a.resend ? 1 : 0}
     where o.state <> 'sent' and (o.state <> 'attempting' or o.attempt_at <= ${a.staleBefore})
    returning 1`.execute(db);
  return rows.length > 0;
}

/**
 * The platform took the message: recorded only if the attempt named by `token` is still the row's
 * current one (an attempt superseded after its doubt window records nothing; its successor settles it).
 */
export async function recordSent(trx: Executor, args: { readonly key: string; readonly token: string; readonly ref: string; readonly now: Date; readonly found?: boolean }): Promise<boolean> {
  const result = await trx
    .updateTable('outbox')
    .set((eb) => ({
      state: 'sent',
      ref: args.ref,
      sent_at: args.now,
      updated_at: args.now,
      error: null,
      found_in_doubt: args.found ? eb('found_in_doubt', '+', 1) : eb.ref('found_in_doubt'),
    }))
    .where('key', '=', args.key)
    .where('state', '=', 'attempting')
    .where('attempt_token', '=', args.token)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The attempt ended and nothing was posted: `failed` for good (the platform refused), or `retry`
 * (it asked to slow down). A later attempt may begin at once.
 */
export async function recordNotSent(db: Executor, args: { readonly key: string; readonly token: string; readonly state: 'failed' | 'retry'; readonly error: string; readonly now: Date }): Promise<void> {
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
