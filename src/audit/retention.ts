import { z } from 'zod';
import { splitFirstWord } from '../core/command-text';
import { bold, type RichText } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { HandlerContext } from '../core/workflow';
import { requireAdmin } from '../people/admin-gate';
import { UserError } from '../core/errors';
import type { JobKind } from '../scheduler/job';
import { findWorkspace, updateWorkspaceSettings } from '../storage/people-repository';
import { deleteAnswersBefore, deleteQuestionsBefore, eraseNotesBefore } from '../storage/audit/retention-repository';
import type { Executor } from '../../db/schema';
import { recordChange } from './audit-log';
import { DAY_MS } from '../core/duration';

export const RETENTION_JOB = 'audit.retention';
export const retentionRuleKey = (workspaceId: string) => `retention:${workspaceId}`;

/** Every night at 03:30 in the workspace's zone; rows go in batches so one run never holds a long transaction. */
const RETENTION_CRON = '30 3 * * *';
export const RETENTION_BATCH = 500;
export const MIN_RETENTION_DAYS = 7;
export const MAX_RETENTION_DAYS = 3650;

/** Days to keep each kind of record; null keeps it forever (the default). */
export const retentionSchema = z.object({
  answersDays: z.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS).nullable(),
  notesDays: z.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS).nullable(),
});
export type Retention = z.infer<typeof retentionSchema>;
const KEEP: Retention = { answersDays: null, notesDays: null };

const USAGE = `Use /steady retention answers 90d (stand-up answers) or /steady retention notes 180d (handoff notes), from ${MIN_RETENTION_DAYS}d to ${MAX_RETENTION_DAYS}d, or "keep" to keep them forever.`;

export const RETENTION_HELP = [
  '/steady retention: how long stand-up answers and handoff notes are kept · /steady retention answers 90d · notes 180d · answers keep (workspace admins)',
];

export async function loadRetention(db: Executor, workspaceId: string): Promise<Retention> {
  const stored = (await findWorkspace(db, workspaceId))?.settings.retention;
  return retentionSchema.safeParse(stored).data ?? KEEP;
}

const payloadSchema = z.object({ workspaceId: z.string().min(1), occurrence: z.string().optional() });

/**
 * Retention of stand-up answers and handoff notes, per workspace: kept forever unless an admin sets
 * a number of days; a nightly rule deletes what is older.
 */
export function createRetention(services: Pick<CoreServices, 'db' | 'clock' | 'admins' | 'people' | 'scheduler'>) {
  const { db, clock, admins, people, scheduler } = services;

  async function command(ctx: HandlerContext, text: string): Promise<void> {
    const ws = ctx.actor.workspaceId;
    const { word, rest } = splitFirstWord(text);
    const current = await loadRetention(db, ws);
    if (!word) {
      await ctx.reply(describe(current));
      return;
    }
    const key = word === 'answers' ? 'answersDays' : word === 'notes' ? 'notesDays' : undefined;
    if (!key) throw new UserError(`I don't know "/steady retention ${word.slice(0, 40)}". ${USAGE}`);
    const value = rest.trim().toLowerCase();
    const m = /^(\d{1,5})\s*d(ays?)?$/.exec(value);
    const days = value === 'keep' || value === 'forever' ? null : m ? Number(m[1]) : undefined;
    if (days === undefined || (days !== null && (days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS)))
      throw new UserError(`Say how long, in days: ${USAGE}`);
    await requireAdmin(admins, ctx.actor, 'change how long records are kept');
    const next: Retention = { ...current, [key]: days };
    const now = clock.now();
    const zone = await people.workspaceZone(ws);
    await db.transaction().execute(async (trx) => {
      await updateWorkspaceSettings(trx, ws, { retention: retentionSchema.parse(next) });
      if (next.answersDays === null && next.notesDays === null) await scheduler.removeRules({ key: retentionRuleKey(ws) }, trx);
      else
        await scheduler.putRule(
          {
            key: retentionRuleKey(ws),
            jobKind: RETENTION_JOB,
            cron: RETENTION_CRON,
            zone,
            payload: { workspaceId: ws },
            owner: retentionRuleKey(ws),
          },
          trx,
        );
      await recordChange(trx, ctx.actor, now, { action: 'retention.changed', subject: 'retention', before: current, after: next });
    });
    await ctx.reply(describe(next));
  }

  const job: JobKind<z.infer<typeof payloadSchema>> = {
    kind: RETENTION_JOB,
    payload: payloadSchema,
    run: async ({ workspaceId }, ctx) => {
      const retention = await loadRetention(db, workspaceId);
      const now = clock.now().getTime();
      const deleted = { answers: 0, notes: 0, questions: 0 };
      const drain = async (step: () => Promise<number>): Promise<number> => {
        let total = 0;
        for (;;) {
          if (ctx.signal.aborted) return total;
          const n = await step();
          total += n;
          if (n < RETENTION_BATCH) return total;
        }
      };
      if (retention.answersDays !== null) {
        const before = new Date(now - retention.answersDays * DAY_MS);
        deleted.answers = await drain(() => deleteAnswersBefore(db, workspaceId, before, RETENTION_BATCH));
      }
      if (retention.notesDays !== null) {
        const before = new Date(now - retention.notesDays * DAY_MS);
        deleted.notes = await drain(() => eraseNotesBefore(db, workspaceId, before, RETENTION_BATCH));
        deleted.questions = await drain(() => deleteQuestionsBefore(db, workspaceId, before, RETENTION_BATCH));
      }
      ctx.log.info({ workspace: workspaceId, ...deleted }, 'retention applied');
    },
  };

  return { command, jobs: [job] as const };
}

export type RetentionService = ReturnType<typeof createRetention>;

function describe(r: Retention): RichText {
  const kept = (days: number | null) => (days === null ? 'forever' : `for ${days} days`);
  return [
    'Stand-up answers are kept ',
    bold(kept(r.answersDays)),
    '; handoff notes are kept ',
    bold(kept(r.notesDays)),
    '. Older ones are deleted every night at 03:30 (the workspace’s time zone). ',
    USAGE,
  ];
}
