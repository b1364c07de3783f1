import { createHmac } from 'node:crypto';
import { createSlackAdapter, type SlackAdapter } from '../../adapters/slack';
import type { SlackOAuthConfig } from '../../adapters/slack/settings';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { advanceThrough } from '../../src/scheduler/advance';
import { createSteady, type Steady, type SteadyOptions } from '../../src/steady';
import { blockKitText } from './block-kit-text';
import { silentLog, type TestDatabase } from './database';
import { BOT_TOKEN, BOT_USER, FakeSlack, type FakeUser, type OpenedView, type SlackMessage } from './fake-slack';
import { SlackPerson } from './slack-person';

export { SlackPerson, type ButtonPlace } from './slack-person';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const GENERAL = 'C0GENERAL';

/** The headers Slack signs a request with (https://docs.slack.dev/authentication/verifying-requests-from-slack). */
export function slackSignature(
  body: string,
  options: { readonly timestamp?: number; readonly secret?: string } = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

export interface SlackRigOptions {
  readonly database: TestDatabase;
  /** Where the fake clock starts (the scheduler's time; request signatures use real time). */
  readonly start?: string;
  /** The workflows; Steady's own (buildWorkflows) when absent. */
  readonly workflows?: SteadyOptions['workflows'];
  /** How many events Steady handles at once, and when a waiting one's person is told it is queued. */
  readonly requests?: SteadyOptions['requests'];
  /** The workspace's people, by Slack user id. */
  readonly users?: Record<string, FakeUser>;
  /** OAuth distribution instead of the single bot token. */
  readonly oauth?: SlackOAuthConfig;
}

/**
 * Steady's real Slack adapter on a random port, Slack played by signed HTTP requests, and Slack's
 * Web API by a fake on loopback. Tests read like what people do in Slack:
 * `await rig.as('U1').command('/escalate', 'Printer down')`, `await rig.as('U2').press('Acknowledge', card)`,
 * then look at what the fake Slack received (`rig.visible(message.blocks)`, `rig.privateTo('U1')`).
 * Every request waits until the work that follows Slack's ack is done.
 */
export class SlackRig {
  private triggers = 0;
  private responseUrls = 0;
  private events = 0;
  /** response_url id → the user it answers. */
  private readonly responseUrlOwners = new Map<string, string>();

  private constructor(
    readonly clock: FakeClock,
    readonly slack: FakeSlack,
    readonly steady: Steady,
    readonly adapter: SlackAdapter,
    private readonly http: RunningServer,
  ) {}

  static async start(options: SlackRigOptions): Promise<SlackRig> {
    const clock = new FakeClock(options.start ?? '2026-11-30T08:00:00Z');
    const slack = await FakeSlack.start();
    for (const [id, user] of Object.entries(options.users ?? {})) slack.users.set(id, user);
    const platforms = new Platforms();
    const steady = createSteady({
      db: options.database.db,
      clock,
      log: silentLog,
      platforms,
      // Sends are paced as Slack asks; waiting moves the fake clock instead of the test's time.
      outbox: { wait: clock.waitUntil, maxWaitMs: 60_000 },
      ...(options.workflows ? { workflows: options.workflows } : {}),
      ...(options.requests ? { requests: options.requests } : {}),
    });
    const adapter = await createSlackAdapter(
      {
        ...(options.oauth ? { oauth: options.oauth } : { botToken: BOT_TOKEN }),
        signingSecret: SIGNING_SECRET,
        apiUrl: slack.apiUrl,
        postsPerSecond: 20,
      },
      { steady, db: options.database.db, clock, log: silentLog },
    );
    platforms.register(adapter.platform);
    const app = createHttpApp({ db: options.database.db, log: silentLog });
    adapter.mount?.(app);
    const http = await listen(app, '127.0.0.1', 0);
    return new SlackRig(clock, slack, steady, adapter, http);
  }

  get teamId(): string {
    return this.slack.team.id;
  }

  /** Steady's own address (its HTTP server on loopback). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.http.port}`;
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.http.port}/slack/events`;
  }

  /** A person of the rig's workspace, or of `place` (another workspace, or a team of a Grid org). */
  as(userId: string, channel = GENERAL, place?: { readonly teamId: string; readonly enterpriseId?: string }): SlackPerson {
    return new SlackPerson(this, userId, channel, place);
  }

  /** POSTs a body to /slack/events signed as Slack signs it (or not, to test refusals). */
  async post(
    body: string,
    contentType: 'application/json' | 'application/x-www-form-urlencoded',
    options: {
      readonly timestamp?: number;
      readonly secret?: string;
      readonly headers?: Record<string, string>;
      /** false: return as soon as Slack would have its answer, without waiting for the work that follows. */
      readonly settle?: boolean;
      /** A slash command's response_url id: an answer in the acknowledgement is shown there, as Slack shows it. */
      readonly answersTo?: string;
    } = {},
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(this.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, ...slackSignature(body, options), ...options.headers },
      body,
    });
    const text = await res.text();
    if (options.answersTo && text.startsWith('{')) this.slack.answeredInAck(options.answersTo, JSON.parse(text));
    if (options.settle !== false) await this.idle();
    return { status: res.status, text };
  }

  /** An Events API request carrying `event`. */
  async sendEvent(
    event: Record<string, unknown>,
    options: {
      readonly eventId?: string;
      readonly retryNum?: number;
      readonly teamId?: string;
      readonly enterpriseId?: string;
      readonly orgWide?: boolean;
    } = {},
  ): Promise<{ status: number; text: string }> {
    const teamId = options.teamId ?? this.teamId;
    const envelope = {
      token: 'legacy-verification-token',
      team_id: teamId,
      ...(options.enterpriseId ? { enterprise_id: options.enterpriseId } : {}),
      api_app_id: 'A0STEADY',
      event,
      type: 'event_callback',
      event_id: options.eventId ?? `Ev${String(++this.events).padStart(8, '0')}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: options.enterpriseId ?? null,
          team_id: teamId,
          user_id: BOT_USER,
          is_bot: true,
          is_enterprise_install: options.orgWide ?? false,
        },
      ],
      is_ext_shared_channel: false,
    };
    const headers: Record<string, string> = options.retryNum
      ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {};
    return this.post(JSON.stringify(envelope), 'application/json', { headers });
  }

  async interactive(
    payload: Record<string, unknown>,
    options: { readonly settle?: boolean } = {},
  ): Promise<{ status: number; text: string }> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
  }

  /** Waits until the work that followed every ack is done. */
  idle(): Promise<void> {
    return this.adapter.idle();
  }

  /** Runs the scheduler up to `until` (an ISO instant or ms from now), stopping at each due moment. */
  async advance(until: string | number): Promise<void> {
    const target = typeof until === 'number' ? new Date(this.clock.now().getTime() + until) : new Date(until);
    await advanceThrough(this.steady.scheduler, this.clock, target);
    await this.idle();
  }

  nextTriggerId(userId: string): string {
    return `trigger-${userId}-${++this.triggers}`;
  }

  nextResponseUrl(userId: string, expired = false): string {
    return this.slack.responseUrl(this.nextResponseId(userId, expired));
  }

  /** A new response_url's id (the fake's `responseUrl(id)` is its address). */
  nextResponseId(userId: string, expired = false): string {
    const id = `${userId}-${++this.responseUrls}`;
    this.responseUrlOwners.set(id, userId);
    if (expired) this.slack.expiredResponseUrls.add(id);
    return id;
  }

  /** Block Kit as the person reading it sees it (names for mentions, dates as their fallback). */
  visible(blocks: readonly any[]): string {
    return blockKitText(blocks, {
      user: (id) => this.slack.users.get(id)?.displayName || this.slack.users.get(id)?.realName || this.slack.users.get(id)?.name,
      channel: (id) => this.slack.channelNames.get(id),
    });
  }

  /** What only this person was shown (response_url answers and ephemeral messages), in order, as text. */
  privateTo(userId: string): string[] {
    const viaUrl = this.slack.responses
      .filter((r) => this.responseUrlOwners.get(r.id) === userId)
      .map((r) => this.visible(r.body.blocks ?? []));
    const ephemeral = this.slack.ephemerals.filter((e) => e.user === userId).map((e) => this.visible(e.blocks));
    return [...viaUrl, ...ephemeral];
  }

  /** The bot's direct messages to a person, as text. */
  dmsTo(userId: string): string[] {
    return this.slack.messagesIn(this.slack.dmChannel(userId)).map((m) => this.visible(m.blocks));
  }

  /** Messages posted in a channel (not thread replies), as the fake holds them now. */
  postsIn(channel: string): SlackMessage[] {
    return this.slack.messagesIn(channel).filter((m) => !m.threadTs);
  }

  repliesTo(message: SlackMessage): SlackMessage[] {
    return this.slack.messages.filter((m) => m.channel === message.channel && m.threadTs === message.ts);
  }

  /** The modal last opened for this person (views.open with one of their trigger ids). */
  lastModal(userId: string): OpenedView | undefined {
    return this.slack.views.filter((v) => v.triggerId.startsWith(`trigger-${userId}-`)).at(-1);
  }

  /** The person's App Home as last published. */
  home(userId: string): any[] | undefined {
    return this.slack.homes.get(userId)?.at(-1)?.blocks;
  }

  async close(): Promise<void> {
    await this.adapter.stop?.();
    await this.http.close();
    await this.slack.close();
  }
}
