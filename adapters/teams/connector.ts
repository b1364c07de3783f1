import { TeamsInfo, type Activity, type ChannelAccount, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock';
import { PlatformError } from '../../src/core/errors';
import { noMetrics, recordCall, type PlatformCallMetrics } from '../../src/metrics/recorder';
import { toPlatformError } from './errors';
import type { OutgoingActivity } from './render/message-activity';

/** Where a conversation lives, as the Bot Framework needs it to send there. */
export interface ConversationSite {
  readonly tenantId: string;
  readonly serviceUrl: string;
  readonly botId: string;
  /** The conversation to call: may carry a thread suffix (`;messageid=…`). */
  readonly conversationId: string;
}

export interface TeamsMember {
  readonly id: string;
  readonly name?: string;
  readonly aadObjectId?: string;
  readonly email?: string;
}

/** The few connector operations Steady uses: a small port over botframework-connector's client. */
interface ConversationsApi {
  sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  replyToActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  updateActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  createConversation(parameters: {
    isGroup: boolean;
    bot: ChannelAccount;
    members?: ChannelAccount[];
    tenantId?: string;
    channelData: unknown;
  }): Promise<{ id?: string }>;
  getConversationMember(conversationId: string, memberId: string): Promise<TeamsMember>;
}

/**
 * Calls to Teams through the Bot Framework: each opens a proactive turn with
 * `continueConversationAsync` (which signs the call when an app id is configured) and uses the
 * connector client of that turn. Failures become PlatformError. The SDK's own retry policy is
 * removed from each client: it would sleep through a Retry-After inside the request (holding a job's
 * lease, or a test's real time); the durable scheduler retries instead, with backoff and jitter.
 */
export class TeamsConnector {
  private warnedAboutRetries = false;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Counts each call by connector operation and outcome (and 429s with their Retry-After) for /metrics. */
    private readonly metrics: PlatformCallMetrics = noMetrics.platformCalls,
  ) {}

  /** A new message in the conversation (or thread, when the id carries `;messageid=`). Returns its id. */
  async send(site: ConversationSite, activity: OutgoingActivity): Promise<string> {
    return this.call(site, 'send a message', 'sendToConversation', async (api) =>
      idOf(await api.sendToConversation(site.conversationId, this.outgoing(site, activity))),
    );
  }

  /** A reply to a message of a chat (chats have no threads: Teams shows it below, quoting it). */
  async reply(site: ConversationSite, replyToId: string, activity: OutgoingActivity): Promise<string> {
    return this.call(site, 'reply to a message', 'replyToActivity', async (api) =>
      idOf(await api.replyToActivity(site.conversationId, replyToId, { ...this.outgoing(site, activity), replyToId })),
    );
  }

  async update(site: ConversationSite, activityId: string, activity: OutgoingActivity): Promise<void> {
    await this.call(site, 'update a message', 'updateActivity', (api) =>
      api.updateActivity(site.conversationId, activityId, { ...this.outgoing(site, activity), id: activityId }),
    );
  }

  /** Opens (or finds: Teams answers with the existing one) the one-to-one chat between the bot and a person. */
  async createPersonalConversation(via: ConversationSite, userId: string): Promise<string> {
    return this.call(via, 'open a chat with a person', 'createConversation', async (api) => {
      const created = await api.createConversation({
        isGroup: false,
        bot: { id: via.botId, name: '' },
        members: [{ id: userId, name: '' }],
        tenantId: via.tenantId,
        channelData: { tenant: { id: via.tenantId } },
      });
      if (!created.id) throw new PlatformError('INVALID', 'Teams created a chat without an id');
      return created.id;
    });
  }

  /** A member of the conversation by Teams id or Azure AD object id; undefined when not a member. */
  async member(site: ConversationSite, idOrAadObjectId: string): Promise<TeamsMember | undefined> {
    try {
      return await this.call(site, 'look up a person', 'getConversationMember', (api) =>
        api.getConversationMember(site.conversationId, idOrAadObjectId),
      );
    } catch (err) {
      if (err instanceof PlatformError && (err.code === 'NOT_FOUND' || err.code === 'INVALID')) return undefined;
      throw err;
    }
  }

  /** The channels of a team the bot is in. */
  async teamChannels(site: ConversationSite, teamId: string): Promise<{ id: string; name?: string }[]> {
    return this.withTurn(site, 'list the channels of a team', 'getTeamChannels', async (context) => {
      const channels = await TeamsInfo.getTeamChannels(context, teamId);
      return channels.flatMap((c) => (c.id ? [{ id: c.id, ...(c.name ? { name: c.name } : {}) }] : []));
    });
  }

  private outgoing(site: ConversationSite, activity: OutgoingActivity): Partial<Activity> {
    const { attachments, entities, ...rest } = activity;
    return {
      ...rest,
      ...(attachments ? { attachments: [...attachments] } : {}),
      ...(entities ? { entities: [...entities] } : {}),
      channelId: 'msteams',
      from: { id: site.botId, name: '' },
      conversation: { id: site.conversationId, tenantId: site.tenantId } as Activity['conversation'],
    };
  }

  private call<T>(site: ConversationSite, operation: string, method: string, work: (api: ConversationsApi) => Promise<T>): Promise<T> {
    return this.withTurn(site, operation, method, (context) => {
      const client = context.turnState.get(this.adapter.ConnectorClientKey) as { conversations: ConversationsApi } | undefined;
      if (!client) throw new PlatformError('UNAVAILABLE', `${operation}: no Bot Framework connector for this turn`);
      this.withoutSdkRetries(client);
      return work(client.conversations);
    });
  }

  /** `method` names the connector operation on /metrics: one of a few fixed names. */
  private withTurn<T>(site: ConversationSite, operation: string, method: string, work: (context: TurnContext) => Promise<T>): Promise<T> {
    return recordCall(this.metrics, 'teams', method, () => this.turn(site, operation, work));
  }

  private async turn<T>(site: ConversationSite, operation: string, work: (context: TurnContext) => Promise<T>): Promise<T> {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: site.serviceUrl,
      bot: { id: site.botId, name: '' },
      conversation: { id: site.conversationId, tenantId: site.tenantId } as Activity['conversation'],
    };
    let result: { value: T } | undefined;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        result = { value: await work(context) };
      });
    } catch (err) {
      throw toPlatformError(err, operation, this.clock.now());
    }
    if (!result) throw new PlatformError('UNAVAILABLE', `${operation}: the Bot Framework turn ended without running`);
    return result.value;
  }

  /**
   * botframework-connector builds its client on @azure/core-client, whose pipeline has a
   * "defaultRetryPolicy". The client object keeps the pipeline in a private field; if a future
   * version moves it, Steady still works (with the SDK retrying first) and says so once.
   */
  private withoutSdkRetries(client: unknown): void {
    const pipeline = (client as { client?: { pipeline?: { removePolicy?: (p: { name: string }) => unknown } } }).client?.pipeline;
    if (typeof pipeline?.removePolicy === 'function') {
      pipeline.removePolicy({ name: 'defaultRetryPolicy' });
    } else if (!this.warnedAboutRetries) {
      this.warnedAboutRetries = true;
      this.log.warn(
        'could not switch off the Bot Framework SDK retries: a throttled call may wait inside the SDK before Steady retries it',
      );
    }
  }
}

function idOf(response: { id?: string }): string {
  if (!response.id) throw new PlatformError('INVALID', 'Teams accepted the message but returned no id for it');
  return response.id;
}
