import { App, ExpressReceiver, SocketModeReceiver, type Authorize } from '@slack/bolt';
import type { Logger } from 'pino';
import { errorMessage } from '../../src/core/errors';
import { EVENTS_PATH } from './app-config';
import { boltLogger } from './bolt-logger';
import type { InstallationLookup } from './installations';
import type { SlackApi } from './slack-api';

export interface BoltOptions {
  readonly signingSecret: string;
  /** Socket Mode instead of HTTP when set. */
  readonly appToken?: string;
  readonly api: SlackApi;
  readonly installations: InstallationLookup;
  readonly log: Logger;
}

/**
 * Bolt owns the transport: signature and timestamp checks (a forged or stale request gets 401),
 * url_verification, parsing, acks, and Socket Mode. Over HTTP its express router is mounted on
 * Steady's own server, next to the health checks and the Teams endpoint.
 */
export type BoltTransport =
  | { readonly kind: 'http'; readonly app: App; readonly receiver: ExpressReceiver }
  | { readonly kind: 'socket'; readonly app: App; readonly receiver: SocketModeReceiver };

export function createBoltApp(options: BoltOptions): BoltTransport {
  const logger = boltLogger(options.log.child({ component: 'bolt' }));
  const authorize: Authorize<boolean> = async (source) => {
    const installation = await options.installations.admit(source.teamId, source.enterpriseId);
    if (!installation)
      throw new Error(`Steady is not installed for team ${source.teamId ?? '?'} (enterprise ${source.enterpriseId ?? 'none'})`);
    return {
      botToken: installation.botToken,
      botUserId: installation.botUserId,
      ...(installation.botId ? { botId: installation.botId } : {}),
      ...(source.teamId ? { teamId: source.teamId } : {}),
      ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
    };
  };
  // Bolt's own client is used only by Socket Mode (apps.connections.open), with Bolt's retries;
  // everything Steady sends goes through SlackApi, which never retries by itself.
  const clientOptions = options.api.apiUrl ? { slackApiUrl: options.api.apiUrl } : {};
  const common = { authorize, logger, clientOptions, convoStore: false as const };
  if (options.appToken) {
    const receiver = new SocketModeReceiver({ appToken: options.appToken, logger, installerOptions: { clientOptions } });
    const app = new App({ ...common, receiver });
    onError(app, options.log);
    return { kind: 'socket', app, receiver };
  }
  const receiver = new ExpressReceiver({
    signingSecret: options.signingSecret,
    endpoints: EVENTS_PATH,
    logger,
    processBeforeResponse: false,
  });
  const app = new App({ ...common, receiver });
  onError(app, options.log);
  return { kind: 'http', app, receiver };
}

function onError(app: App, log: Logger): void {
  app.error(async (err) => {
    log.error({ err: errorMessage(err), code: (err as { code?: string }).code }, 'Bolt could not handle a Slack request');
  });
}
