import { Router, type NextFunction, type Request, type Response } from 'express';
import type { CoreServices } from '../core/services';
import type { Actor } from '../core/refs';
import { FORMER_MEMBER_ID, FORMER_MEMBER_NAME } from '../core/former-member';
import { toLocal } from '../core/zoned-time';
import { listEvents } from '../storage/escalation/events-repository';
import { findEscalationByNumber } from '../storage/escalation/escalations-repository';
import { parseReference } from '../escalation/reference';
import { findEscalationsFor, ownersOf, timelinesOf } from './escalation-queries';
import { exportCsv, exportJson, exported } from './exports';
import { auditExport } from './audit-export';
import { exportPeriod, exportSchema, filtersSchema, firstProblem, toQuery, type Filters } from './filters';
import type { Html } from './html';
import { checkToken, hashToken, looksLikeToken } from './links';
import { escalationPage, escalationsPage, problemPage, signedOutPage, type SignedOutReason, type Viewer } from './pages';
import { loadOverview } from './overview-data';
import { overviewPage } from './overview-page';
import { userIdsIn, type Reader } from './rich-html';
import { DASHBOARD_CSS } from './style';
import { eventText } from '../escalation/messages/timeline';
import { mayManage } from '../standup/permissions';
import { mountStandupRoutes } from './standups-routes';
import { exportNext } from './export-command';
import { mountHandoffRoutes } from './handoffs-routes';

export const SESSION_COOKIE = 'steady_session';

/** Sent with every /dashboard response. No script at all; styles only from our own sheet. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** The escalations page shows at most this many rows; an export at most this many escalations. */
const PAGE_ROWS = 200;
const EXPORT_ROWS = 10_000;

/** All of them: the overview asks the stand-ups' own rule (mayManage) who may see missed days. */
type Services = CoreServices;

interface Signed {
  readonly actor: Actor;
  readonly viewer: Viewer;
}

/**
 * The dashboard, mounted at /dashboard. A sign-in link's token becomes an HttpOnly cookie and the
 * browser is sent on to /dashboard so the token leaves the address bar; every other page needs the
 * cookie and reads the workspace from it alone. Who sees what follows chat: every member of a
 * workspace may read any of its escalations there (`/escalate show ESC-12`, `/escalate list all`),
 * so a session sees every escalation of its own workspace, and an admin is told they see all of it.
 */
export function dashboardRouter(services: Services, options: { readonly exportRows?: number } = {}): Router {
  const router = Router();
  const exportRows = options.exportRows ?? EXPORT_ROWS;
  const log = services.log.child({ component: 'dashboard' });
  const secure = !services.publicUrl?.startsWith('http://');

  router.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });

  const page = (res: Response, status: number, body: Html) => res.status(status).type('html').send(body.text);

  const refuse = (res: Response, why: SignedOutReason) => {
    res.clearCookie(SESSION_COOKIE, { path: '/dashboard', httpOnly: true, secure, sameSite: 'lax' });
    page(res, 401, signedOutPage(why));
  };

  router.get('/static/dashboard.css', (_req, res) => {
    res.type('text/css').send(DASHBOARD_CSS);
  });

  // The token is in the query string here only: it is never logged, and the answer sends the browser on.
  router.get('/signin', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const session = await checkToken(services.db, token, services.clock.now());
    if (!session.ok) {
      log.info({ why: session.why }, 'dashboard sign-in refused');
      return refuse(res, session.why);
    }
    log.info({ workspace: session.actor.workspaceId, user: session.actor.userId }, 'dashboard sign-in');
    res.cookie(SESSION_COOKIE, token!, {
      path: '/dashboard',
      httpOnly: true,
      secure,
      // Lax, not Strict: the link is clicked in the chat platform, another site, and a Strict cookie
      // would not come with the redirect to /dashboard. Every page is a GET that changes nothing;
      // the one POST (sign out) gets no cookie from another site under Lax either.
      sameSite: 'lax',
      maxAge: Math.max(0, session.expiresAt.getTime() - services.clock.now().getTime()),
    });
    // A link from /steady export goes on to its export; any other `next` is ignored (no open redirect).
    res.redirect(303, exportNext(req.query.next) ?? '/dashboard');
  });

  // Everything below needs a live session.
  router.use(async (req, res, next) => {
    const token = cookieOf(req, SESSION_COOKIE);
    if (token === undefined) return refuse(res, 'missing');
    const session = await checkToken(services.db, token, services.clock.now());
    if (!session.ok) return refuse(res, session.why);
    const { actor } = session;
    const [isAdmin, zone, name] = await Promise.all([
      services.admins.isAdmin(actor),
      services.people.zoneOf(actor.workspaceId, actor.userId),
      services.people.displayName(actor.workspaceId, actor.userId).catch(() => actor.userId),
    ]);
    res.locals.signed = { actor, viewer: { name, isAdmin, zone, expiresAt: session.expiresAt } } satisfies Signed;
    next();
  });
  const signed = (res: Response) => res.locals.signed as Signed;

  router.post('/signout', async (req, res) => {
    const token = cookieOf(req, SESSION_COOKIE);
    if (looksLikeToken(token))
      await services.db
        .updateTable('dashboard_links')
        .set({ revoked_at: services.clock.now() })
        .where('token_hash', '=', hashToken(token))
        .execute();
    refuse(res, 'signed-out');
  });

  const readerFor = async (workspaceId: string, ids: readonly string[]): Promise<Reader> => {
    const people = await services.people.known(workspaceId, [...new Set(ids)]);
    return {
      names: new Map([[FORMER_MEMBER_ID, FORMER_MEMBER_NAME], ...[...people].map(([id, p]): [string, string] => [id, p.displayName])]),
    };
  };

  router.get('/', async (_req, res) => {
    const { actor, viewer } = signed(res);
    const ws = actor.workspaceId;
    const overview = await loadOverview(services.db, ws, services.clock.now(), await services.people.workspaceZone(ws));
    const { figures } = overview;
    // Who missed most days: only for the stand-ups this person may manage, as the digest's preview decides.
    const showMissedFor = new Set<string>();
    for (const s of figures.standups) if (await mayManage(services, actor, s.standup)) showMissedFor.add(s.standup.id);
    const ids = [
      ...figures.escalations.decisions.map((d) => d.ownerId),
      ...figures.standups.filter((s) => showMissedFor.has(s.standup.id)).flatMap((s) => s.mostMissed?.userIds ?? []),
    ];
    page(res, 200, overviewPage(viewer, { overview, showMissedFor, reader: await readerFor(ws, ids) }));
  });

  router.get('/escalations', async (req, res) => {
    const { actor, viewer } = signed(res);
    const ws = actor.workspaceId;
    const parsed = filtersSchema.safeParse(req.query);
    const filters: Partial<Filters> = parsed.success ? parsed.data : {};
    const [{ items, total }, owners] = await Promise.all([
      parsed.success
        ? findEscalationsFor(services.db, toQuery(ws, filters, viewer.zone), PAGE_ROWS)
        : Promise.resolve({ items: [], total: 0 }),
      ownersOf(services.db, ws),
    ]);
    const reader = await readerFor(ws, [...owners, ...items.map((e) => e.ownerId)]);
    const view = {
      filters,
      items,
      total,
      owners,
      reader,
      now: services.clock.now(),
      ...(parsed.success ? {} : { problem: firstProblem(parsed.error) }),
    };
    page(res, parsed.success ? 200 : 400, escalationsPage(viewer, view));
  });

  router.get('/escalations/:reference', async (req, res) => {
    const { actor, viewer } = signed(res);
    const number = parseReference(String(req.params.reference));
    const e = number === undefined ? undefined : await findEscalationByNumber(services.db, actor.workspaceId, number);
    if (!e)
      return page(
        res,
        404,
        problemPage('Not found', `There is no ${String(req.params.reference).slice(0, 40)} in this workspace.`, viewer),
      );
    const now = services.clock.now();
    const events = await listEvents(services.db, e.id);
    const ids = [e.ownerId, e.raiserId, e.createdBy, e.acknowledgedBy, e.resolvedBy, e.cancelledBy].filter((id): id is string =>
      Boolean(id),
    );
    const reader = await readerFor(actor.workspaceId, [...ids, ...userIdsIn(events.map((ev) => eventText(ev, viewer.zone)))]);
    page(res, 200, escalationPage(viewer, e, events, reader, now));
  });

  router.get('/export/escalations.:format', async (req, res) => {
    const { actor, viewer } = signed(res);
    const format = req.params.format;
    if (format !== 'csv' && format !== 'json')
      return page(res, 404, problemPage('Not found', 'Exports are escalations.csv and escalations.json.', viewer));
    const parsed = exportSchema.safeParse(req.query);
    const now = services.clock.now();
    const period = parsed.success ? exportPeriod(parsed.data, toLocal(now, viewer.zone).date) : firstProblem(parsed.error);
    if (typeof period === 'string') return page(res, 400, problemPage('Export not possible', `${capitalised(period)}.`, viewer));
    const { items, total } = await findEscalationsFor(services.db, toQuery(actor.workspaceId, period, viewer.zone), exportRows);
    // An export is whole or not at all: a cut-off file would look complete.
    if (total > items.length)
      return page(
        res,
        400,
        problemPage(
          'Export not possible',
          `${total} escalations were raised in this period; an export holds at most ${exportRows}. Choose a shorter period.`,
          viewer,
        ),
      );
    const ordered = [...items].reverse();
    const timelines = await timelinesOf(
      services.db,
      ordered.map((e) => e.id),
    );
    const ids = ordered.flatMap((e) => [
      e.ownerId,
      e.raiserId,
      ...userIdsIn((timelines.get(e.id) ?? []).map((ev) => eventText(ev, viewer.zone))),
    ]);
    const reader = await readerFor(actor.workspaceId, ids);
    const rows = ordered.map((e) => exported(e, timelines.get(e.id) ?? [], reader, viewer.zone));
    log.info({ workspace: actor.workspaceId, user: actor.userId, format, rows: rows.length }, 'dashboard export');
    const filename = `steady-escalations-${period.from}-to-${period.to}.${format}`;
    res.attachment(filename);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(exportCsv(rows));
    else res.type('application/json; charset=utf-8').send(exportJson(rows, period, viewer.zone, now));
  });

  // The stand-ups and handoffs pages with their exports; who sees which is decided in their *-data.ts.
  const kit = { services, log, exportRows, signed, page, readerFor };
  mountStandupRoutes(router, kit);
  mountHandoffRoutes(router, kit);

  // Workspace admins only (the handler checks): the audit trail's export.
  router.get('/export/audit.:format', (req, res) => auditExport(services, req, res, signed(res)));

  router.use((_req: Request, res: Response) => {
    page(res, 404, problemPage('Not found', 'There is no such page on the dashboard.', (res.locals.signed as Signed | undefined)?.viewer));
  });

  // Express 5 passes a rejected handler here. The URL is not logged: a sign-in URL carries a token.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'dashboard page failed');
    if (!res.headersSent) page(res, 500, problemPage('Something went wrong', 'The page could not be made. Try again in a moment.'));
  });

  return router;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One cookie's value from the Cookie header (no parser dependency for one name). */
export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
