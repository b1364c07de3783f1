import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Classify, MessageStore } from './fake-slack-store';
import type { FakeApiUser } from './fake-slack-users';
import { SlackMethods, type Args, type Workspace } from './fake-slack-methods';
import { Buckets, minimumSeconds, type Rate } from './token-bucket';

export { generateUsers, type FakeApiUser } from './fake-slack-users';
export { BOT_USER, type Workspace } from './fake-slack-methods';

/**
 * A fake Slack Web API for load and soak tests: plain node:http, thousands of calls a second on
 * loopback. It answers what Steady's Slack adapter calls with the shapes fake-slack.ts uses (that
 * one is for scripted conversations; this one is for volume), keeps every message it stored with
 * its metadata, and misbehaves on demand, as Slack does on a bad day: latency, random 429s with
 * Retry-After, HTTP 500s of which half come after the message was stored (the caller cannot tell,
 * so its retry is in doubt), and a rate limit it enforces itself per workspace and per channel.
 */
export interface Faults {
  /** Added to every answer, whatever it is. */
  readonly latencyMs: number;
  /** Probability of a 429 that no limit explains, as Slack sometimes sends. */
  readonly rateLimitedRate: number;
  /** The Retry-After of those random 429s. */
  readonly retryAfterSeconds: number;
  /** Probability of HTTP 500; half of them come after the call took effect. */
  readonly serverErrorRate: number;
  /** Methods the random faults apply to; all but auth.test when absent. */
  readonly methods?: readonly string[];
}

export interface Limits {
  /** chat.postMessage per workspace; null for none. */
  readonly workspace: Rate | null;
  /** chat.postMessage per channel (a DM is a channel); null for none. */
  readonly channel: Rate | null;
  /** Other methods per workspace, e.g. `{ 'users.info': { perSecond: 2, burst: 20 } }`. */
  readonly methods: Readonly<Record<string, Rate>>;
}

export interface FakeSlackApiOptions {
  readonly port?: number;
  readonly workspaces?: readonly Workspace[];
  readonly users?: readonly FakeApiUser[];
  readonly faults?: Partial<Faults>;
  readonly limits?: Partial<Limits>;
  /** Makes the random faults repeatable. */
  readonly seed?: number;
  readonly now?: () => number;
  readonly classify?: Classify;
}

export interface FakeSlackApiStats {
  readonly calls: Record<string, number>;
  readonly rateLimited: { random: number; workspaceLimit: number; channelLimit: number; methodLimit: number };
  /** `after`: the call took effect (a message stored or updated) but its caller was told 500. */
  readonly serverErrors: { before: number; after: number };
  readonly stored: number;
  readonly updated: number;
}

/** A POST to a response_url the fake handed out (`responseUrl(id)`), as it arrived. */
export interface ResponseArrival {
  readonly id: string;
  /** Date.now() when the body had arrived: comparable with the sender's clock on the same machine. */
  readonly at: number;
  /** The answer's notification text (what Slack shows in a notification), cut to 200 characters. */
  readonly text: string;
}

export const WORKSPACE: Workspace = { id: 'T0STEADY', name: 'Acme Ops', token: 'xoxb-fake-token-1' };

const NO_FAULTS: Faults = { latencyMs: 0, rateLimitedRate: 0, retryAfterSeconds: 1, serverErrorRate: 0 };
/** Slack's published "about 1 per second per channel, short bursts"; its workspace ceiling is unpublished. */
export const SLACK_LIKE_LIMITS: Limits = {
  workspace: { perSecond: 100, burst: 100 },
  channel: { perSecond: 1, burst: 3 },
  methods: {},
};

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter?: number;
}

export class FakeSlackApi {
  private readonly slack: SlackMethods;
  private readonly tokens = new Map<string, Workspace>();
  private faultsNow: Faults;
  private limitsNow: Limits = { workspace: null, channel: null, methods: {} };
  private workspaceBuckets: Buckets | undefined;
  private channelBuckets: Buckets | undefined;
  private methodBuckets = new Map<string, Buckets>();
  private arrivals: ResponseArrival[] = [];
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly counters = {
    calls: {} as Record<string, number>,
    rateLimited: { random: 0, workspaceLimit: 0, channelLimit: 0, methodLimit: 0 },
    serverErrors: { before: 0, after: 0 },
  };

  private constructor(
    private readonly server: Server,
    options: FakeSlackApiOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.seed === undefined ? Math.random : seededRandom(options.seed);
    this.slack = new SlackMethods(this.now, options.classify);
    for (const w of options.workspaces ?? [WORKSPACE]) this.tokens.set(w.token, w);
    this.addUsers(options.users ?? []);
    this.faultsNow = { ...NO_FAULTS, ...options.faults };
    this.configure({ limits: options.limits ?? {} });
  }

  static async start(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    let api: FakeSlackApi | undefined;
    const server = createServer((req, res) => api!.receive(req, res));
    // Clients keep connections open and reuse them; Node's 5 s default races them.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    api = new FakeSlackApi(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What SLACK_API_URL (or the adapter's apiUrl) should be. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url for a slash command or button: what is posted to it is kept (see takeResponses). */
  responseUrl(id: string): string {
    return `${this.url}/respond/${encodeURIComponent(id)}`;
  }

  /** The answers posted to response_urls since the last call, in the order they arrived. */
  takeResponses(): ResponseArrival[] {
    const taken = this.arrivals;
    this.arrivals = [];
    return taken;
  }

  get faults(): Faults {
    return this.faultsNow;
  }

  get limits(): Limits {
    return this.limitsNow;
  }

  /** Changes faults or limits while running; limits start again from full buckets. */
  configure(change: { faults?: Partial<Faults>; limits?: Partial<Limits> }): void {
    if (change.faults) this.faultsNow = { ...this.faultsNow, ...change.faults };
    if (change.limits) {
      this.limitsNow = { ...this.limitsNow, ...change.limits };
      this.workspaceBuckets = this.limitsNow.workspace ? new Buckets(this.limitsNow.workspace) : undefined;
      this.channelBuckets = this.limitsNow.channel ? new Buckets(this.limitsNow.channel) : undefined;
      this.methodBuckets = new Map(Object.entries(this.limitsNow.methods).map(([method, rate]) => [method, new Buckets(rate)]));
    }
  }

  /** Every message stored, for counting what each person received. */
  get store(): MessageStore {
    return this.slack.store;
  }

  addUsers(users: readonly FakeApiUser[]): void {
    for (const user of users) this.slack.users.set(user.id, user);
  }

  /** The bot's DM channel with a person. */
  dmChannel(userId: string): string {
    return this.slack.dmChannel(userId);
  }

  stats(): FakeSlackApiStats {
    const c = this.counters;
    return {
      calls: { ...c.calls },
      rateLimited: { ...c.rateLimited },
      serverErrors: { ...c.serverErrors },
      stored: this.store.all.length,
      updated: this.slack.updates,
    };
  }

  /** The least time `messages` DMs (each to another person) take under the current limits. */
  minimumSecondsFor(messages: number, perChannel = 1): number {
    const workspace = this.limitsNow.workspace ? minimumSeconds(messages, this.limitsNow.workspace) : 0;
    const channel = this.limitsNow.channel ? minimumSeconds(perChannel, this.limitsNow.channel) : 0;
    return Math.max(workspace, channel);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = req.url?.startsWith('/respond/') ? this.response(req.url, body) : this.answer(req, body);
      if (this.faultsNow.latencyMs > 0) setTimeout(() => send(res, answer), this.faultsNow.latencyMs);
      else send(res, answer);
    });
  }

  /** A POST to a response_url: Slack answers 200 and shows the message to the person. */
  private response(url: string, body: string): Answer {
    const at = Date.now();
    let text = '';
    try {
      const parsed = JSON.parse(body) as { text?: unknown };
      text = typeof parsed.text === 'string' ? parsed.text.slice(0, 200) : '';
    } catch {
      return { status: 400, body: { ok: false, error: 'invalid_json' } };
    }
    this.counters.calls.response_url = (this.counters.calls.response_url ?? 0) + 1;
    this.arrivals.push({ id: decodeURIComponent(url.slice('/respond/'.length)), at, text });
    return ok200({ ok: true });
  }

  private answer(req: IncomingMessage, body: string): Answer {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (!path.startsWith('/api/')) return { status: 404, body: { ok: false, error: 'not_found' } };
    const method = path.slice('/api/'.length);
    this.counters.calls[method] = (this.counters.calls[method] ?? 0) + 1;
    let args: Args;
    try {
      args = { ...(q < 0 ? {} : formArgs(url.slice(q + 1))), ...bodyArgs(req.headers['content-type'], body) };
    } catch {
      return ok200({ ok: false, error: 'invalid_json' });
    }
    const token = bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
    const workspace = token ? this.tokens.get(token) : undefined;
    if (!workspace) return ok200({ ok: false, error: token ? 'invalid_auth' : 'not_authed' });

    const faulty = this.faultsNow.methods ? this.faultsNow.methods.includes(method) : method !== 'auth.test';
    if (faulty && this.random() < this.faultsNow.rateLimitedRate) {
      this.counters.rateLimited.random++;
      return rateLimited(this.faultsNow.retryAfterSeconds);
    }
    const limited = this.overLimit(workspace, method, args);
    if (limited) return limited;
    const failing = faulty && this.random() < this.faultsNow.serverErrorRate;
    const afterEffect = failing && this.random() < 0.5;
    if (failing && !afterEffect) {
      this.counters.serverErrors.before++;
      return serverError();
    }
    const result = this.slack.call(workspace, method, args);
    if (afterEffect) {
      this.counters.serverErrors.after++;
      if (result.stored) result.stored.inDoubt = true;
      return serverError();
    }
    return ok200(result.body);
  }

  /** The limits are Slack's own answer to too much: 429 with Retry-After, nothing done. */
  private overLimit(workspace: Workspace, method: string, args: Args): Answer | undefined {
    const now = this.now();
    const perMethod = this.methodBuckets.get(method)?.get(workspace.id, now);
    if (perMethod) {
      const wait = perMethod.wait(now);
      if (wait > 0) {
        this.counters.rateLimited.methodLimit++;
        return rateLimited(Math.ceil(wait));
      }
      perMethod.take(now);
    }
    if (method !== 'chat.postMessage') return undefined;
    const channel = this.slack.resolveChannel(String(args.channel ?? ''));
    const perChannel = channel ? this.channelBuckets?.get(`${workspace.id}/${channel.id}`, now) : undefined;
    const perWorkspace = this.workspaceBuckets?.get(workspace.id, now);
    const channelWait = perChannel?.wait(now) ?? 0;
    if (channelWait > 0) {
      this.counters.rateLimited.channelLimit++;
      return rateLimited(Math.ceil(channelWait));
    }
    const workspaceWait = perWorkspace?.wait(now) ?? 0;
    if (workspaceWait > 0) {
      this.counters.rateLimited.workspaceLimit++;
      return rateLimited(Math.ceil(workspaceWait));
    }
    perChannel?.take(now);
    perWorkspace?.take(now);
    return undefined;
  }
}

/** Slack's WebClient sends a form whose nested values (blocks, metadata) are JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);

function bodyArgs(contentType: string | undefined, body: string): Args {
  if (!body) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(body) as Args;
  return formArgs(body);
}

function formArgs(form: string): Args {
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(form)) args[key] = JSON_FIELDS.has(key) && /^[[{]/.test(value) ? JSON.parse(value) : value;
  return args;
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function ok200(body: Record<string, unknown>): Answer {
  return { status: 200, body };
}

function rateLimited(seconds: number): Answer {
  return { status: 429, body: { ok: false, error: 'ratelimited' }, retryAfter: Math.max(1, seconds) };
}

function serverError(): Answer {
  return { status: 500, body: { ok: false, error: 'internal_error' } };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  const body = JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  };
  if (answer.retryAfter !== undefined) headers['retry-after'] = answer.retryAfter;
  res.writeHead(answer.status, headers);
  res.end(body);
}

/** mulberry32: small, fast, good enough to make a fault pattern repeatable. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
