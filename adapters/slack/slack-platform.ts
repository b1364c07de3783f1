import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../src/core/clock';
import { PlatformError } from '../../src/core/errors';
import type { Form } from '../../src/core/form';
import type { Message } from '../../src/core/message';
import type { ChatPlatform, PostOptions, PostedWhere, SendLimits, UserProfile } from '../../src/core/platform';
import type { ConversationRef, MessageRef, WorkspaceId } from '../../src/core/refs';
import type { Installation, InstallationLookup } from './installations';
import { PLATFORM, messageRef, parseConversation, parseMessage, teamOf, threadRootOf } from './refs';
import { notificationText, renderBlocks } from './render/blocks';
import { renderHomeView } from './render/home';
import { renderModal } from './render/modal';
import type { SlackApi } from './slack-api';
import { UserCache } from './user-cache';

const posted = z.object({ channel: z.string(), ts: z.string() });
const ok = z.object({ ok: z.literal(true) });
const opened = z.object({ channel: z.object({ id: z.string() }) });
const userInfo = z.object({
  user: z.object({
    id: z.string(),
    name: z.string().nullish(),
    real_name: z.string().nullish(),
    deleted: z.boolean().nullish(),
    is_bot: z.boolean().nullish(),
    tz: z.string().nullish(),
    profile: z.object({ display_name: z.string().nullish(), real_name: z.string().nullish() }).nullish(),
  }),
});
const history = z.object({
  messages: z.array(
    z.object({
      ts: z.string(),
      thread_ts: z.string().nullish(),
      metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).nullish() }).nullish(),
    }),
  ),
  response_metadata: z.object({ next_cursor: z.string().nullish() }).nullish(),
});

/** The message metadata Steady attaches to what it posts: the outbox key, to recognise a post after a doubtful attempt. */
const METADATA_TYPE = 'steady_delivery';
/** How much recent history a look-up reads at most (pages of 200). */
const LOOKUP_PAGES = 3;

/**
 * Slack's published limits: chat.postMessage about one message a second per conversation with
 * short bursts (so its 429 pauses that conversation), and a workspace-wide ceiling Slack does not
 * publish (SLACK_POSTS_PER_SECOND); chat.update is a Tier 3 method, about 50 a minute per
 * workspace (its 429 pauses the workspace's edits).
 */
export function slackLimits(postsPerSecond: number): { readonly post: SendLimits; readonly update: SendLimits } {
  return {
    post: {
      workspace: { perSecond: postsPerSecond, burst: Math.max(1, postsPerSecond) },
      conversation: { perSecond: 1, burst: 3 },
      pauses: 'conversation',
    },
    update: { workspace: { perSecond: 50 / 60, burst: 20 } },
  };
}

/**
 * Slack as the core's ChatPlatform: neutral messages go out as Block Kit through the Web API, with
 * the token of the installation that serves the workspace. Every failure is a PlatformError.
 */
export class SlackPlatform implements ChatPlatform {
  readonly name = PLATFORM;
  readonly wording = { invite: 'in Slack: /invite @Steady' };
  private readonly users: UserCache;
  private readonly directChannels = new Map<string, string>();

  constructor(
    private readonly deps: {
      readonly api: SlackApi;
      readonly installations: InstallationLookup;
      readonly clock: Clock;
      readonly log: Logger;
      readonly userCacheMs?: number;
      readonly postsPerSecond?: number;
    },
  ) {
    this.users = new UserCache(deps.clock, deps.userCacheMs);
    this.limits = slackLimits(deps.postsPerSecond ?? 20);
  }

  readonly limits: { readonly post: SendLimits; readonly update: SendLimits };
  /** users.info answered 429: look-ups wait until then (per workspace), the stored profiles serve meanwhile. */
  private readonly lookupsPausedUntil = new Map<string, number>();

  async post(to: ConversationRef, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    const { teamId, channelId } = parseConversation(to);
    const thread = options.threadOf ? parseMessage(options.threadOf) : undefined;
    if (thread && (thread.teamId !== teamId || thread.channelId !== channelId)) {
      throw new PlatformError('INVALID', 'a thread reply must go to the conversation of its thread');
    }
    const threadTs = thread ? threadRootOf(thread) : undefined;
    return this.postTo(teamId, channelId, message, { ...(threadTs ? { threadTs } : {}), ...(options.key ? { key: options.key } : {}) });
  }

  private async postTo(
    teamId: string,
    channel: string,
    message: Message,
    options: { threadTs?: string; key?: string },
  ): Promise<MessageRef> {
    const result = await this.call(
      teamId,
      'chat.postMessage',
      {
        channel,
        ...content(message),
        ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
        // The key names the message; its first part names its kind (`standup-prompt:41`), for whoever reads the metadata.
        ...(options.key
          ? { metadata: { event_type: METADATA_TYPE, event_payload: { key: options.key, kind: options.key.split(':')[0] } } }
          : {}),
        unfurl_links: false,
        unfurl_media: false,
      },
      posted,
    );
    return messageRef({ teamId, channelId: result.channel, ts: result.ts, ...(options.threadTs ? { threadTs: options.threadTs } : {}) });
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    const { teamId, channelId, ts } = parseMessage(ref);
    await this.call(teamId, 'chat.update', { channel: channelId, ts, ...content(message) }, ok);
  }

  /**
   * A user id as the channel posts in the bot's direct conversation with the person (Slack opens it
   * if needed), so a wave of prompts costs no conversations.open calls, which Slack limits tightly.
   */
  async postDirect(
    workspaceId: WorkspaceId,
    userId: string,
    message: Message,
    options: Pick<PostOptions, 'key'> = {},
  ): Promise<MessageRef> {
    const teamId = teamOf(workspaceId);
    const ref = await this.postTo(
      teamId,
      this.directChannels.get(`${teamId}:${userId}`) ?? userId,
      message,
      options.key ? { key: options.key } : {},
    );
    this.directChannels.set(`${teamId}:${userId}`, parseMessage(ref).channelId);
    return ref;
  }

  /** The message posted with this outbox key, found in the conversation's (or thread's) recent history. */
  async findSent(where: PostedWhere, key: string): Promise<MessageRef | undefined> {
    const { teamId, channelId } =
      'conversation' in where
        ? parseConversation(where.conversation)
        : { teamId: teamOf(where.workspaceId), channelId: await this.directChannel(teamOf(where.workspaceId), where.userId) };
    const thread = 'conversation' in where && where.threadOf ? threadRootOf(parseMessage(where.threadOf)) : undefined;
    let cursor: string | undefined;
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const args = {
        channel: channelId,
        include_all_metadata: true,
        limit: 200,
        ...(thread ? { ts: thread } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const found = await this.call(teamId, thread ? 'conversations.replies' : 'conversations.history', args, history);
      const match = found.messages.find((m) => m.metadata?.event_type === METADATA_TYPE && m.metadata.event_payload?.key === key);
      if (match) return messageRef({ teamId, channelId, ts: match.ts, ...(thread ? { threadTs: thread } : {}) });
      cursor = found.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async postPrivate(to: ConversationRef, userId: string, message: Message): Promise<void> {
    const { teamId, channelId } = parseConversation(to);
    await this.call(teamId, 'chat.postEphemeral', { channel: channelId, user: userId, ...content(message) }, ok);
  }

  async lookupUser(workspaceId: WorkspaceId, userId: string): Promise<UserProfile | undefined> {
    const teamId = teamOf(workspaceId);
    const cached = this.users.get(teamId, userId);
    if (cached) return cached;
    const pausedUntil = this.lookupsPausedUntil.get(teamId) ?? 0;
    const now = this.deps.clock.now().getTime();
    if (pausedUntil > now)
      throw new PlatformError('RATE_LIMITED', 'Slack users.info: waiting out a rate limit', {
        platformCode: 'ratelimited',
        retryAfterMs: pausedUntil - now,
      });
    let info: z.output<typeof userInfo>;
    try {
      info = await this.call(teamId, 'users.info', { user: userId }, userInfo);
    } catch (err) {
      if (err instanceof PlatformError && err.platformCode === 'user_not_found') return undefined;
      if (err instanceof PlatformError && err.code === 'RATE_LIMITED')
        this.lookupsPausedUntil.set(teamId, now + (err.retryAfterMs ?? 1_000));
      throw err;
    }
    const { user } = info;
    const profile: UserProfile = {
      userId: user.id,
      displayName: user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || user.id,
      ...(user.tz ? { timeZone: user.tz } : {}),
      isBot: user.is_bot ?? false,
      deleted: user.deleted ?? false,
    };
    this.users.set(teamId, profile);
    return profile;
  }

  // Beyond the core's port: what the adapter itself needs from Slack.

  /** The id of the bot's direct conversation with a person (conversations.open, remembered). */
  async directChannel(teamId: string, userId: string): Promise<string> {
    const key = `${teamId}:${userId}`;
    const known = this.directChannels.get(key);
    if (known) return known;
    const { channel } = await this.call(teamId, 'conversations.open', { users: userId, return_im: false }, opened);
    this.directChannels.set(key, channel.id);
    return channel.id;
  }

  async openModal(teamId: string, triggerId: string, form: Form, conversation?: ConversationRef): Promise<void> {
    const view = renderModal(form, conversation ? { conversation } : {});
    await this.call(teamId, 'views.open', { trigger_id: triggerId, view }, ok);
  }

  async publishHome(teamId: string, userId: string, home: Message, updatedAt: Date, zone: string): Promise<void> {
    await this.call(teamId, 'views.publish', { user_id: userId, view: renderHomeView(home, { updatedAt, zone }) }, ok);
  }

  /** A slash command's answer as the body of its acknowledgement: Slack shows it to whoever typed the command. */
  ackAnswer(message: Message): { response_type: 'ephemeral'; text: string; blocks: ReturnType<typeof renderBlocks> } {
    return { response_type: 'ephemeral', ...content(message) };
  }

  /**
   * An ephemeral answer through a response_url (slash commands, message buttons): unlike
   * chat.postEphemeral it also works in private channels and DMs the bot is not part of.
   */
  async respond(responseUrl: string, message: Message): Promise<void> {
    let res: Response;
    try {
      res = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...content(message) }),
        signal: AbortSignal.timeout(10_000),
        redirect: 'error',
      });
    } catch (err) {
      throw new PlatformError('UNAVAILABLE', `Slack response_url: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const body = await res.text().catch(() => '');
    if (res.status === 429) throw new PlatformError('RATE_LIMITED', 'Slack response_url: rate limited', { platformCode: 'ratelimited' });
    if (res.status >= 500) throw new PlatformError('UNAVAILABLE', `Slack response_url: HTTP ${res.status}`);
    if (res.status !== 200)
      throw new PlatformError('NOT_FOUND', `Slack response_url: HTTP ${res.status} ${body.slice(0, 40)}`, {
        platformCode: body.slice(0, 40) || `http_${res.status}`,
      });
  }

  private async call<S extends z.ZodType>(teamId: string, method: string, args: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    const installation = await this.installation(teamId);
    return this.deps.api.call(installation.botToken, method, args, schema);
  }

  private async installation(teamId: string): Promise<Installation> {
    const installation = await this.deps.installations.forWorkspace(teamId);
    if (!installation) throw new PlatformError('AUTH', `Steady is not installed in the Slack workspace ${teamId}`);
    return installation;
  }
}

function content(message: Message): { text: string; blocks: ReturnType<typeof renderBlocks> } {
  return { text: notificationText(message), blocks: renderBlocks(message) };
}
