import type { Router } from 'express';
import { toLocal } from '../core/zoned-time';
import { exportPeriod, exportSchema, firstProblem, type Period } from './filters';
import { exportedHandoff, handoffsCsv, handoffsJson } from './handoff-exports';
import { PAGE_DAYS, loadRotationHandoffs, visibleRotations } from './handoffs-data';
import { handoffsPage } from './handoffs-page';
import { problemPage } from './pages';
import type { RouteKit } from './route-kit';

/** Each rotation's list on the page shows at most this many handoffs (the export has them all). */
const LIST_ROWS = 200;

/**
 * /dashboard/handoffs and /dashboard/export/handoffs.(csv|json). Both show only the rotations
 * visibleRotations allows (admins: all of the workspace; others: those they are a member or the
 * supervisor of), for a period of the reader's local days: the last 28 days unless chosen.
 */
export function mountHandoffRoutes(router: Router, kit: RouteKit): void {
  const { services, log } = kit;
  /** The page and the export show the same rotations' handoffs for a period. */
  const visibleHandoffs = async ({ actor, viewer }: ReturnType<RouteKit['signed']>, period: Period, now: Date) =>
    loadRotationHandoffs(services.db, await visibleRotations(services.db, actor, viewer.isAdmin), period, viewer.zone, now);

  router.get('/handoffs', async (req, res) => {
    const { actor, viewer } = kit.signed(res);
    const parsed = exportSchema.safeParse(req.query);
    const now = services.clock.now();
    const period = parsed.success ? exportPeriod(parsed.data, toLocal(now, viewer.zone).date, PAGE_DAYS) : firstProblem(parsed.error);
    if (typeof period === 'string') {
      // The form keeps what was typed (escaped like any value), so it can be corrected.
      const raw = (name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]).slice(0, 40) : undefined);
      const problem = `${period.charAt(0).toUpperCase()}${period.slice(1)}.`;
      return kit.page(
        res,
        400,
        handoffsPage(viewer, {
          typed: { from: raw('from'), to: raw('to') },
          period: null,
          problem,
          rotations: [],
          listRows: LIST_ROWS,
          reader: { names: new Map() },
        }),
      );
    }
    const typed = parsed.success ? parsed.data : {};
    const loaded = await visibleHandoffs({ actor, viewer }, period, now);
    const reader = await kit.readerFor(
      actor.workspaceId,
      loaded
        .flatMap((r) => r.handoffs.slice(0, LIST_ROWS).flatMap((h) => [h.outgoingId, h.incomingId]))
        .filter((id): id is string => Boolean(id)),
    );
    kit.page(res, 200, handoffsPage(viewer, { typed, period, rotations: loaded, listRows: LIST_ROWS, reader }));
  });

  router.get('/export/handoffs.:format', async (req, res) => {
    const { actor, viewer } = kit.signed(res);
    const format = req.params.format;
    if (format !== 'csv' && format !== 'json')
      return kit.page(res, 404, problemPage('Not found', 'Exports of handoff notes are handoffs.csv and handoffs.json.', viewer));
    const parsed = exportSchema.safeParse(req.query);
    const now = services.clock.now();
    const period = parsed.success ? exportPeriod(parsed.data, toLocal(now, viewer.zone).date, PAGE_DAYS) : firstProblem(parsed.error);
    if (typeof period === 'string')
      return kit.page(res, 400, problemPage('Export not possible', `${period.charAt(0).toUpperCase()}${period.slice(1)}.`, viewer));
    const loaded = await visibleHandoffs({ actor, viewer }, period, now);
    const total = loaded.reduce((n, r) => n + r.handoffs.length, 0);
    // Whole or not at all, as the escalations' export: a cut-off file would look complete.
    if (total > kit.exportRows)
      return kit.page(
        res,
        400,
        problemPage(
          'Export not possible',
          `${total} handoffs took place in this period; an export holds at most ${kit.exportRows}. Choose a shorter period.`,
          viewer,
        ),
      );
    const ids = loaded.flatMap((r) =>
      r.handoffs.flatMap((h) => [h.outgoingId, h.incomingId, ...(h.note?.blockers.map((b) => b.userId) ?? [])]),
    );
    const reader = await kit.readerFor(
      actor.workspaceId,
      ids.filter((id): id is string => Boolean(id)),
    );
    // Oldest first within each rotation, rotations by name.
    const rows = loaded.flatMap((r) => [...r.handoffs].reverse().map((h) => exportedHandoff(r.rotation.name, h, reader)));
    log.info({ workspace: actor.workspaceId, user: actor.userId, format, rows: rows.length }, 'dashboard handoffs export');
    res.attachment(`steady-handoffs-${period.from}-to-${period.to}.${format}`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(handoffsCsv(rows));
    else res.type('application/json; charset=utf-8').send(handoffsJson(rows, period, viewer.zone, now));
  });
}
