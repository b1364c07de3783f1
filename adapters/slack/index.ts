import type { Express } from 'express';
import type { AdapterContext, PlatformAdapter } from '../../src/adapter';
import { databaseDedupe } from '../../src/storage/inbound-events-repository';
import { EVENTS_PATH } from './app-config';
import { createBoltApp } from './bolt-app';
import { InFlight } from './in-flight';
import { listenToActions } from './inbound/actions';
import { listenToCommands } from './inbound/commands';
import { restoredInteraction, type InboundDeps } from './inbound/context';
import { listenToDirectMessages } from './inbound/direct-messages';
import { listenToHome } from './inbound/home';
import { listenToUninstall, type Uninstall } from './inbound/uninstall';
import { listenToViews } from './inbound/views';
import { findInstallation, teamsOfEnterprise } from './installation-repository';
import { SingleTokenInstallation, type InstallationLookup } from './installations';
import { createSlackOAuth, type SlackOAuth } from './oauth';
import { slackRequestGuard } from './request-guard';
import { SlackApi } from './slack-api';
import type { SlackConfig } from './settings';
import { SlackPlatform } from './slack-platform';

export { SlackPlatform } from './slack-platform';

export type { SlackConfig, SlackOAuthConfig } from './settings';

export interface SlackAdapter extends PlatformAdapter {
  readonly platform: SlackPlatform;
  /** Resolves once the work that followed every ack so far is done. */
  idle(): Promise<void>;
}

/**
 * The Slack adapter: in single-token mode checks the bot token with Slack; with OAuth distribution
 * serves /slack/install and /slack/oauth_redirect and finds each workspace's token in the database.
 * Then it translates what people do in Slack
 * into the core's events and renders the core's messages and forms as Block Kit. Over HTTP it
 * mounts `POST /slack/events` on Steady's server; with an app token it uses Socket Mode instead.
 */
export async function createSlackAdapter(config: SlackConfig, ctx: AdapterContext): Promise<SlackAdapter> {
  const log = ctx.log.child({ platform: 'slack' });
  const api = new SlackApi({ ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}), log, metrics: ctx.steady.metrics.platformCalls });
  const oauth = config.oauth ? await createSlackOAuth(config.oauth, { api, db: ctx.db, clock: ctx.clock, log }) : undefined;
  const installations: InstallationLookup = oauth
    ? oauth.installations
    : await SingleTokenInstallation.verify({ api, db: ctx.db, clock: ctx.clock, log, token: config.botToken ?? '' });
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
  listenToUninstall(app, {
    steady: ctx.steady,
    work,
    log,
    uninstall: oauth ? oauthUninstall(oauth, ctx) : singleTokenUninstall(installations as SingleTokenInstallation, ctx, log),
  });

  let socketStarted = false;
  return {
    platform,
    mount(express: Express) {
      oauth?.mount(express);
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

/** OAuth: the stored tokens of the workspace (or org) are deleted. */
function oauthUninstall(oauth: SlackOAuth, ctx: AdapterContext): Uninstall {
  return async (removal, revokedBotUsers) => {
    const id = removal.orgWide ? removal.enterpriseId : removal.teamId;
    if (!id) return [];
    const installation = await findInstallation(ctx.db, id);
    if (!installation || (revokedBotUsers && !revokedBotUsers.includes(installation.bot_user_id))) return [];
    await oauth.installations.uninstall(id);
    return removal.orgWide ? teamsOfEnterprise(ctx.db, id) : [id];
  };
}

/** Single-token mode: SLACK_BOT_TOKEN no longer works, which only its operator can fix. */
function singleTokenUninstall(single: SingleTokenInstallation, ctx: AdapterContext, log: AdapterContext['log']): Uninstall {
  return async (removal, revokedBotUsers) => {
    const mine = single.installation;
    const ours = mine.isEnterpriseInstall ? removal.enterpriseId === mine.enterpriseId : removal.teamId === mine.teamId;
    if (!ours || (revokedBotUsers && !revokedBotUsers.includes(mine.botUserId))) return [];
    log.error('Steady was removed from its Slack workspace: SLACK_BOT_TOKEN no longer works. Reinstall the app and set the new token.');
    if (!mine.isEnterpriseInstall) return [mine.teamId!];
    const workspaces = await ctx.db.selectFrom('workspaces').select('id').where('platform', '=', 'slack').execute();
    return workspaces.map((w) => w.id.slice('slack:'.length));
  };
}
