import { InstallProvider } from '@slack/oauth';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../../../db/schema';
import type { SlackOAuthConfig } from '../settings';
import type { Clock } from '../../../src/core/clock';
import { errorMessage } from '../../../src/core/errors';
import { requiredScopes } from '../app-config';
import { boltLogger } from '../bolt-logger';
import type { SlackApi } from '../slack-api';
import { DatabaseInstallationStore } from './installation-store';
import { failurePage, installPage, INSTALL_PATH, REDIRECT_PATH, successPage } from './install-pages';
import { SignedStateStore, STATE_TTL_MS } from './state-store';
import { StoredInstallations } from './stored-installations';
import { parseKey, TokenCipher } from './token-cipher';

export { INSTALL_PATH, REDIRECT_PATH } from './install-pages';
export { StoredInstallations } from './stored-installations';

export interface SlackOAuth {
  readonly installations: StoredInstallations;
  /** GET /slack/install and GET /slack/oauth_redirect on Steady's HTTP server. */
  mount(express: Express): void;
}

/**
 * Slack OAuth distribution: Bolt's installer (@slack/oauth's InstallProvider) serves the install
 * and redirect pages, with Steady's state store (signed, dated by Steady's clock) and installation
 * store (the database, tokens sealed). Tokens sealed with an older key are sealed again at start.
 */
export async function createSlackOAuth(
  config: SlackOAuthConfig,
  deps: { readonly api: SlackApi; readonly db: Db; readonly clock: Clock; readonly log: Logger },
): Promise<SlackOAuth> {
  const log = deps.log.child({ component: 'oauth' });
  const cipher = new TokenCipher(key(config.encryptionKey), config.oldEncryptionKeys.map(key));
  const installations = new StoredInstallations({ ...deps, log, cipher, clientId: config.clientId, clientSecret: config.clientSecret });
  await installations.resealWithCurrentKey();
  const installer = new InstallProvider({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    stateStore: new SignedStateStore(config.stateSecret, deps.clock),
    stateCookieExpirationSeconds: STATE_TTL_MS / 1000,
    installationStore: new DatabaseInstallationStore({ db: deps.db, clock: deps.clock, cipher, installations }),
    installUrlOptions: { scopes: requiredScopes(), ...(config.redirectUrl ? { redirectUri: config.redirectUrl } : {}) },
    renderHtmlForInstallPath: installPage,
    logger: boltLogger(log),
    // A code is good once: the exchange is never retried.
    clientOptions: { ...(deps.api.apiUrl ? { slackApiUrl: deps.api.apiUrl } : {}), retryConfig: { retries: 0 } },
  });
  return {
    installations,
    mount(express: Express) {
      express.get(INSTALL_PATH, (req, res) => {
        installer.handleInstallPath(req, res).catch((err: unknown) => {
          log.error({ err: errorMessage(err) }, 'could not start a Slack install');
          if (!res.headersSent) res.status(500).type('text/plain').send('Steady could not start the install; its log says why.');
        });
      });
      express.get(REDIRECT_PATH, (req, res) => {
        void installer.handleCallback(req, res, {
          success: (installation, _options, _req, response) => {
            log.info(
              { team: installation.team?.id, enterprise: installation.enterprise?.id, orgWide: installation.isEnterpriseInstall === true },
              'Slack install completed',
            );
            successPage(response, installation);
          },
          failure: (err, _options, _req, response) => {
            log.warn({ code: err.code, err: err.message }, 'a Slack install was refused or failed');
            failurePage(response, err);
          },
        });
      });
    },
  };
}

function key(text: string): Buffer {
  const parsed = parseKey(text);
  if (!parsed) throw new Error('SLACK_TOKEN_ENCRYPTION_KEY must be 32 bytes in base64');
  return parsed;
}
