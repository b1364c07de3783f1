import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import { ping } from '../storage/database';
import { isMigrated } from '../storage/migrate';
import { systemClock, type Clock } from '../core/clock';
import { deliveryMetrics } from './metrics';
import { HOME_PAGE, PRIVACY_PAGE, TERMS_PAGE } from './legal-pages';

/**
 * Steady's one HTTP server. Platform adapters mount their endpoints on it (`/slack/events`,
 * `/api/messages`); it answers the health checks a container orchestrator asks for, and serves the
 * privacy and terms pages a Teams app links to.
 */
export function createHttpApp(deps: { readonly db: Db; readonly log: Logger; readonly clock?: Clock }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });
  // The Teams app package links to these by default (see scripts/package-teams.ts).
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
    const migrated = reachable && (await isMigrated(deps.db).catch(() => false));
    if (!reachable || !migrated) {
      deps.log.warn({ reachable, migrated }, 'not ready');
      res.status(503).json({ status: 'not ready', database: reachable ? 'reachable' : 'unreachable', migrated });
      return;
    }
    res.json({ status: 'ready', database: 'reachable', migrated: true });
  });
  app.get('/metrics', async (_req, res) => {
    try {
      const text = await deliveryMetrics(deps.db, (deps.clock ?? systemClock).now());
      res.type('text/plain; version=0.0.4').send(text);
    } catch (err) {
      deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics could not be read');
      res.status(503).type('text/plain').send('# the database cannot be reached\n');
    }
  });
  return app;
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
