import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import { ping } from '../storage/database';
import { isMigrated, migrationsOf, type Migrations } from '../storage/migrate';
import { systemClock, type Clock } from '../core/clock';
import { createMetrics, type SteadyMetrics } from '../metrics/registry';
import { readDatabaseFigures, type DatabaseFigures } from './metrics';
import { HOME_PAGE, PRIVACY_PAGE, TERMS_PAGE } from './legal-pages';

/**
 * Steady's one HTTP server. Platform adapters mount their endpoints on it (each on paths of its own);
 * it answers the health checks a container orchestrator asks for, and serves the privacy and terms
 * pages a platform's app package links to.
 */
export interface HttpDeps {
  readonly db: Db;
  readonly log: Logger;
  readonly clock?: Clock;
  /** The process's metrics (main.ts makes one for the scheduler, the adapters and this server); a new one when absent. */
  readonly metrics?: SteadyMetrics;
  /** METRICS_TOKEN: when set, /metrics asks for `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** What /readyz waits for: the core's and every platform's migrations (the core's alone when absent). */
  readonly migrations?: Migrations;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  const migrations = deps.migrations ?? migrationsOf([]);
  const metrics = deps.metrics ?? createMetrics();
  app.disable('x-powered-by');
  app.use(observeRequests(metrics, deps.log.child({ component: 'http' })));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });
  // A platform's app package links to these by default (see legal-pages.ts).
  app.get('/', (_req, res) => {
    res.type('html').send(HOME_PAGE);
  });
  app.get('/privacy', (_req, res) => {
    res.type('html').send(PRIVACY_PAGE);
  });
  app.get('/terms', (_req, res) => {
    res.type('html').send(TERMS_PAGE);
  });
  app.get('/readyz', async (_req, res) => {
    const reachable = await ping(deps.db);
    const migrated = reachable && (await isMigrated(deps.db, migrations).catch(() => false));
    if (!reachable || !migrated) {
      deps.log.warn({ reachable, migrated }, 'not ready');
      res.status(503).json({ status: 'not ready', database: reachable ? 'reachable' : 'unreachable', migrated });
      return;
    }
    res.json({ status: 'ready', database: 'reachable', migrated: true });
  });
  app.get('/metrics', bearerToken(deps.metricsToken), async (_req, res) => {
    let figures: DatabaseFigures | undefined;
    try {
      figures = await readDatabaseFigures(deps.db, (deps.clock ?? systemClock).now());
    } catch (err) {
      // The process's own figures are still worth scraping; steady_metrics_database_up says what is missing.
      deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics could not be read from the database');
    }
    res.type(metrics.contentType).send(await metrics.render(figures));
  });
  return app;
}

/**
 * Counts every request when its answer is finished, labelled with the route pattern that matched
 * (`/metrics`, an adapter's endpoint), never the URL itself: a URL carries ids and whatever a scanner
 * tries, which would make a series per request. Requests no route matched count as `unmatched`.
 *
 * Each request is also logged at debug with the same labels, its duration and a correlation id
 * (a proxy's `X-Request-Id` when it is a plain short id, else a new one; answered in
 * `X-Request-Id` either way). The route pattern keeps the query string out: a dashboard sign-in
 * link carries its token there. No header and no body is logged.
 */
function observeRequests(metrics: SteadyMetrics, log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const given = req.get('x-request-id');
    const correlationId = given && REQUEST_ID.test(given) ? given : randomUUID().slice(0, 8);
    res.locals.correlationId = correlationId;
    res.set('X-Request-Id', correlationId);
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const method = methodLabel(req.method);
      const route = routeOf(req);
      metrics.observeRequest({ method, route, status: res.statusCode, seconds });
      log.debug({ method, route, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10, correlationId }, 'request');
    });
    next();
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/**
 * With a token, only `Authorization: Bearer <token>` passes; anything else gets a bare 401. Both
 * sides are hashed first, so the comparison takes the same time whatever the length or the content
 * of what was sent. The token itself is never logged.
 */
function bearerToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = createHash('sha256').update(token, 'utf8').digest();
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
    const matches = timingSafeEqual(createHash('sha256').update(given, 'utf8').digest(), expected);
    if (given === '' || !matches) {
      res.status(401).set('WWW-Authenticate', 'Bearer').end();
      return;
    }
    next();
  };
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
