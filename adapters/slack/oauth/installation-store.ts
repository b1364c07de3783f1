import type { Installation as BoltInstallation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Db } from '../../../db/schema';
import type { Clock } from '../../../src/core/clock';
import { nameWorkspace, saveOAuthInstallation } from '../installation-repository';
import { tokenFingerprint } from '../installations';
import { workspaceId } from '../refs';
import type { StoredInstallations } from './stored-installations';
import type { TokenCipher } from './token-cipher';

/**
 * Bolt's InstallationStore over Steady's database: what the installer (/slack/oauth_redirect)
 * stores, and what Bolt's own helpers fetch. Tokens are sealed before they reach a row. Only the
 * bot token is kept: Steady asks for no user scopes, so the installer's user token is not stored.
 */
export class DatabaseInstallationStore implements InstallationStore {
  constructor(
    private readonly deps: {
      readonly db: Db;
      readonly clock: Clock;
      readonly cipher: TokenCipher;
      readonly installations: StoredInstallations;
    },
  ) {}

  async storeInstallation(installation: BoltInstallation): Promise<void> {
    const bot = installation.bot;
    if (!bot?.token) throw new Error('Slack granted no bot token: the app must ask for bot scopes');
    const orgWide = installation.isEnterpriseInstall === true;
    const id = orgWide ? installation.enterprise?.id : installation.team?.id;
    if (!id) throw new Error(orgWide ? 'an org-wide install without an enterprise id' : 'an install without a team id');
    const { cipher, clock } = this.deps;
    const now = clock.now();
    // @slack/oauth dates the expiry by the wall clock (now + expires_in); Steady's clock may be another.
    const expiresAt =
      bot.refreshToken && bot.expiresAt ? new Date(now.getTime() + (bot.expiresAt - Math.floor(Date.now() / 1000)) * 1000) : null;
    await this.deps.db.transaction().execute(async (trx) => {
      await saveOAuthInstallation(
        trx,
        {
          id,
          team_id: orgWide ? null : (installation.team?.id ?? null),
          team_name: orgWide ? (installation.enterprise?.name ?? null) : (installation.team?.name ?? null),
          enterprise_id: installation.enterprise?.id ?? null,
          is_enterprise_install: orgWide,
          bot_user_id: bot.userId,
          bot_id: bot.id ?? null,
          token_fingerprint: tokenFingerprint(bot.token),
          bot_token: cipher.seal(bot.token, id),
          bot_refresh_token: bot.refreshToken ? cipher.seal(bot.refreshToken, id) : null,
          bot_token_expires_at: expiresAt,
          bot_scopes: bot.scopes.join(','),
          app_id: installation.appId ?? null,
          installer_user_id: installation.user.id ?? null,
        },
        now,
      );
      if (!orgWide && installation.team) await nameWorkspace(trx, workspaceId(installation.team.id), installation.team.name ?? null, now);
    });
    this.deps.installations.forget(id);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<BoltInstallation> {
    const found =
      query.isEnterpriseInstall && query.enterpriseId
        ? await this.deps.installations.byId(query.enterpriseId)
        : await this.deps.installations.admit(query.teamId, query.enterpriseId);
    if (!found) throw new Error(`Steady is not installed for team ${query.teamId ?? '?'} (enterprise ${query.enterpriseId ?? 'none'})`);
    const bot = {
      token: found.botToken,
      ...(found.refreshToken ? { refreshToken: found.refreshToken } : {}),
      ...(found.expiresAt ? { expiresAt: Math.floor(found.expiresAt.getTime() / 1000) } : {}),
      scopes: [...found.scopes],
      id: found.botId ?? '',
      userId: found.botUserId,
    };
    const enterprise = found.enterpriseId ? { id: found.enterpriseId } : undefined;
    return found.isEnterpriseInstall
      ? {
          team: undefined,
          enterprise: enterprise!,
          isEnterpriseInstall: true,
          user: { token: undefined, scopes: undefined, id: '' },
          bot,
          authVersion: 'v2',
          ...(found.appId ? { appId: found.appId } : {}),
        }
      : {
          team: { id: found.teamId!, ...(found.teamName ? { name: found.teamName } : {}) },
          enterprise,
          isEnterpriseInstall: false,
          user: { token: undefined, scopes: undefined, id: '' },
          bot,
          authVersion: 'v2',
          ...(found.appId ? { appId: found.appId } : {}),
        };
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const id = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
    if (id) await this.deps.installations.uninstall(id);
  }
}
