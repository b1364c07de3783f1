import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/schema';
import type { Clock } from '../../src/core/clock';
import { PlatformError } from '../../src/core/errors';
import { nameWorkspace, saveInstallation, type InstallationRow } from './installation-repository';
import { workspaceId } from './refs';
import type { SlackApi } from './slack-api';

/** What the adapter needs to act in a workspace. */
export interface Installation {
  /** The team, or undefined for an org-wide (Enterprise Grid) install. */
  readonly teamId?: string;
  readonly enterpriseId?: string;
  readonly isEnterpriseInstall: boolean;
  readonly teamName?: string;
  readonly botUserId: string;
  readonly botId?: string;
  readonly botToken: string;
}

/**
 * The one place that answers "which installation serves this team?". Every inbound event and
 * every outbound call goes through it: a team it does not serve gets nothing, which is what keeps
 * one workspace's people away from another's data. In single-token mode one bot token serves one
 * workspace (or one Grid organisation); with OAuth distribution the installations stored in the
 * database answer (oauth/stored-installations.ts), each workspace with its own token.
 */
export interface InstallationLookup {
  /** For an inbound event: the installation that serves the team (and organisation) it came from. */
  admit(teamId: string | undefined, enterpriseId: string | undefined): Promise<Installation | undefined>;
  /** For an outbound call to a workspace Steady already knows. */
  forWorkspace(teamId: string): Promise<Installation | undefined>;
}

const authTest = z.object({
  ok: z.literal(true),
  team: z.string().nullish(),
  team_id: z.string().nullish(),
  user_id: z.string(),
  bot_id: z.string().nullish(),
  enterprise_id: z.string().nullish(),
  is_enterprise_install: z.boolean().nullish(),
});

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/** A single bot token (SLACK_BOT_TOKEN), verified with auth.test and recorded in the database. */
export class SingleTokenInstallation implements InstallationLookup {
  private constructor(readonly installation: Installation) {}

  /**
   * Asks Slack who the token belongs to and records it. If Slack cannot be reached, the record
   * kept from an earlier start with the same token is used, so an outage does not stop Steady.
   */
  static async verify(deps: {
    api: SlackApi;
    db: Db;
    clock: Clock;
    log: Logger;
    token: string;
    /** The pause before the first retry of auth.test (doubled for the next). */
    retryDelayMs?: number;
  }): Promise<SingleTokenInstallation> {
    const fingerprint = tokenFingerprint(deps.token);
    try {
      const who = await withRetries(() => deps.api.call(deps.token, 'auth.test', {}, authTest), deps.log, deps.retryDelayMs ?? 1000);
      const installation: Installation = {
        ...(who.team_id && !who.is_enterprise_install ? { teamId: who.team_id } : {}),
        ...(who.enterprise_id ? { enterpriseId: who.enterprise_id } : {}),
        isEnterpriseInstall: who.is_enterprise_install ?? false,
        ...(who.team ? { teamName: who.team } : {}),
        botUserId: who.user_id,
        ...(who.bot_id ? { botId: who.bot_id } : {}),
        botToken: deps.token,
      };
      await record(deps.db, deps.clock, installation, fingerprint);
      deps.log.info(
        { team: installation.teamId, enterprise: installation.enterpriseId, botUser: installation.botUserId },
        'Slack installation verified',
      );
      return new SingleTokenInstallation(installation);
    } catch (err) {
      if (err instanceof PlatformError && err.code === 'AUTH') {
        throw new Error(
          `Slack refused SLACK_BOT_TOKEN (${err.platformCode ?? err.message}). Copy the Bot User OAuth Token (xoxb-…) from the app's "OAuth & Permissions" page.`,
          { cause: err },
        );
      }
      if (err instanceof PlatformError && err.retryable) {
        const known = await deps.db
          .selectFrom('slack_installations')
          .selectAll()
          .where('token_fingerprint', '=', fingerprint)
          .orderBy('updated_at', 'desc')
          .executeTakeFirst();
        if (known) {
          deps.log.warn({ err: err.message }, 'Slack is unreachable; using the installation recorded at an earlier start');
          return new SingleTokenInstallation(installationFromRow(known, deps.token));
        }
      }
      throw new Error(`Could not check SLACK_BOT_TOKEN with Slack: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  async admit(teamId: string | undefined, enterpriseId: string | undefined): Promise<Installation | undefined> {
    const mine = this.installation;
    if (mine.isEnterpriseInstall) return enterpriseId && enterpriseId === mine.enterpriseId ? mine : undefined;
    return teamId && teamId === mine.teamId ? mine : undefined;
  }

  async forWorkspace(teamId: string): Promise<Installation | undefined> {
    const mine = this.installation;
    // An org-wide token serves every team of the organisation; Slack refuses it for any other.
    return mine.isEnterpriseInstall || teamId === mine.teamId ? mine : undefined;
  }
}

/** A blip at start-up should not stop Steady: outages and rate limits are tried again, briefly. */
async function withRetries<T>(call: () => Promise<T>, log: Logger, delayMs: number, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof PlatformError && err.retryable) || attempt >= attempts) throw err;
      const waitMs = Math.min(err.retryAfterMs ?? delayMs * attempt, 5000);
      log.warn({ err: err.message, attempt, waitMs }, 'Slack did not answer auth.test; trying again');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

async function record(db: Db, clock: Clock, installation: Installation, fingerprint: string): Promise<void> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await saveInstallation(
      trx,
      {
        id: installation.isEnterpriseInstall ? installation.enterpriseId! : installation.teamId!,
        team_id: installation.teamId ?? null,
        team_name: installation.teamName ?? null,
        enterprise_id: installation.enterpriseId ?? null,
        is_enterprise_install: installation.isEnterpriseInstall,
        bot_user_id: installation.botUserId,
        bot_id: installation.botId ?? null,
        token_fingerprint: fingerprint,
      },
      now,
    );
    if (installation.teamId) await nameWorkspace(trx, workspaceId(installation.teamId), installation.teamName ?? null, now);
  });
}

/** An installation as its stored row has it, with its bot token already opened. */
export function installationFromRow(row: InstallationRow, token: string): Installation {
  return {
    ...(row.team_id ? { teamId: row.team_id } : {}),
    ...(row.enterprise_id ? { enterpriseId: row.enterprise_id } : {}),
    isEnterpriseInstall: row.is_enterprise_install,
    ...(row.team_name ? { teamName: row.team_name } : {}),
    botUserId: row.bot_user_id,
    ...(row.bot_id ? { botId: row.bot_id } : {}),
    botToken: token,
  };
}
