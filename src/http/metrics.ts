import { sql } from 'kysely';
import type { Db } from '../../db/schema';
import { outboxCounts } from '../storage/outbox-repository';

/**
 * The delivery engine's figures in Prometheus' text format, read from the database so that every
 * instance reports the same totals (scrape any one of them). Counts cover what is kept, that is the
 * last JOB_RETENTION_DAYS.
 */
export async function deliveryMetrics(db: Db, now: Date): Promise<string> {
  const outbox = await outboxCounts(db);
  const { rows } = await sql<{ due: string; leased: string; later: string }>`
    select count(*) filter (where state = 'pending' and run_at <= ${now}) as due,
           count(*) filter (where state = 'running') as leased,
           count(*) filter (where state = 'pending' and run_at > ${now}) as later
      from jobs where state in ('pending', 'running')`.execute(db);
  const jobs = rows[0]!;
  return [
    '# HELP steady_outbox_posts Posts to a platform recorded in the outbox, by state (attempting: under way, or in doubt until settled).',
    '# TYPE steady_outbox_posts gauge',
    `steady_outbox_posts{state="sent"} ${outbox.sent}`,
    `steady_outbox_posts{state="failed"} ${outbox.failed}`,
    `steady_outbox_posts{state="attempting"} ${outbox.inDoubt}`,
    '# HELP steady_outbox_found_in_doubt Attempts that ended in doubt, then were found on the platform and not sent again.',
    '# TYPE steady_outbox_found_in_doubt gauge',
    `steady_outbox_found_in_doubt ${outbox.foundInDoubt}`,
    '# HELP steady_outbox_resent_in_doubt Attempts that ended in doubt on a platform that cannot be asked (Teams) and were sent again: possible duplicates.',
    '# TYPE steady_outbox_resent_in_doubt gauge',
    `steady_outbox_resent_in_doubt ${outbox.resentInDoubt}`,
    '# HELP steady_jobs_pending Pending jobs: due now and waiting for a place, running under a lease, or due later.',
    '# TYPE steady_jobs_pending gauge',
    `steady_jobs_pending{state="due"} ${Number(jobs.due)}`,
    `steady_jobs_pending{state="running"} ${Number(jobs.leased)}`,
    `steady_jobs_pending{state="later"} ${Number(jobs.later)}`,
    '',
  ].join('\n');
}
