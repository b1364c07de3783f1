import type { Express } from 'express';
import type { AdapterContext, PlatformAdapter } from '../../src/adapter';
import type { Config } from '../../src/config';
import { databaseDedupe } from '../../src/storage/inbound-events-repository';
import { EVENTS_PATH } from './app-config';
import { createBoltApp } from './bolt-app';
import { InFlight } from './in-flight';
import { listenToActions } from './inbound/actions';
import { listenToCommands } from './inbound/commands';
import { restoredInteraction, type InboundDeps } from './inbound/context';
import { listenToDirectMessages } from './inbound/direct-messages';
import { listenToHome } from './inbound/home';
import { listenToViews } from './inbound/views';
import { SingleTokenInstallation } from './installations';
import { slackRequestGuard } from './request-guard';
import { SlackApi } from './slack-api';
import { SlackPlatform } from './slack-platform';

export { SlackPlatform } from './slack-platform';

export type SlackConfig = NonNullable<Config['slack']>;

export interface SlackAdapter extends PlatformAdapter {
  readonly platform: SlackPlatform;
  /** Resolves once the work that followed every ack so far is done. */
  idle(): Promise<void>;
}

/**
 * The Slack adapter: checks the bot token with Slack, then translates what people do in Slack
 * into the core's events and renders the core's messages and forms as Block Kit. Over HTTP it
 * mounts `POST /slack/events` on Steady's server; with an app token it uses Socket Mode instead.
 */
export async function createSlackAdapter(config: SlackConfig, ctx: AdapterContext): Promise<SlackAdapter> {
  const log = ctx.log.child({ platform: 'slack' });
  const api = new SlackApi({ ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}), log, metrics: ctx.steady.metrics.platformCalls });
  const installations = await SingleTokenInstallation.verify({ api, db: ctx.db, clock: ctx.clock, log, token: config.botToken });
  const platform = new SlackPlatform({ api, installations, clock: ctx.clock, log, postsPerSecond: config.postsPerSecond });
  const work = new InFlight(log);
  const transport = createBoltApp({
    signingSecret: config.signingSecret,
    ...(config.appToken ? { appToken: config.appToken } : {}),
    api,
    installations,
    log,
  });
  const { app } = transport;
  const deps: InboundDeps = { steady: ctx.steady, platform, work, log, clock: ctx.clock, pressDedupe: databaseDedupe(ctx.db, ctx.clock) };
  ctx.steady.kept.restoreWith('slack', (kept) => restoredInteraction(deps, kept));
  listenToCommands(app, deps);
  listenToActions(app, deps);
  listenToViews(app, deps);
  listenToDirectMessages(app, deps);
  listenToHome(app, deps);

  let socketStarted = false;
  return {
    platform,
    mount(express: Express) {
      if (transport.kind !== 'http') return;
      express.post(EVENTS_PATH, slackRequestGuard({ signingSecret: config.signingSecret, log }));
      express.use(transport.receiver.router);
    },
    async start() {
      if (transport.kind !== 'socket') return;
      await app.start();
      socketStarted = true;
      log.info('connected to Slack in Socket Mode');
    },
    async stop() {
      // Bolt's stop() does not wait for the WebSocket's close handshake; the client's disconnect does.
      if (transport.kind === 'socket' && socketStarted) await transport.receiver.client.disconnect();
      socketStarted = false;
      await work.idle();
    },
    idle: () => work.idle(),
  };
}
