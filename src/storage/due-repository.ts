import { sql } from 'kysely';
import type { Executor } from '../../db/schema';

/**
 * The earliest moment something is due: a free pending job, the end of a live lease (its job is due
 * again then, should its worker be gone), or a rule's next occurrence. A job waiting for another
 * is not due before that one ends.
 */
export async function earliestDue(db: Executor): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    select least(
      (select run_at from jobs j where state = 'pending'
          and (after_key is null or not exists (select 1 from jobs d where d.dedupe_key = j.after_key and d.state in ('pending', 'running')))
        order by run_at limit 1),
      (select min(locked_until) from jobs where state = 'running'),
      (select min(next_run_at) from recurring_rules where active)
    ) as at`.execute(db);
  return rows[0]?.at ?? null;
}
