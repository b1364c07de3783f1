import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Steady } from '../../../src/steady';
import type { InFlight } from '../in-flight';
import { workspaceId } from '../refs';

const envelope = z.object({
  team_id: z.string().nullish(),
  enterprise_id: z.string().nullish(),
  is_enterprise_install: z.boolean().nullish(),
  authorizations: z.array(z.object({ is_enterprise_install: z.boolean().nullish() })).nullish(),
});
const revoked = z.object({ tokens: z.object({ bot: z.array(z.string()).nullish() }) });

/** Where Steady was removed: a workspace, or a Grid org (org-wide install). */
export interface Removal {
  readonly teamId: string | undefined;
  readonly enterpriseId: string | undefined;
  readonly orgWide: boolean;
}

/**
 * What the installation mode does when Steady is removed: OAuth deletes the stored tokens;
 * single-token mode can only say that SLACK_BOT_TOKEN no longer works. Returns the teams whose
 * jobs should stop, or none if the removal is not about an installation Steady serves.
 */
export type Uninstall = (removal: Removal, revokedBotUsers?: readonly string[]) => Promise<readonly string[]>;

/**
 * app_uninstalled and tokens_revoked (of the bot's token): that workspace's (or org's) tokens are
 * deleted and its pending jobs cancelled, since nothing can be sent there any more. Its stand-ups,
 * escalations and handoffs stay as they are, for its admins and for a reinstall. Bolt runs these
 * two events without authorizing them (the token is already gone). Both are idempotent, so a
 * retried event changes nothing.
 */
export function listenToUninstall(
  app: App,
  deps: { readonly steady: Steady; readonly work: InFlight; readonly log: Logger; readonly uninstall: Uninstall },
): void {
  const handle = async (body: unknown, revokedBotUsers?: readonly string[]) => {
    const parsed = envelope.safeParse(body);
    if (!parsed.success) {
      deps.log.warn('unreadable uninstall event; ignored');
      return;
    }
    const e = parsed.data;
    const removal: Removal = {
      teamId: e.team_id ?? undefined,
      enterpriseId: e.enterprise_id ?? undefined,
      orgWide: e.is_enterprise_install === true || e.authorizations?.[0]?.is_enterprise_install === true,
    };
    await deps.work.run('uninstall', async () => {
      const teams = await deps.uninstall(removal, revokedBotUsers);
      let cancelled = 0;
      for (const team of teams) cancelled += await deps.steady.scheduler.cancel({ workspaceId: workspaceId(team) });
      if (teams.length)
        deps.log.warn(
          { team: removal.teamId, enterprise: removal.enterpriseId, orgWide: removal.orgWide, cancelledJobs: cancelled },
          'Steady was removed from Slack; its tokens are gone and its pending jobs cancelled',
        );
    });
  };
  app.event('app_uninstalled', async ({ body }) => handle(body));
  app.event('tokens_revoked', async ({ event, body }) => {
    const parsed = revoked.safeParse(event);
    const bots = parsed.success ? (parsed.data.tokens.bot ?? []) : [];
    // Only the bot's token matters: Steady keeps no user tokens.
    if (bots.length) await handle(body, bots);
  });
}
