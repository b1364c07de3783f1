import { sql } from 'kysely';
import type { Executor } from '../../db/schema';

/** The earliest pending job or active rule occurrence (a job under a live lease counts from its lease's end). */
export async function earliestDue(db: Executor): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    select min(at) as at from (
      select min(greatest(run_at, coalesce(locked_until, run_at))) as at from jobs where state = 'pending'
      union all
      select min(next_run_at) from recurring_rules where active
    ) due`.execute(db);
  return rows[0]?.at ?? null;
}
