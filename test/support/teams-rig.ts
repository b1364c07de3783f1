import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createTeamsAdapter } from '../../adapters/teams';
import type { PlatformAdapter } from '../../src/adapter';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { createHttpApp } from '../../src/http/server';
import { advanceThrough } from '../../src/scheduler/advance';
import { createSteady, type Steady, type SteadyOptions } from '../../src/steady';
import { openTestDatabase, silentLog, type TestDatabase } from './database';
import {
  BOT,
  PERSONAL,
  TENANT_ID,
  cardActionActivity,
  cardSubmitActivity,
  conversationIdOf,
  conversationUpdate,
  inThread,
  installationUpdate,
  messageActivity,
  type TeamsPerson,
  type TeamsTeam,
  type Where,
} from './fake-teams-activities';
import { buttonsOf, inputsOf, visibleTeamsText } from './fake-teams-cards';
import { FakeTeamsConnector, type PostedMessage } from './fake-teams-connector';

export interface TeamsRigOptions {
  /** Shared across restarts; opened (and closed by `stop`) when not given. */
  readonly database?: TestDatabase;
  readonly start?: string;
  readonly clock?: FakeClock;
  readonly connector?: FakeTeamsConnector;
  /** The workflows to run; the real ones when not given. */
  readonly workflows?: SteadyOptions['workflows'];
  /** Run with Bot Framework authentication on (an app id and password); off by default, as TEAMS_AUTH=off. */
  readonly auth?: { readonly appId: string; readonly password: string };
  readonly defaultTimeZone?: string;
}

export interface ClickOptions {
  /** The activity id Teams gives the click (the same one again is a retry). */
  readonly activityId?: string;
  /** Click on this version of the card (0: as first sent), as a second click on a card not yet refreshed would. */
  readonly version?: number;
  /** How the client sends the click: Action.Execute (an invoke, the default) or Action.Submit (a message, older clients). */
  readonly via?: 'Action.Execute' | 'Action.Submit';
}

export interface Answer {
  readonly status: number;
  readonly body: any;
}

/**
 * Steady with the real Teams adapter on loopback, driven as Teams drives it: activities POSTed to
 * /api/messages, whose service URL is a fake Bot Framework connector that records what the bot
 * sends. Time is a FakeClock; `advance` runs the scheduler. Tests read like a conversation:
 *
 *   const rig = await TeamsRig.start();
 *   await rig.install(alice);
 *   await rig.say(alice, 'escalate Printer down');
 *   const form = rig.last(alice);
 *   await rig.submit(alice, form, { Owner: bob, Due: { date: '2026-12-01', time: '10:00' } });
 */
export class TeamsRig {
  steady!: Steady;
  adapter!: PlatformAdapter;
  url = '';
  private server: Server | undefined;
  private counter = 0;

  private constructor(
    readonly database: TestDatabase,
    private readonly ownsDatabase: boolean,
    readonly clock: FakeClock,
    readonly connector: FakeTeamsConnector,
    private readonly ownsConnector: boolean,
    private readonly options: TeamsRigOptions,
  ) {}

  static async start(options: TeamsRigOptions = {}): Promise<TeamsRig> {
    const database = options.database ?? (await openTestDatabase());
    const connector = options.connector ?? (await new FakeTeamsConnector().start());
    const rig = new TeamsRig(
      database,
      !options.database,
      options.clock ?? new FakeClock(options.start ?? '2026-11-30T08:00:00Z'),
      connector,
      !options.connector,
      options,
    );
    await rig.open();
    return rig;
  }

  get serviceUrl(): string {
    return this.connector.url;
  }

  /** Stops the bot (as a deploy or crash would) and starts a new one on the same database. */
  async restart(): Promise<void> {
    await this.close();
    await this.open();
  }

  async stop(): Promise<void> {
    await this.close();
    if (this.ownsConnector) await this.connector.stop();
    if (this.ownsDatabase) await this.database.close();
  }

  /** Runs the scheduler until `until` (an ISO instant or ms from now), stopping at each due moment. */
  async advance(until: string | number): Promise<void> {
    const target = typeof until === 'number' ? new Date(this.clock.now().getTime() + until) : new Date(until);
    await advanceThrough(this.steady.scheduler, this.clock, target);
  }

  /** POSTs an activity to /api/messages as the Bot Framework would. */
  async send(activity: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  }

  /** The person installs Steady for themselves (or in a team channel / group chat). */
  async install(who: TeamsPerson, where: Where = PERSONAL): Promise<Answer> {
    this.connector.addMember(who);
    return this.send(installationUpdate(this.serviceUrl, who, where, 'add'));
  }

  /** Steady is added to a team by someone; the team's channels become known. */
  async addToTeam(t: TeamsTeam, by: TeamsPerson, channels: readonly string[] = []): Promise<Answer> {
    this.connector.addMember(by);
    this.connector.teamChannels.set(t.id, [
      { id: t.id },
      ...channels.map((name) => ({ id: `19:${t.name.toLowerCase()}-${name.toLowerCase()}@thread.tacv2`, name })),
    ]);
    const general: Where = { kind: 'channel', team: t, channelId: t.id, channelName: 'General' };
    return this.send(conversationUpdate(this.serviceUrl, by, general, { membersAdded: [{ id: BOT.id }] }));
  }

  /** Someone the connector knows (a member of the tenant) who has not talked to Steady yet. */
  knows(who: TeamsPerson): void {
    this.connector.addMember(who);
  }

  /** The person types a message. In channels write `@Steady …` to address the bot. */
  async say(who: TeamsPerson, text: string, where: Where = PERSONAL, options: { mentions?: readonly TeamsPerson[] } = {}): Promise<Answer> {
    this.connector.addMember(who);
    return this.send(messageActivity(this.serviceUrl, who, where, text, { ...options, id: this.nextId() }));
  }

  /** Clicks a button of a card the bot sent (by its title), with the card's inputs as they are plus `inputs`. */
  async click(
    who: TeamsPerson,
    message: PostedMessage,
    title: string,
    inputs: Record<string, string> = {},
    options: ClickOptions = {},
  ): Promise<Answer> {
    const card = options.version === undefined ? latest(message) : message.versions[options.version];
    const button = buttonsOf(card).find((b) => b.title === title);
    if (!button)
      throw new Error(
        `no button "${title}" on the card; it has ${buttonsOf(card)
          .map((b) => `"${b.title}"`)
          .join(', ')}`,
      );
    const current = Object.fromEntries(inputsOf(card).flatMap((i) => (i.value === undefined ? [] : [[i.id, String(i.value)]])));
    const data = button.verb === 'steady.form' ? { ...current, ...inputs, ...button.data } : button.data;
    const where = this.whereOf(who, message);
    const id = options.activityId ?? this.nextId();
    if (options.via === 'Action.Submit') return this.send(cardSubmitActivity(this.serviceUrl, who, where, message.id, data, id));
    return this.send(cardActionActivity(this.serviceUrl, who, where, message.id, { verb: button.verb, data }, id));
  }

  /**
   * Fills in a form card by input label and clicks its submit button. A value is the text typed, a
   * person (picked in the people picker: their Azure AD id is sent), people, a choice's title, or a
   * date and time.
   */
  async submit(
    who: TeamsPerson,
    message: PostedMessage,
    values: Record<string, string | boolean | TeamsPerson | TeamsPerson[] | { date: string; time: string }>,
    options: ClickOptions = {},
  ): Promise<Answer> {
    const card = options.version === undefined ? latest(message) : message.versions[options.version];
    const inputs = inputsOf(card);
    const data: Record<string, string> = {};
    for (const [label, value] of Object.entries(values)) {
      const input = inputs.find((i) => i.label === label || i.id === `f.${label}`);
      if (!input) throw new Error(`no input "${label}" on the form; it has ${inputs.map((i) => `"${i.label}"`).join(', ')}`);
      if (typeof value === 'object' && value !== null && 'date' in value) {
        const time = inputs[inputs.indexOf(input) + 1]!;
        data[input.id] = value.date;
        data[time.id] = value.time;
      } else if (Array.isArray(value)) {
        data[input.id] = value.map((p) => p.aadObjectId).join(',');
      } else if (typeof value === 'object' && value !== null) {
        data[input.id] = value.aadObjectId;
      } else if (typeof value === 'boolean') {
        data[input.id] = value ? 'true' : 'false';
      } else if (input.type === 'Input.ChoiceSet' && !input.dataset) {
        const titles = value.split(',').map((t) => t.trim());
        const picked = titles.map((t) => input.choices!.find((c) => c.title === t)?.value);
        data[input.id] = picked.every((p) => p !== undefined) ? picked.join(',') : value;
      } else {
        data[input.id] = value;
      }
    }
    const submit = buttonsOf(card).find((b) => b.verb === 'steady.form');
    if (!submit) throw new Error('the card has no submit button');
    return this.click(who, message, submit.title, data, options);
  }

  /** Messages the bot sent in a person's 1:1 chat, a channel (with its threads) or a conversation by id, in order. */
  sentIn(place: TeamsPerson | Where | string): PostedMessage[] {
    return this.connector.messagesIn(conversationOf(place));
  }

  last(place: TeamsPerson | Where | string): PostedMessage {
    const messages = this.sentIn(place);
    const message = messages[messages.length - 1];
    if (!message) throw new Error(`nothing was sent to ${conversationOf(place)}`);
    return message;
  }

  /** What the answer to a card click shows the person who clicked (a card), or its message. */
  answerText(answer: Answer, zone = 'UTC'): string {
    const value = answer.body?.value;
    if (answer.body?.type === 'application/vnd.microsoft.card.adaptive')
      return visibleTeamsText({ attachments: [{ contentType: answer.body.type, content: value }] }, zone);
    return typeof value === 'string' ? value : JSON.stringify(answer.body);
  }

  /** What the message shows now, as a person in `zone` reads it. */
  text(message: PostedMessage, zone = 'UTC'): string {
    return visibleTeamsText(latest(message), zone);
  }

  /** Everything a conversation shows now, one string per message (a person's chat in their own zone). */
  textsIn(place: TeamsPerson | Where | string, zone?: string): string[] {
    const fallbackZone = typeof place === 'object' && 'zone' in place ? (place.zone ?? 'UTC') : 'UTC';
    return this.sentIn(place).map((m) => this.text(m, zone ?? fallbackZone));
  }

  private whereOf(who: TeamsPerson, message: PostedMessage): Where {
    if (message.conversationId === conversationIdOf(PERSONAL, who)) return PERSONAL;
    if (message.conversationId.startsWith('19:') && message.conversationId.includes('@thread')) {
      const teamId = this.teamOf(message.conversationId);
      const where: Where = { kind: 'channel', team: teamId, channelId: message.conversationId, channelName: '' };
      return inThread(where, message.threadRootId ?? message.id);
    }
    return { kind: 'groupChat', id: message.conversationId };
  }

  private teamOf(channelId: string): TeamsTeam {
    for (const [teamId, channels] of this.connector.teamChannels) {
      if (channels.some((c) => c.id === channelId)) return { id: teamId, name: '' };
    }
    return { id: channelId, name: '' };
  }

  private nextId(): string {
    return `${1_800_000_000_000 + ++this.counter}`;
  }

  private async open(): Promise<void> {
    const platforms = new Platforms();
    this.steady = createSteady({
      db: this.database.db,
      clock: this.clock,
      log: silentLog,
      platforms,
      // Sends are paced as Teams asks; waiting moves the fake clock instead of the test's time.
      outbox: { wait: this.clock.waitUntil, maxWaitMs: 60_000 },
      ...(this.options.defaultTimeZone ? { defaultTimeZone: this.options.defaultTimeZone } : {}),
      ...(this.options.workflows ? { workflows: this.options.workflows } : {}),
    });
    const auth = this.options.auth;
    this.adapter = await createTeamsAdapter(
      auth
        ? { appId: auth.appId, password: auth.password, appType: 'MultiTenant', authenticated: true }
        : { appType: 'MultiTenant', authenticated: false },
      { steady: this.steady, db: this.database.db, clock: this.clock, log: silentLog, host: '127.0.0.1' },
    );
    platforms.register(this.adapter.platform);
    const app = createHttpApp({ db: this.database.db, log: silentLog });
    this.adapter.mount?.(app);
    await this.adapter.start?.();
    this.server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async close(): Promise<void> {
    await this.adapter?.stop?.();
    await this.steady?.scheduler.stop(1000);
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }
}

function conversationOf(place: TeamsPerson | Where | string): string {
  if (typeof place === 'string') return place;
  if ('kind' in place) {
    if (place.kind === 'personal') throw new Error('name the person whose 1:1 chat it is');
    return place.kind === 'channel' ? place.channelId : place.id;
  }
  return conversationIdOf(PERSONAL, place);
}

function latest(message: PostedMessage): any {
  return message.versions[message.versions.length - 1];
}

export { TENANT_ID };
