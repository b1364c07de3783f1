import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../../db/schema';
import type { Clock } from '../../../src/core/clock';
import { PlatformError, errorMessage } from '../../../src/core/errors';
import {
  enterpriseOfTeam,
  findLiveInstallation,
  installationsWithTokens,
  rememberEnterpriseTeam,
  removeTokens,
  resealTokens,
  saveRotatedTokens,
  type InstallationRow,
} from '../installation-repository';
import { installationFromRow, tokenFingerprint, type Installation, type InstallationLookup } from '../installations';
import type { SlackApi } from '../slack-api';
import type { TokenCipher } from './token-cipher';

/** An installation as OAuth keeps it: with its refresh token and expiry when Slack rotates its tokens. */
export interface StoredInstallation extends Installation {
  readonly id: string;
  readonly refreshToken?: string;
  readonly expiresAt?: Date;
  readonly scopes: readonly string[];
  readonly appId?: string;
}

export interface StoredInstallationsOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly api: SlackApi;
  readonly cipher: TokenCipher;
  readonly clientId: string;
  readonly clientSecret: string;
  /** How long a decrypted installation is kept in memory (another instance may uninstall meanwhile). */
  readonly cacheMs?: number;
  /** Tokens are rotated when they expire within this (Bolt's window: 2 hours of Slack's 12). */
  readonly refreshBeforeMs?: number;
}

const refreshed = z.object({
  ok: z.literal(true),
  access_token: z.string().startsWith('xoxb-'),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.literal('bot').nullish(),
});

/**
 * OAuth distribution's answer to "which installation serves this team?": installations stored by
 * the installer (installation-store.ts), tokens decrypted on read and kept briefly in memory.
 *
 * Token rotation: a token that expires within `refreshBeforeMs` is refreshed (oauth.v2.access with
 * grant_type=refresh_token) before it is handed out, for inbound and outbound calls alike. Slack
 * hands out a new refresh token each time, so two instances must not both spend the old one: the
 * refresh happens under the row's lock, re-checked once the lock is held (the instance that waited
 * finds the new token and uses it), and stored only if the row still holds the token it replaces.
 */
export class StoredInstallations implements InstallationLookup {
  private readonly cache = new Map<string, { readonly until: number; readonly installation: Promise<StoredInstallation | undefined> }>();
  /** Teams of Grid orgs, by team id: the enterprise whose org-wide install serves them. */
  private readonly enterpriseTeams = new Map<string, string>();
  private readonly cacheMs: number;
  private readonly refreshBeforeMs: number;

  constructor(private readonly options: StoredInstallationsOptions) {
    this.cacheMs = options.cacheMs ?? 60_000;
    this.refreshBeforeMs = options.refreshBeforeMs ?? 2 * 3600_000;
  }

  async admit(teamId: string | undefined, enterpriseId: string | undefined): Promise<StoredInstallation | undefined> {
    if (enterpriseId) {
      const org = await this.byId(enterpriseId);
      if (org?.isEnterpriseInstall) {
        if (teamId) await this.rememberTeam(teamId, enterpriseId);
        return org;
      }
    }
    if (!teamId) return undefined;
    const team = await this.byId(teamId);
    return team && !team.isEnterpriseInstall ? team : undefined;
  }

  async forWorkspace(teamId: string): Promise<StoredInstallation | undefined> {
    // A team of a Grid org known to be served org-wide: no look-up of a workspace install first.
    const known = this.enterpriseTeams.get(teamId);
    const viaKnown = known ? await this.byId(known) : undefined;
    if (viaKnown?.isEnterpriseInstall) return viaKnown;
    const team = await this.byId(teamId);
    if (team && !team.isEnterpriseInstall) return team;
    const enterpriseId = await enterpriseOfTeam(this.options.db, teamId);
    const org = enterpriseId ? await this.byId(enterpriseId) : undefined;
    if (!org?.isEnterpriseInstall) return undefined;
    this.enterpriseTeams.set(teamId, org.id);
    return org;
  }

  /** The installation stored under `id` (a team id, or an enterprise id for an org-wide install). */
  async byId(id: string): Promise<StoredInstallation | undefined> {
    const now = this.options.clock.now().getTime();
    const cached = this.cache.get(id);
    if (cached && cached.until > now) return cached.installation;
    const installation = this.load(id);
    this.cache.set(id, { until: now + this.cacheMs, installation });
    installation.then(
      (found) => {
        if (this.cache.get(id)?.installation !== installation) return;
        // Not installed is not remembered (an install on another instance counts at once); an
        // installation is kept no longer than its token's time before rotation.
        if (!found) this.cache.delete(id);
        else if (found.expiresAt)
          this.cache.set(id, { until: Math.min(now + this.cacheMs, found.expiresAt.getTime() - this.refreshBeforeMs), installation });
      },
      () => {
        if (this.cache.get(id)?.installation === installation) this.cache.delete(id);
      },
    );
    return installation;
  }

  /** Forgets what is kept in memory for `id` (after an install, a reinstall or an uninstall). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  /**
   * app_uninstalled / tokens_revoked: the tokens of `id` are deleted, the record stays.
   * Returns whether it was installed.
   */
  async uninstall(id: string): Promise<boolean> {
    const removed = await removeTokens(this.options.db, id, this.options.clock.now());
    this.forget(id);
    return removed;
  }

  /** Seals again every token sealed with an older key, so the old key can be retired. Returns how many rows. */
  async resealWithCurrentKey(): Promise<number> {
    const { cipher, db, log } = this.options;
    let count = 0;
    for (const row of await installationsWithTokens(db)) {
      if (
        !row.bot_token ||
        (!cipher.needsResealing(row.bot_token) && !(row.bot_refresh_token && cipher.needsResealing(row.bot_refresh_token)))
      )
        continue;
      await resealTokens(
        db,
        row.id,
        {
          bot_token: cipher.seal(cipher.open(row.bot_token, row.id), row.id),
          bot_refresh_token: row.bot_refresh_token ? cipher.seal(cipher.open(row.bot_refresh_token, row.id), row.id) : null,
        },
        row.token_fingerprint,
      );
      count++;
    }
    if (count) log.info({ installations: count, key: cipher.keyId }, 'Slack tokens sealed again with the current encryption key');
    return count;
  }

  private async load(id: string): Promise<StoredInstallation | undefined> {
    const row = await findLiveInstallation(this.options.db, id);
    if (!row) return undefined;
    const installation = this.open(row);
    return this.expiresSoon(installation) ? this.rotate(id) : installation;
  }

  private expiresSoon(installation: StoredInstallation): boolean {
    return Boolean(
      installation.refreshToken &&
        installation.expiresAt &&
        installation.expiresAt.getTime() - this.options.clock.now().getTime() <= this.refreshBeforeMs,
    );
  }

  private async rotate(id: string): Promise<StoredInstallation | undefined> {
    const { db, clock, log, api, cipher } = this.options;
    return db.transaction().execute(async (trx) => {
      const row = await findLiveInstallation(trx, id, true);
      if (!row) return undefined;
      const current = this.open(row);
      // Another instance may have rotated while this one waited for the lock.
      if (!this.expiresSoon(current)) return current;
      let answer: z.output<typeof refreshed>;
      try {
        answer = await api.call(
          '',
          'oauth.v2.access',
          {
            client_id: this.options.clientId,
            client_secret: this.options.clientSecret,
            grant_type: 'refresh_token',
            refresh_token: current.refreshToken,
          },
          refreshed,
        );
      } catch (err) {
        const expired = current.expiresAt!.getTime() <= clock.now().getTime();
        log.warn({ installation: id, err: errorMessage(err), expired }, 'could not rotate a Slack token');
        if (!expired) return current;
        throw err instanceof PlatformError
          ? err
          : new PlatformError('AUTH', `Slack token of ${id} expired and could not be rotated: ${errorMessage(err)}`, { cause: err });
      }
      const now = clock.now();
      const fingerprint = tokenFingerprint(answer.access_token);
      const stored = await saveRotatedTokens(
        trx,
        id,
        row.token_fingerprint,
        {
          bot_token: cipher.seal(answer.access_token, id),
          bot_refresh_token: cipher.seal(answer.refresh_token, id),
          bot_token_expires_at: new Date(now.getTime() + answer.expires_in * 1000),
          token_fingerprint: fingerprint,
        },
        now,
      );
      if (!stored) throw new PlatformError('UNAVAILABLE', `the Slack installation ${id} changed while its token was rotated`);
      log.info({ installation: id, expiresInSeconds: answer.expires_in }, 'Slack token rotated');
      return {
        ...current,
        botToken: answer.access_token,
        refreshToken: answer.refresh_token,
        expiresAt: new Date(now.getTime() + answer.expires_in * 1000),
      };
    });
  }

  private async rememberTeam(teamId: string, enterpriseId: string): Promise<void> {
    if (this.enterpriseTeams.get(teamId) === enterpriseId) return;
    await rememberEnterpriseTeam(this.options.db, teamId, enterpriseId, this.options.clock.now());
    this.enterpriseTeams.set(teamId, enterpriseId);
  }

  private open(row: InstallationRow): StoredInstallation {
    const { cipher } = this.options;
    return {
      ...installationFromRow(row, cipher.open(row.bot_token!, row.id)),
      id: row.id,
      ...(row.bot_refresh_token ? { refreshToken: cipher.open(row.bot_refresh_token, row.id) } : {}),
      ...(row.bot_token_expires_at ? { expiresAt: row.bot_token_expires_at } : {}),
      scopes: row.bot_scopes ? row.bot_scopes.split(',') : [],
      ...(row.app_id ? { appId: row.app_id } : {}),
    };
  }
}
