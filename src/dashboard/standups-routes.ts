import type { Router } from 'express';
import { z } from 'zod';
import { addDays, toLocal } from '../core/zoned-time';
import { countAnswersBetween, sessionsBetween } from '../storage/standup/sessions-repository';
import { exportPeriod, exportSchema, firstProblem, type Period } from './filters';
import { problemPage } from './pages';
import type { RouteKit } from './route-kit';
import { exportedAnswers, standupAnswersCsv, standupAnswersJson } from './standup-exports';
import { loadHeatMaps, visibleStandups, type VisibleStandup } from './standups-data';
import { standupsPage } from './standups-page';

/** The heat map's default period (the last 28 days, today included) and the longest it draws. */
export const DEFAULT_DAYS = 28;
export const MAX_PAGE_DAYS = 92;

/** `?standup=<id>`: one stand-up (its id, as the page's filter gives it), blank for all. */
const standupParam = z.object({
  standup: z
    .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().trim().optional())
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^\d{1,18}$/.test(v), { error: 'stand-up must be chosen from the list' }),
});

/** The page's dates with the defaults filled in, or the sentence saying why they cannot be used. */
export function pagePeriod(p: { from?: string | undefined; to?: string | undefined }, today: string): Period | string {
  const to = p.to ?? (p.from && p.from > today ? p.from : today);
  const from = p.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) return '"from" must be on or before "to"';
  if (addDays(from, MAX_PAGE_DAYS) <= to)
    return `the page shows at most ${MAX_PAGE_DAYS} days: choose a shorter period (an export covers up to a year)`;
  return { from, to };
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * GET /dashboard/standups and /dashboard/export/standups.(csv|json), behind the router's session
 * check. Who sees which stand-up is visibleStandups' rule (standups-data.ts); the workspace is the
 * session's, never the address's.
 */
export function mountStandupRoutes(router: Router, kit: RouteKit): void {
  const { services, signed, page } = kit;

  /** The chosen stand-up among those visible (none when the id is not one of them), or all of them. */
  const chosen = (visible: readonly VisibleStandup[], id: string | undefined) =>
    id === undefined ? visible : visible.filter((v) => v.standup.id === id);

  router.get('/standups', async (req, res) => {
    const { actor, viewer } = signed(res);
    const now = services.clock.now();
    const today = toLocal(now, viewer.zone).date;
    const dates = exportSchema.safeParse(req.query);
    const which = standupParam.safeParse(req.query);
    const standupId = which.success ? which.data.standup : undefined;
    const visible = await visibleStandups(services, actor);
    const shown = chosen(visible, standupId);
    const period = dates.success ? pagePeriod(dates.data, today) : firstProblem(dates.error);
    const problem =
      typeof period === 'string'
        ? period
        : !which.success
          ? firstProblem(which.error)
          : standupId && shown.length === 0
            ? 'there is no such stand-up among those you can see'
            : undefined;
    // With a problem, no map: the form keeps the dates that were written well, the defaults for the others.
    const typed: { from?: string | undefined; to?: string | undefined } = dates.success ? dates.data : {};
    const defaults = pagePeriod({}, today) as Period;
    const { from, to } = typeof period === 'string' ? { from: typed.from ?? defaults.from, to: typed.to ?? defaults.to } : period;
    const maps = problem
      ? []
      : await loadHeatMaps(
          services,
          shown.map((v) => v.standup),
          from,
          to,
          now,
        );
    const reader = await kit.readerFor(
      actor.workspaceId,
      maps.flatMap((m) => m.rows.map((r) => r.userId)),
    );
    page(
      res,
      problem ? 400 : 200,
      standupsPage(viewer, {
        from,
        to,
        ...(standupId ? { standupId } : {}),
        ...(problem ? { problem: `${capitalised(problem)}.` } : {}),
        visible,
        maps,
        reader,
      }),
    );
  });

  router.get('/export/standups.:format', async (req, res) => {
    const { actor, viewer } = signed(res);
    const format = req.params.format;
    if (format !== 'csv' && format !== 'json')
      return page(res, 404, problemPage('Not found', 'Exports are standups.csv and standups.json.', viewer));
    const now = services.clock.now();
    const dates = exportSchema.safeParse(req.query);
    const which = standupParam.safeParse(req.query);
    const period = !dates.success
      ? firstProblem(dates.error)
      : !which.success
        ? firstProblem(which.error)
        : exportPeriod(dates.data, toLocal(now, viewer.zone).date);
    if (typeof period === 'string') return page(res, 400, problemPage('Export not possible', `${capitalised(period)}.`, viewer));
    const standupId = which.success ? which.data.standup : undefined;
    const shown = chosen(await visibleStandups(services, actor), standupId);
    if (standupId && shown.length === 0)
      return page(res, 404, problemPage('Not found', 'There is no such stand-up among those you can see.', viewer));
    const ids = shown.map((v) => v.standup.id);
    // An export is whole or not at all: a cut-off file would look complete.
    const total = await countAnswersBetween(services.db, ids, period.from, period.to);
    if (total > kit.exportRows)
      return page(
        res,
        400,
        problemPage(
          'Export not possible',
          `${total} answers were given in this period; an export holds at most ${kit.exportRows}. Choose a shorter period or one stand-up.`,
          viewer,
        ),
      );
    const sessions = await sessionsBetween(services.db, ids, period.from, period.to, { answered: true });
    const reader = await kit.readerFor(
      actor.workspaceId,
      sessions.map((s) => s.userId),
    );
    const rows = shown.flatMap((v) =>
      exportedAnswers(
        v.standup,
        sessions.filter((s) => s.standupId === v.standup.id),
        reader,
      ),
    );
    kit.log.info({ workspace: actor.workspaceId, user: actor.userId, format, rows: rows.length }, 'dashboard stand-up export');
    res.attachment(`steady-standup-answers-${period.from}-to-${period.to}.${format}`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(standupAnswersCsv(rows));
    else res.type('application/json; charset=utf-8').send(standupAnswersJson(rows, period, now));
  });
}
