import { sql } from 'kysely';
import type { Db } from '../../db/schema';
import type { SeverityColumn } from '../../db/tables/escalation';
import { outboxCounts } from '../storage/outbox-repository';
import { DAY_MS } from '../core/duration';

export const SEVERITIES: readonly SeverityColumn[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

/**
 * The figures /metrics reads from the database at scrape time. They are the same on every instance
 * (scrape any one of them; on a dashboard take `max`, not `sum`, across instances). Outbox counts
 * cover what is kept, that is the last JOB_RETENTION_DAYS.
 */
export interface DatabaseFigures {
  readonly outbox: {
    readonly sent: number;
    readonly failed: number;
    readonly inDoubt: number;
    readonly foundInDoubt: number;
    readonly resentInDoubt: number;
  };
  readonly jobs: { readonly due: number; readonly running: number; readonly later: number };
  /** Escalations not yet resolved or cancelled, and those of them past their due time, by severity. */
  readonly escalations: Readonly<Record<SeverityColumn, { readonly open: number; readonly overdue: number }>>;
  /** Stand-up prompts sent, and answers given, since midnight UTC. */
  readonly prompts: { readonly sent: number; readonly answered: number };
}

export async function readDatabaseFigures(db: Db, now: Date): Promise<DatabaseFigures> {
  const [outbox, jobs, escalations, prompts] = await Promise.all([
    outboxCounts(db),
    jobFigures(db, now),
    escalationFigures(db, now),
    promptFigures(db, now),
  ]);
  return { outbox, jobs, escalations, prompts };
}

async function jobFigures(db: Db, now: Date): Promise<DatabaseFigures['jobs']> {
  const { rows } = await sql<{ due: string; running: string; later: string }>`
    select count(*) filter (where state = 'pending' and run_at <= ${now}) as due,
           count(*) filter (where state = 'running') as running,
           count(*) filter (where state = 'pending' and run_at > ${now}) as later
      from jobs where state in ('pending', 'running')`.execute(db);
  const row = rows[0]!;
  return { due: Number(row.due), running: Number(row.running), later: Number(row.later) };
}

/** Uses the partial index on open escalations; overdue as `stats` counts it (due time passed). */
async function escalationFigures(db: Db, now: Date): Promise<DatabaseFigures['escalations']> {
  const { rows } = await sql<{ severity: SeverityColumn; open: string; overdue: string }>`
    select severity, count(*) as open, count(*) filter (where due_at < ${now}) as overdue
      from escalations where status in ('open', 'acknowledged')
     group by severity`.execute(db);
  const figures = Object.fromEntries(SEVERITIES.map((s) => [s, { open: 0, overdue: 0 }])) as Record<
    SeverityColumn,
    { open: number; overdue: number }
  >;
  for (const row of rows) if (row.severity in figures) figures[row.severity] = { open: Number(row.open), overdue: Number(row.overdue) };
  return figures;
}

/**
 * "Today" is the UTC day: people's own days start at different moments, and a figure that resets
 * at one known moment graphs plainly. Sessions of the last two local dates either side cover it.
 */
async function promptFigures(db: Db, now: Date): Promise<DatabaseFigures['prompts']> {
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const day = (offset: number) => new Date(midnight.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  const { rows } = await sql<{ sent: string; answered: string }>`
    select count(*) filter (where prompted_at >= ${midnight}) as sent,
           count(*) filter (where answered_at >= ${midnight}) as answered
      from standup_sessions where date between ${day(-1)} and ${day(1)}`.execute(db);
  const row = rows[0]!;
  return { sent: Number(row.sent), answered: Number(row.answered) };
}
