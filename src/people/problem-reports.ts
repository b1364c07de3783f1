import { z } from 'zod';
import type { Db, Executor } from '../../db/schema';
import type { Clock } from '../core/clock';
import type { RichText } from '../core/rich-text';
import { richTextSchema } from '../core/message-schema';
import type { JobKind } from '../scheduler/job';
import type { Scheduler } from '../scheduler/scheduler';
import { inTransaction } from '../storage/transactions';
import { isFormerMember } from '../core/former-member';

export const PROBLEM_REPORT_JOB = 'problem.report';

export interface ProblemReport {
  /** Names the problem (a channel Steady cannot post in, a person it cannot reach): reported once. */
  readonly key: string;
  readonly workspaceId: string;
  /** Who can fix it. */
  readonly userId: string;
  readonly text: RichText;
}

/**
 * Tells a person once about a problem they can fix: the record that it was reported and the job
 * that tells them commit together, so the report is neither lost nor repeated; while the problem
 * lasts it stays quiet, and once fixed (`resolved`) a recurrence is reported again.
 */
export class ProblemReports {
  constructor(
    private readonly db: Db,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
  ) {}

  /** True when this call reported it (the first time for this key). */
  async reportOnce(report: ProblemReport, db: Executor = this.db): Promise<boolean> {
    // Someone forgotten (/steady forget) is told nothing: there is nobody to tell.
    if (isFormerMember(report.userId)) return false;
    const now = this.clock.now();
    return inTransaction(db, async (trx) => {
      const row = await trx
        .insertInto('reported_problems')
        .values({ key: report.key, reported_at: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!row) return false;
      await this.scheduler.enqueue(
        { kind: PROBLEM_REPORT_JOB, payload: report, runAt: now, dedupeKey: `problem:${report.key}@${now.toISOString()}` },
        trx,
      );
      return true;
    });
  }

  /** Forget a problem once it is fixed, so a recurrence is reported again. */
  async resolved(key: string, db: Executor = this.db): Promise<void> {
    await db.deleteFrom('reported_problems').where('key', '=', key).execute();
  }
}

const reportPayload = z.object({ key: z.string().min(1), workspaceId: z.string().min(1), userId: z.string().min(1), text: richTextSchema });

/** Sends a report; a person who cannot be reached either is left to the log (there is nobody else to tell). */
export function problemReportJob(send: (report: ProblemReport, outboxKey: string) => Promise<void>): JobKind<ProblemReport> {
  return {
    kind: PROBLEM_REPORT_JOB,
    payload: reportPayload,
    run: (report, ctx) => send(report, `${ctx.job.dedupeKey ?? `job:${ctx.job.id}`}`),
  };
}
