import { UserError } from '../core/errors';
import { bold, link, time } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { HandlerContext } from '../core/workflow';
import { issueLink, revokeLinks, LINK_LIFETIME_MS } from './links';

export const DASHBOARD_HELP = [
  '/steady dashboard: a private link that signs you in to the dashboard in a browser for 12 hours · /steady dashboard revoke: signs out every link you were given',
];

export const NO_PUBLIC_URL =
  'The dashboard has no address yet: an admin must set PUBLIC_URL (the address people reach Steady at, such as https://steady.example.com) and restart Steady.';

/** The sign-in address for a token: PUBLIC_URL with /dashboard/signin?token=… */
export function signInUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/dashboard/signin?token=${token}`;
}

/** `/steady dashboard [revoke]`: answered only to the person who asks. */
export function dashboardCommand(services: Pick<CoreServices, 'db' | 'clock' | 'people' | 'publicUrl'>) {
  return async (ctx: HandlerContext, rest: string): Promise<void> => {
    const sub = rest.trim().toLowerCase();
    const now = services.clock.now();
    if (sub === 'revoke') {
      const revoked = await revokeLinks(services.db, ctx.actor, now);
      ctx.log.info({ revoked }, 'dashboard links revoked');
      await ctx.reply(
        revoked === 0
          ? 'You had no dashboard link in use. Nothing to revoke.'
          : `Revoked ${revoked === 1 ? 'your dashboard link' : `your ${revoked} dashboard links`}: ${revoked === 1 ? 'it signs' : 'they sign'} nobody in any more, and browsers signed in with ${revoked === 1 ? 'it' : 'them'} are signed out. /steady dashboard gives you a new one.`,
      );
      return;
    }
    if (sub !== '')
      throw new UserError('Use /steady dashboard for a sign-in link, or /steady dashboard revoke to sign out every link you were given.');
    if (!services.publicUrl) throw new UserError(NO_PUBLIC_URL);
    const issued = await issueLink(services.db, ctx.actor, now);
    const zone = await services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    // The token is in the reply only: never in a log line.
    await ctx.reply([
      bold('Your dashboard'),
      ': ',
      link(signInUrl(services.publicUrl, issued.token), 'open the dashboard'),
      `. This link is yours alone: it signs you in for ${LINK_LIFETIME_MS / 3_600_000} hours (until `,
      time(issued.expiresAt, zone),
      '). Do not share it; /steady dashboard revoke signs out every link you were given.',
    ]);
  };
}
