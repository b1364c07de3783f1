import express, { type Express, type Request, type Response } from 'express';
import type { AdapterContext, PlatformAdapter } from '../../src/adapter';
import { isLoopback } from '../../src/config';
import { errorMessage } from '../../src/core/errors';
import { AuthenticatingTeamsAdapter } from './authenticating-adapter';
import { createBot } from './bot';
import { restoredInteraction } from './inbound/interactions';
import { TeamsConnector } from './connector';
import { TeamsDelivery } from './teams-delivery';
import { TeamsForms } from './teams-forms';
import type { TeamsConfig } from './settings';
import { TeamsPlatform } from './teams-platform';

export { TeamsPlatform } from './teams-platform';

export type { TeamsConfig } from './settings';

/**
 * The Microsoft Teams adapter: a teams-ai Application (no AI planner) over botbuilder's
 * CloudAdapter, on Steady's HTTP server at POST /api/messages. Every Teams and Bot Framework import
 * lives in this folder, so moving to teams-ai's successor changes this folder only.
 */
export async function createTeamsAdapter(config: TeamsConfig, ctx: AdapterContext & { readonly host: string }): Promise<PlatformAdapter> {
  const log = ctx.log.child({ adapter: 'teams' });
  if (!config.authenticated) {
    if (!isLoopback(ctx.host)) throw new Error(`TEAMS_AUTH=off is only allowed on a loopback HOST (got "${ctx.host}")`);
    log.warn(
      'TEAMS_AUTH=off: requests to /api/messages are not authenticated and replies carry no token. For local testing only, never in production.',
    );
  }
  const botAdapter = new AuthenticatingTeamsAdapter(
    config.authenticated
      ? {
          MicrosoftAppType: config.appType,
          ...(config.appId ? { MicrosoftAppId: config.appId } : {}),
          ...(config.password ? { MicrosoftAppPassword: config.password } : {}),
          ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
        }
      : {},
  );
  const appId = config.authenticated ? config.appId : undefined;
  const connector = new TeamsConnector(botAdapter, appId ?? '', ctx.clock, log, ctx.steady.metrics.platformCalls);
  const delivery = new TeamsDelivery(ctx.db, connector, ctx.clock, log);
  const platform = new TeamsPlatform({ db: ctx.db, clock: ctx.clock, log, delivery });
  const forms = new TeamsForms({ db: ctx.db, clock: ctx.clock, log, delivery, dispatcher: () => ctx.steady.dispatcher });
  ctx.steady.kept.restoreWith('teams', (kept) => restoredInteraction({ platform, forms, log }, kept));
  const bot = createBot({
    adapter: botAdapter,
    appId,
    steady: ctx.steady,
    db: ctx.db,
    clock: ctx.clock,
    log,
    platform,
    delivery,
    connector,
    forms,
    ...(config.appType === 'SingleTenant' && config.tenantId ? { onlyTenant: config.tenantId } : {}),
  });

  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();
  const handle = async (req: Request, res: Response) => {
    if (stopping) {
      res.status(503).set('Retry-After', '5').end();
      return;
    }
    const turn = botAdapter.process(req, res, async (context) => {
      try {
        await bot.run(context);
      } catch (err) {
        log.error({ type: context.activity?.type, err: errorMessage(err) }, 'could not handle a Teams activity');
        // The Bot Framework sees a 500 (and may retry, which the dedupe absorbs), never our details.
        throw new Error('Steady could not handle this activity');
      }
    });
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  };

  return {
    platform,
    mount(app: Express) {
      app.post('/api/messages', express.json({ limit: '1mb' }), (req, res, next) => {
        handle(req, res).catch(next);
      });
    },
    async start() {
      log.info({ authenticated: config.authenticated, appType: config.appType }, 'Teams adapter ready at POST /api/messages');
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}
