import type { Request, Response } from 'express';
import { auditRecords, type AuditRecord } from '../audit/audit-log';
import { FORMER_MEMBER_NAME, isFormerMember } from '../core/former-member';
import type { CoreServices } from '../core/services';
import type { Actor } from '../core/refs';
import { addDays, fromLocal, toLocal } from '../core/zoned-time';
import { csv } from './csv';
import { exportPeriod, exportSchema, firstProblem, type Period } from './filters';
import { problemPage, type Viewer } from './pages';

/** An audit export holds at most this many records; more is refused rather than cut off. */
export const AUDIT_EXPORT_ROWS = 10_000;

const COLUMNS = ['at', 'actor_id', 'actor', 'action', 'subject', 'before', 'after'] as const;

/**
 * `GET /dashboard/export/audit.csv|json?from=YYYY-MM-DD&to=YYYY-MM-DD` (workspace admins): the
 * workspace's admin changes in the period (the reader's days; default the last 30), oldest first,
 * with before and after as JSON. CSV cells go through the formula guard (csv.ts).
 */
export async function auditExport(
  services: CoreServices,
  req: Request,
  res: Response,
  signed: { actor: Actor; viewer: Viewer },
  maxRows = AUDIT_EXPORT_ROWS,
): Promise<void> {
  const { actor, viewer } = signed;
  const page = (status: number, title: string, text: string) =>
    res
      .status(status)
      .type('html')
      .send(problemPage(title, text, viewer).text);
  const format = req.params.format;
  if (format !== 'csv' && format !== 'json') return void page(404, 'Not found', 'Audit exports are audit.csv and audit.json.');
  if (!viewer.isAdmin)
    return void page(
      403,
      'Not allowed',
      'Only workspace admins can export the audit trail. Ask one of them (/steady admins list names them).',
    );
  const parsed = exportSchema.safeParse(req.query);
  const now = services.clock.now();
  const period = parsed.success ? exportPeriod(parsed.data, toLocal(now, viewer.zone).date) : firstProblem(parsed.error);
  if (typeof period === 'string') return void page(400, 'Export not possible', `${period.charAt(0).toUpperCase()}${period.slice(1)}.`);
  const from = fromLocal(period.from, '00:00', viewer.zone);
  const before = fromLocal(addDays(period.to, 1), '00:00', viewer.zone);
  const { records, total } = await auditRecords(services.db, actor.workspaceId, from, before, maxRows);
  if (total > records.length)
    return void page(
      400,
      'Export not possible',
      `${total} changes were made in this period; an export holds at most ${maxRows}. Choose a shorter period.`,
    );
  const ordered = [...records].reverse();
  const people = await services.people.known(actor.workspaceId, [...new Set(ordered.map((r) => r.actorId))]);
  const name = (id: string) => (isFormerMember(id) ? FORMER_MEMBER_NAME : (people.get(id)?.displayName ?? id));
  services.log.info({ workspace: actor.workspaceId, user: actor.userId, format, rows: ordered.length }, 'audit export');
  res.attachment(`steady-audit-${period.from}-to-${period.to}.${format}`);
  if (format === 'csv') {
    const rows = ordered.map((r) => [r.at.toISOString(), r.actorId, name(r.actorId), r.action, r.subject, json(r.before), json(r.after)]);
    res.type('text/csv; charset=utf-8').send(csv([COLUMNS, ...rows]));
    return;
  }
  res.type('application/json; charset=utf-8').send(auditJson(ordered, name, period, viewer.zone, now));
}

function json(value: unknown): string {
  return value === null ? '' : JSON.stringify(value);
}

function auditJson(records: readonly AuditRecord[], name: (id: string) => string, period: Period, zone: string, now: Date): string {
  return JSON.stringify(
    {
      exportedAt: now.toISOString(),
      period: { ...period, timeZone: zone },
      changes: records.map((r) => ({
        at: r.at.toISOString(),
        actorId: r.actorId,
        actor: name(r.actorId),
        action: r.action,
        subject: r.subject,
        before: r.before,
        after: r.after,
      })),
    },
    null,
    2,
  );
}
