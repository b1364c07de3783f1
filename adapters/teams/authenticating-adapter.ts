import { TeamsAdapter } from '@microsoft/teams-ai';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { Activity, TurnContext } from 'botbuilder';

/**
 * teams-ai's adapter, with one change: a request whose token cannot be verified (self-signed,
 * `alg: none`, signed with the app password, expired, for another audience, or keys that could not
 * be fetched) is answered 401 with an empty body. botbuilder answers only some of these 401 and the
 * rest 500 with its internal error text, which tells a caller how far its forgery got.
 */
export class AuthenticatingTeamsAdapter extends TeamsAdapter {
  override async processActivity(
    authorization: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
    // biome-ignore lint/suspicious/noExplicitAny: the Bot Framework's own signature for processActivity, which this overrides
  ): Promise<any> {
    if (typeof authorization !== 'string') return super.processActivity(authorization, activity, logic);
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    } catch {
      // An empty message: CloudAdapter.process answers 401 and sends no body.
      throw new AuthenticationError('', 401);
    }
    return super.processActivity(authenticated, activity, logic);
  }
}
