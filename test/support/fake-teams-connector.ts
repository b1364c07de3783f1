import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/**
 * A fake Bot Framework connector on loopback: the service URL Teams would give the bot. It records
 * what the bot sends (send, reply, update), opens 1:1 chats, answers member and channel look-ups,
 * and can be told to fail the next calls the way the real one does (429 with Retry-After, 5xx, 403).
 */
export type ConnectorOp = 'send' | 'reply' | 'update' | 'create' | 'member' | 'channels';

export interface ConnectorCall {
  readonly op: ConnectorOp;
  /** As called, with any `;messageid=` thread suffix. */
  readonly conversationId: string;
  readonly activityId?: string;
  readonly body: any;
  readonly authorization?: string;
  /** What the fake answered. */
  readonly status: number;
}

export interface FakeMember {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly email?: string;
}

/** A message as it stands now in a conversation: its latest content and how it got there. */
export interface PostedMessage {
  readonly id: string;
  /** Without a thread suffix. */
  readonly conversationId: string;
  /** In a channel, the thread it is in (unset for a top-level post). */
  readonly threadRootId?: string;
  /** In a chat, the message it answers. */
  readonly replyToId?: string;
  /** Every version: the first as sent, then each update. */
  readonly versions: any[];
}

interface Failure {
  readonly op: ConnectorOp | 'any';
  readonly status: number;
  readonly headers: Record<string, string>;
  remaining: number;
}

export class FakeTeamsConnector {
  readonly calls: ConnectorCall[] = [];
  readonly messages: PostedMessage[] = [];
  /** People the connector can answer about, by Teams id (also found by Azure AD id). */
  readonly members = new Map<string, FakeMember>();
  /** Each team's channels, for GET /v3/teams/{id}/conversations. */
  readonly teamChannels = new Map<string, { id: string; name?: string }[]>();
  /** Users for whom opening a 1:1 chat is refused (the app is not available to them). */
  readonly unreachable = new Set<string>();
  private readonly failures: Failure[] = [];
  private server: Server | undefined;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '5mb' }));
    app.post('/v3/conversations', (req, res) => this.route('create', '', undefined, req, res, () => this.create(req.body)));
    app.post('/v3/conversations/:conversationId/activities', (req, res) =>
      this.route('send', req.params.conversationId, undefined, req, res, () => this.record(req.params.conversationId, req.body)),
    );
    app.post('/v3/conversations/:conversationId/activities/:activityId', (req, res) =>
      this.route('reply', req.params.conversationId, req.params.activityId, req, res, () =>
        this.record(req.params.conversationId, req.body, req.params.activityId),
      ),
    );
    app.put('/v3/conversations/:conversationId/activities/:activityId', (req, res) =>
      this.route('update', req.params.conversationId, req.params.activityId, req, res, () => this.update(req.params.activityId, req.body)),
    );
    app.get('/v3/conversations/:conversationId/members/:memberId', (req, res) =>
      this.route('member', req.params.conversationId, undefined, req, res, () => this.member(req.params.memberId)),
    );
    app.get('/v3/teams/:teamId/conversations', (req, res) =>
      this.route('channels', req.params.teamId, undefined, req, res, () => ({
        status: 200,
        body: { conversations: this.teamChannels.get(req.params.teamId) ?? [] },
      })),
    );
    app.use((req, res) => {
      res.status(404).json({ error: { code: 'NotFound', message: `fake connector has no route for ${req.method} ${req.path}` } });
    });
    this.server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The next `times` calls of this kind fail with `status` (and these headers, e.g. Retry-After). */
  failNext(op: ConnectorOp | 'any', status: number, headers: Record<string, string> = {}, times = 1): void {
    this.failures.push({ op, status, headers, remaining: times });
  }

  addMember(member: FakeMember): void {
    this.members.set(member.id, member);
  }

  /** Calls that delivered something (send, reply, update), in order. */
  deliveries(): ConnectorCall[] {
    return this.calls.filter((c) => c.status < 300 && (c.op === 'send' || c.op === 'reply' || c.op === 'update'));
  }

  message(id: string): PostedMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  /** Messages in a conversation (top-level and in threads), in the order sent. */
  messagesIn(conversationId: string): PostedMessage[] {
    return this.messages.filter((m) => m.conversationId === conversationId);
  }

  /** Replies in a channel thread (or answers to a chat message). */
  repliesTo(messageId: string): PostedMessage[] {
    return this.messages.filter((m) => m.id !== messageId && (m.threadRootId === messageId || m.replyToId === messageId));
  }

  clear(): void {
    this.calls.length = 0;
    this.messages.length = 0;
  }

  private route(
    op: ConnectorOp,
    conversationId: string,
    activityId: string | undefined,
    req: express.Request,
    res: express.Response,
    answer: () => { status: number; body: unknown },
  ): void {
    const failure = this.failures.find((f) => f.op === op || f.op === 'any');
    const authorization = req.headers.authorization;
    const base = { op, conversationId, ...(activityId ? { activityId } : {}), body: req.body, ...(authorization ? { authorization } : {}) };
    if (failure) {
      if (--failure.remaining <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      this.calls.push({ ...base, status: failure.status });
      res
        .status(failure.status)
        .set(failure.headers)
        .json({ error: { code: failure.status === 429 ? 'Throttled' : 'ServiceError', message: `fake failure ${failure.status}` } });
      return;
    }
    const { status, body } = answer();
    this.calls.push({ ...base, status });
    res.status(status).json(body);
  }

  private record(conversationId: string, body: any, replyToId?: string): { status: number; body: unknown } {
    const id = String(1_700_000_000_000 + ++this.counter);
    const [base, thread] = conversationId.split(';messageid=');
    // A typing indicator (teams-ai sends one when a first answer is slow) is no message a person reads: it stays in `calls` only.
    if (body?.type === 'typing') return { status: 201, body: { id } };
    this.messages.push({
      id,
      conversationId: base!,
      ...(thread ? { threadRootId: thread } : {}),
      ...(replyToId ? { replyToId } : {}),
      versions: [body],
    });
    return { status: 201, body: { id } };
  }

  private update(activityId: string, body: any): { status: number; body: unknown } {
    const message = this.message(activityId);
    if (!message) return { status: 404, body: { error: { code: 'ActivityNotFound', message: 'no such activity' } } };
    message.versions.push(body);
    return { status: 200, body: { id: activityId } };
  }

  private create(body: any): { status: number; body: unknown } {
    const userId: string | undefined = body?.members?.[0]?.id;
    if (!userId || this.unreachable.has(userId) || !this.members.has(userId)) {
      return { status: 403, body: { error: { code: 'Forbidden', message: 'The bot is not part of the conversation roster.' } } };
    }
    return { status: 201, body: { id: personalConversationId(userId) } };
  }

  private member(idOrAad: string): { status: number; body: unknown } {
    const member = this.members.get(idOrAad) ?? [...this.members.values()].find((m) => m.aadObjectId === idOrAad);
    if (!member) return { status: 404, body: { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } } };
    return {
      status: 200,
      body: {
        id: member.id,
        name: member.name,
        aadObjectId: member.aadObjectId,
        ...(member.email ? { email: member.email, userPrincipalName: member.email } : {}),
      },
    };
  }
}

/** The id Teams gives the 1:1 chat between the bot and a person (made up, but stable per person). */
export function personalConversationId(userId: string): string {
  return `a:1on1-${userId.replace(/^29:/, '')}`;
}
