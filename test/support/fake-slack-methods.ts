import type { Classify, MessageMetadata, StoredMessage } from './fake-slack-store';
import { MessageStore } from './fake-slack-store';
import { userJson, type FakeApiUser } from './fake-slack-users';

/**
 * The Slack Web API methods the fake (fake-slack-api.ts) answers, as Slack answers them when all is
 * well: the shapes of fake-slack.ts, DMs at D + the person's id, messages kept in a MessageStore.
 */
export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

export type Args = Record<string, unknown>;

export interface Result {
  readonly body: Record<string, unknown>;
  /** The message this call stored or changed, if any. */
  readonly stored?: StoredMessage;
}

export const BOT_USER = 'U0BOT';
const BOT_ID = 'B0BOT';

export class SlackMethods {
  readonly store: MessageStore;
  readonly users = new Map<string, FakeApiUser>();
  /** How many chat.update calls changed a message. */
  updates = 0;

  constructor(
    private readonly now: () => number,
    classify?: Classify,
  ) {
    this.store = new MessageStore(now, classify);
  }

  /** The bot's DM channel with a person, as conversations.open names it here (as fake-slack.ts does). */
  dmChannel(userId: string): string {
    return `D${userId}`;
  }

  /** What Slack answers to `method`, when nothing goes wrong on the way. */
  call(workspace: Workspace, method: string, args: Args): Result {
    switch (method) {
      case 'auth.test':
        return {
          body: {
            ok: true,
            url: 'https://acme-ops.slack.com/',
            team: workspace.name,
            user: 'steady',
            team_id: workspace.id,
            user_id: BOT_USER,
            bot_id: BOT_ID,
            is_enterprise_install: false,
          },
        };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { body: { ok: false, error: 'user_not_found' } };
        return { body: { ok: true, user: userJson(user, workspace.id, this.now()) } };
      }
      case 'conversations.open': {
        const user = this.users.get(String(args.users ?? '').split(',')[0]!);
        if (!user) return { body: { ok: false, error: 'user_not_found' } };
        if (user.deleted) return { body: { ok: false, error: 'account_inactive' } };
        return { body: { ok: true, channel: { id: this.dmChannel(user.id) } } };
      }
      case 'conversations.info': {
        const channel = this.resolveChannel(String(args.channel ?? ''));
        if (!channel || channel.id !== args.channel) return { body: { ok: false, error: 'channel_not_found' } };
        return {
          body: {
            ok: true,
            channel: {
              id: channel.id,
              name: channel.user ? channel.id : channel.id.toLowerCase(),
              is_im: Boolean(channel.user),
              ...(channel.user ? { user: channel.user } : {}),
            },
          },
        };
      }
      case 'chat.postMessage':
        return this.postMessage(workspace, args);
      case 'chat.update':
        return this.update(args);
      case 'conversations.history':
        return { body: this.history(args) };
      case 'conversations.replies':
        return { body: this.replies(args) };
      case 'chat.postEphemeral':
      case 'views.publish':
        return { body: { ok: true } };
      default:
        return { body: { ok: false, error: 'unknown_method' } };
    }
  }

  private postMessage(workspace: Workspace, args: Args): Result {
    const channel = this.resolveChannel(String(args.channel ?? ''));
    if (!channel) return { body: { ok: false, error: 'channel_not_found' } };
    if (!args.text && !args.blocks) return { body: { ok: false, error: 'no_text' } };
    const metadata = args.metadata === undefined ? undefined : asMetadata(args.metadata);
    if (metadata === null) return { body: { ok: false, error: 'invalid_metadata_format' } };
    const threadTs = args.thread_ts ? String(args.thread_ts) : undefined;
    if (threadTs && !this.store.find(channel.id, threadTs)) return { body: { ok: false, error: 'thread_not_found' } };
    const stored = this.store.add({
      team: workspace.id,
      channel: channel.id,
      recipient: channel.user ?? channel.id,
      ...(threadTs ? { threadTs } : {}),
      text: String(args.text ?? ''),
      blocks: Array.isArray(args.blocks) ? args.blocks : [],
      ...(metadata ? { metadata } : {}),
    });
    return { body: { ok: true, channel: channel.id, ts: stored.ts, message: messageJson(stored, true) }, stored };
  }

  private update(args: Args): Result {
    const message = this.store.find(String(args.channel ?? ''), String(args.ts ?? ''));
    if (!message) return { body: { ok: false, error: 'message_not_found' } };
    const metadata = args.metadata === undefined ? undefined : asMetadata(args.metadata);
    if (metadata === null) return { body: { ok: false, error: 'invalid_metadata_format' } };
    if (args.text !== undefined) message.text = String(args.text);
    if (args.blocks !== undefined) message.blocks = Array.isArray(args.blocks) ? args.blocks : [];
    if (metadata) message.metadata = metadata;
    message.updates++;
    this.updates++;
    return {
      body: { ok: true, channel: message.channel, ts: message.ts, text: message.text, message: messageJson(message, true) },
      stored: message,
    };
  }

  private history(args: Args): Record<string, unknown> {
    const channel = this.resolveChannel(String(args.channel ?? ''));
    // Slack wants a conversation id here, not a user id.
    if (!channel || channel.id !== args.channel) return { ok: false, error: 'channel_not_found' };
    const page = this.store.history(channel.id, {
      limit: pageLimit(args.limit),
      inclusive: truthy(args.inclusive),
      ...(args.oldest ? { oldest: String(args.oldest) } : {}),
      ...(args.latest ? { latest: String(args.latest) } : {}),
      ...(args.cursor ? { cursor: String(args.cursor) } : {}),
    });
    const withMetadata = truthy(args.include_all_metadata);
    return {
      ok: true,
      messages: page.messages.map((m) => messageJson(m, withMetadata)),
      has_more: Boolean(page.nextCursor),
      pin_count: 0,
      response_metadata: { next_cursor: page.nextCursor ?? '' },
    };
  }

  private replies(args: Args): Record<string, unknown> {
    const channel = this.resolveChannel(String(args.channel ?? ''));
    if (!channel || channel.id !== args.channel) return { ok: false, error: 'channel_not_found' };
    const page = this.store.replies(channel.id, String(args.ts ?? ''), {
      limit: pageLimit(args.limit),
      ...(args.cursor ? { cursor: String(args.cursor) } : {}),
    });
    if (!page) return { ok: false, error: 'thread_not_found' };
    const withMetadata = truthy(args.include_all_metadata);
    return {
      ok: true,
      messages: page.messages.map((m) => messageJson(m, withMetadata)),
      has_more: Boolean(page.nextCursor),
      response_metadata: { next_cursor: page.nextCursor ?? '' },
    };
  }

  /** A channel id as is; a person's id or DM channel id as their DM. */
  resolveChannel(id: string): { id: string; user?: string } | undefined {
    if (/^[CG][A-Z0-9]+$/.test(id)) return { id };
    const userId = /^D[UW]/.test(id) ? id.slice(1) : /^[UW][A-Z0-9]+$/.test(id) ? id : undefined;
    const user = userId ? this.users.get(userId) : undefined;
    return user ? { id: this.dmChannel(user.id), user: user.id } : undefined;
  }
}

function messageJson(m: StoredMessage, withMetadata: boolean): Record<string, unknown> {
  return {
    type: 'message',
    user: BOT_USER,
    bot_id: BOT_ID,
    team: m.team,
    text: m.text,
    ts: m.ts,
    ...(m.blocks.length ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.replyCount ? { thread_ts: m.ts, reply_count: m.replyCount } : {}),
    ...(m.updates ? { edited: { user: BOT_USER, ts: m.ts } } : {}),
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  };
}

function asMetadata(value: unknown): MessageMetadata | null {
  if (typeof value !== 'object' || value === null) return null;
  const { event_type, event_payload } = value as Record<string, unknown>;
  if (typeof event_type !== 'string' || typeof event_payload !== 'object' || event_payload === null) return null;
  return { event_type, event_payload: event_payload as Record<string, unknown> };
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function pageLimit(value: unknown): number {
  const n = Number(value ?? 100);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), 999) : 100;
}
