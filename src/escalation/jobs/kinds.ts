import { z } from 'zod';
import type { JobKind, AnyJobKind } from '../../scheduler/job';
import { deliverCard, deliverNotice, deliverPage, deliverReminder, type PagePayload } from './deliveries';
import type { EscalationDeps } from '../deps';
import { followDirectMessages } from '../direct-messages';
import { runDueStep, runPolicyStep } from '../engine';
import { JOB_KINDS } from './planner';

const id = z.string().regex(/^\d{1,18}$/);
const phase = z.enum(['before', 'due', 'chase']);
const paged = z.object({ level: z.number().int().min(1), levels: z.number().int().min(1), why: z.enum(['policy', 'overdue']) }).optional();
const notice = z.enum([
  'raised-for',
  'assigned',
  'unassigned',
  'acknowledged',
  'resolved',
  'cancelled',
  'due-changed',
  'reopened',
  'exhausted',
  'thread',
]);

/** The escalation workflow's job kinds; see planner.ts for which is which. */
export function escalationJobs(deps: EscalationDeps): AnyJobKind[] {
  const level: JobKind<{ escalationId: string; run: number; step: number }> = {
    kind: JOB_KINDS.level,
    payload: z.object({ escalationId: id, run: z.number().int(), step: z.number().int().min(0) }),
    run: (p) => runPolicyStep(deps, p),
  };
  const due: JobKind<{ escalationId: string; dueVersion: number; phase: 'before' | 'due' | 'chase'; n: number }> = {
    kind: JOB_KINDS.due,
    payload: z.object({ escalationId: id, dueVersion: z.number().int(), phase, n: z.number().int().min(0) }),
    run: (p) => runDueStep(deps, p),
  };
  const page: JobKind<PagePayload> = {
    kind: JOB_KINDS.page,
    payload: z.object({
      escalationId: id,
      run: z.number().int(),
      step: z.number().int(),
      why: z.enum(['policy', 'overdue']),
      user: z.string().optional(),
      channel: z.string().optional(),
    }),
    run: (p) => deliverPage(deps, p),
  };
  const remind: JobKind<{
    escalationId: string;
    dueVersion: number;
    phase: 'before' | 'due' | 'chase';
    n: number;
    paged?: z.infer<typeof paged>;
  }> = {
    kind: JOB_KINDS.remind,
    payload: z.object({ escalationId: id, dueVersion: z.number().int(), phase, n: z.number().int(), paged }),
    run: (p) => deliverReminder(deps, p),
  };
  const notify: JobKind<{
    escalationId: string;
    eventId: string;
    notice: z.infer<typeof notice>;
    to: string;
    paged?: z.infer<typeof paged>;
  }> = {
    kind: JOB_KINDS.notify,
    payload: z.object({ escalationId: id, eventId: id, notice, to: z.string().min(1), paged }),
    run: (p) => deliverNotice(deps, p),
  };
  const card: JobKind<{ escalationId: string; version: number; post: boolean }> = {
    kind: JOB_KINDS.card,
    payload: z.object({ escalationId: id, version: z.number().int(), post: z.boolean() }),
    run: (p) => deliverCard(deps, p),
  };
  const follow: JobKind<{ escalationId: string; version: number }> = {
    kind: JOB_KINDS.follow,
    payload: z.object({ escalationId: id, version: z.number().int() }),
    run: (p) => followDirectMessages(deps, p),
  };
  return [level, due, page, remind, notify, card, follow];
}
