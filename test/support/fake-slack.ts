import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/**
 * A fake Slack Web API on loopback: it answers the methods Steady calls as Slack does (same
 * shapes, same error strings), remembers what was posted so tests can read it back like a person
 * in the channel would, and can be told to fail: a 429 with Retry-After, a 5xx, or an error
 * string such as channel_not_found. Point SLACK_API_URL (or the adapter's apiUrl) at `apiUrl`.
 */
export interface FakeUser {
  readonly name: string;
  readonly realName?: string;
  readonly displayName?: string;
  readonly tz?: string;
  readonly isBot?: boolean;
  readonly deleted?: boolean;
}

export interface ApiCall {
  readonly method: string;
  readonly args: Record<string, any>;
  readonly token: string | undefined;
}

export interface SlackMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  text: string;
  blocks: any[];
  /** What chat.postMessage's `metadata` carried (Steady's outbox key). */
  readonly metadata?: { readonly event_type: string; readonly event_payload: Record<string, unknown> };
  /** How many times chat.update changed it. */
  updates: number;
}

export interface Ephemeral {
  readonly channel: string;
  readonly user: string;
  readonly text: string;
  readonly blocks: any[];
}

export interface ResponseUrlPost {
  readonly id: string;
  readonly body: Record<string, any>;
}

export interface OpenedView {
  readonly id: string;
  readonly hash: string;
  readonly triggerId: string;
  readonly view: Record<string, any>;
}

export type Failure =
  | { readonly error: string }
  | { readonly status: 429; readonly retryAfter: number }
  /** `afterStoring`: the call did its work, then the answer was lost (the caller cannot tell). */
  | { readonly status: 500 | 502 | 503; readonly afterStoring?: boolean };

/** A workspace (or Grid org) Slack lets Steady install in: what oauth.v2.access hands over for its code. */
export interface FakeGrant {
  readonly team?: { readonly id: string; readonly name: string };
  readonly enterprise?: { readonly id: string; readonly name: string };
  readonly orgWide?: boolean;
  readonly botUserId: string;
  /** With token rotation: tokens last this long, and each refresh hands out a new pair. */
  readonly expiresIn?: number;
}

export const CLIENT_ID = '1234567890.0987654321';
export const CLIENT_SECRET = '0123456789abcdef0123456789abcdef';

export const TEAM = 'T0STEADY';
export const BOT_USER = 'U0BOT';
export const BOT_TOKEN = 'xoxb-fake-token-1';

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly messages: SlackMessage[] = [];
  readonly ephemerals: Ephemeral[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly views: OpenedView[] = [];
  readonly homes = new Map<string, Record<string, any>[]>();
  readonly users = new Map<string, FakeUser>();
  /** Channels that do not exist (channel_not_found) or the bot is not in (not_in_channel). */
  readonly missingChannels = new Set<string>();
  readonly channelsWithoutBot = new Set<string>();
  readonly channelNames = new Map<string, string>();
  /** response_url ids Slack no longer accepts. */
  readonly expiredResponseUrls = new Set<string>();
  team = { id: TEAM, name: 'Acme Ops', enterpriseId: undefined as string | undefined, enterpriseInstall: false };
  validTokens = new Set([BOT_TOKEN]);
  /** OAuth: the grant each code stands for (a code works once), and what each token or refresh token belongs to. */
  readonly oauthCodes = new Map<string, FakeGrant>();
  readonly tokenGrants = new Map<string, FakeGrant>();
  readonly refreshTokens = new Map<string, FakeGrant>();
  private issued = 0;
  /** What apps.connections.open hands out (see fake-slack-socket.ts). */
  socketModeUrl: string | undefined;
  private readonly failures = new Map<string, Failure[]>();
  private tsCounter = 0;
  private viewCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeSlack> {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use(express.json());
    let fake: FakeSlack | undefined;
    app.post('/api/:method', (req, res) => fake!.api(req.params.method, req.body ?? {}, req.headers.authorization, res));
    app.post('/respond/:id', (req, res) => fake!.respond(req.params.id, req.body ?? {}, res));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    // Slack keeps connections open for long; Node's 5 s default would race clients reusing them.
    server.keepAliveTimeout = 60_000;
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.baseUrl}/respond/${id}`;
  }

  /** The next calls of `method` fail, in order, before it works again. */
  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  messagesIn(channel: string): SlackMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** The bot's DM channel with a person, as conversations.open names it here. */
  dmChannel(userId: string): string {
    return `D${userId}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private api(method: string, body: Record<string, any>, authorization: string | undefined, res: express.Response): void {
    const args = decodeArgs(body);
    const token = authorization?.replace(/^Bearer /, '') ?? (typeof args.token === 'string' ? args.token : undefined);
    this.calls.push({ method, args, token });
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ('status' in failure && failure.status !== 429 && failure.afterStoring) this.answer(method, args);
      if ('status' in failure) {
        if (failure.status === 429) res.set('Retry-After', String(failure.retryAfter));
        res.status(failure.status).send(failure.status === 429 ? '' : 'upstream trouble');
        return;
      }
      res.json({ ok: false, error: failure.error });
      return;
    }
    if (method === 'oauth.v2.access') {
      res.json(this.oauthAccess(args));
      return;
    }
    if (!token || !this.validTokens.has(token)) {
      res.json({ ok: false, error: token ? 'invalid_auth' : 'not_authed' });
      return;
    }
    res.json(this.answer(method, args, token));
  }

  /** The grant a token of an OAuth install belongs to, if any. */
  grantOf(token: string | undefined): FakeGrant | undefined {
    return token ? this.tokenGrants.get(token) : undefined;
  }

  /** oauth.v2.access: a code exchanged once for a bot token, or a refresh token for a new pair (the old refresh token spent). */
  private oauthAccess(args: Record<string, any>): Record<string, unknown> {
    if (args.client_id !== CLIENT_ID || args.client_secret !== CLIENT_SECRET) return { ok: false, error: 'invalid_client_id' };
    let grant: FakeGrant | undefined;
    if (args.grant_type === 'refresh_token') {
      grant = this.refreshTokens.get(String(args.refresh_token));
      if (!grant) return { ok: false, error: 'invalid_refresh_token' };
      this.refreshTokens.delete(String(args.refresh_token));
    } else {
      grant = this.oauthCodes.get(String(args.code));
      if (!grant) return { ok: false, error: 'invalid_code' };
      this.oauthCodes.delete(String(args.code));
    }
    const n = ++this.issued;
    const token = `xoxb-oauth-${grant.orgWide ? grant.enterprise!.id : grant.team!.id}-${n}`;
    this.validTokens.add(token);
    this.tokenGrants.set(token, grant);
    const refresh = grant.expiresIn ? `xoxe-1-refresh-${n}` : undefined;
    if (refresh) this.refreshTokens.set(refresh, grant);
    return {
      ok: true,
      app_id: 'A0STEADY',
      authed_user: { id: 'U0INSTALLER' },
      scope: 'chat:write,commands',
      token_type: 'bot',
      access_token: token,
      bot_user_id: grant.botUserId,
      ...(refresh ? { refresh_token: refresh, expires_in: grant.expiresIn } : {}),
      team: grant.orgWide ? null : grant.team,
      enterprise: grant.enterprise ?? null,
      is_enterprise_install: grant.orgWide ?? false,
    };
  }

  private answer(method: string, args: Record<string, any>, token?: string): Record<string, unknown> {
    const grant = this.grantOf(token);
    switch (method) {
      case 'auth.test':
        if (grant)
          return {
            ok: true,
            url: 'https://acme.enterprise.slack.com/',
            team: grant.orgWide ? grant.enterprise!.name : grant.team!.name,
            user: 'steady',
            ...(grant.orgWide ? {} : { team_id: grant.team!.id }),
            user_id: grant.botUserId,
            bot_id: `B${grant.botUserId}`,
            ...(grant.enterprise ? { enterprise_id: grant.enterprise.id } : {}),
            is_enterprise_install: grant.orgWide ?? false,
          };
        return {
          ok: true,
          url: 'https://acme-ops.slack.com/',
          team: this.team.name,
          user: 'steady',
          team_id: this.team.id,
          user_id: BOT_USER,
          bot_id: 'B0BOT',
          ...(this.team.enterpriseId ? { enterprise_id: this.team.enterpriseId } : {}),
          is_enterprise_install: this.team.enterpriseInstall,
        };
      case 'apps.connections.open':
        return this.socketModeUrl ? { ok: true, url: this.socketModeUrl } : { ok: false, error: 'invalid_auth' };
      case 'users.info': {
        const user = this.users.get(args.user);
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: args.user,
            team_id: this.team.id,
            name: user.name,
            real_name: user.realName ?? user.name,
            deleted: user.deleted ?? false,
            is_bot: user.isBot ?? false,
            tz: user.tz ?? 'America/Los_Angeles',
            tz_offset: -28800,
            profile: { display_name: user.displayName ?? '', real_name: user.realName ?? user.name },
          },
        };
      }
      case 'conversations.open': {
        const userId = String(args.users ?? '');
        if (!this.users.has(userId)) return { ok: false, error: 'user_not_found' };
        if (this.users.get(userId)!.deleted) return { ok: false, error: 'account_inactive' };
        return { ok: true, channel: { id: this.dmChannel(userId) } };
      }
      case 'conversations.info': {
        const channel = String(args.channel);
        if (this.missingChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: { id: channel, name: this.channelNames.get(channel) ?? channel.toLowerCase(), is_im: channel.startsWith('D') },
        };
      }
      case 'chat.postMessage': {
        // A user id as the channel posts in the bot's direct conversation with that person.
        let channel = String(args.channel);
        if (channel.startsWith('U') || channel.startsWith('W')) {
          const user = this.users.get(channel);
          if (!user) return { ok: false, error: 'channel_not_found' };
          if (user.deleted) return { ok: false, error: 'account_inactive' };
          channel = this.dmChannel(channel);
        }
        const problem = this.channelProblem(channel);
        if (problem) return { ok: false, error: problem };
        if (!args.text && !args.blocks) return { ok: false, error: 'no_text' };
        const message: SlackMessage = {
          channel,
          ts: this.nextTs(),
          ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}),
          text: String(args.text ?? ''),
          blocks: args.blocks ?? [],
          ...(args.metadata ? { metadata: args.metadata } : {}),
          updates: 0,
        };
        if (message.threadTs && !this.messages.some((m) => m.channel === channel && m.ts === message.threadTs))
          return { ok: false, error: 'thread_not_found' };
        this.messages.push(message);
        return { ok: true, channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = String(args.channel);
        const problem = this.channelProblem(channel);
        if (problem) return { ok: false, error: problem };
        const oldest = Number(args.oldest ?? 0);
        const inThread = method === 'conversations.replies';
        const found = this.messages
          .filter(
            (m) => m.channel === channel && Number(m.ts) >= oldest && (inThread ? m.threadTs === args.ts || m.ts === args.ts : !m.threadTs),
          )
          .sort((a, b) => Number(b.ts) - Number(a.ts))
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            bot_id: 'B0BOT',
            ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
            ...(args.include_all_metadata && m.metadata ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages: found, has_more: false };
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = String(args.text ?? '');
        message.blocks = args.blocks ?? [];
        message.updates++;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.postEphemeral': {
        const channel = String(args.channel);
        const problem = this.channelProblem(channel);
        if (problem) return { ok: false, error: problem };
        if (!this.users.has(String(args.user))) return { ok: false, error: 'user_not_in_channel' };
        this.ephemerals.push({ channel, user: String(args.user), text: String(args.text ?? ''), blocks: args.blocks ?? [] });
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'views.open': {
        if (!args.trigger_id) return { ok: false, error: 'invalid_arguments' };
        if (String(args.trigger_id).startsWith('expired')) return { ok: false, error: 'expired_trigger_id' };
        const view = { id: `V${++this.viewCounter}`, hash: `h${this.viewCounter}`, triggerId: String(args.trigger_id), view: args.view };
        this.views.push(view);
        return { ok: true, view: { id: view.id, hash: view.hash, ...args.view } };
      }
      case 'views.publish': {
        const views = this.homes.get(String(args.user_id)) ?? [];
        views.push(args.view);
        this.homes.set(String(args.user_id), views);
        return { ok: true, view: { id: `VHOME${args.user_id}`, ...args.view } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** A slash command answered in its acknowledgement: Slack shows it as it shows a response_url answer. */
  answeredInAck(id: string, body: Record<string, any>): void {
    this.responses.push({ id, body });
  }

  private respond(id: string, body: Record<string, any>, res: express.Response): void {
    if (this.expiredResponseUrls.has(id)) {
      res.status(404).send('expired_url');
      return;
    }
    this.responses.push({ id, body });
    res.status(200).send('ok');
  }

  private channelProblem(channel: string): string | undefined {
    if (this.missingChannels.has(channel)) return 'channel_not_found';
    if (this.channelsWithoutBot.has(channel)) return 'not_in_channel';
    return undefined;
  }

  private nextTs(): string {
    return `1764489600.${String(++this.tsCounter).padStart(6, '0')}`;
  }
}

/** The WebClient sends complex arguments (blocks, views) as JSON strings in a form body. */
function decodeArgs(body: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && (value.startsWith('[') || value.startsWith('{'))) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON: keep the string
      }
    }
    out[key] = value;
  }
  return out;
}
