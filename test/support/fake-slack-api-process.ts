import type { ChildProcess } from 'node:child_process';
import {
  FakeSlackApi,
  type FakeSlackApiOptions,
  type FakeSlackApiStats,
  type Faults,
  type Limits,
  type ResponseArrival,
} from './fake-slack-api';
import type { Duplicate, StoredMessage } from './fake-slack-store';
import { forkModule } from './fork-ts';

/**
 * The fake Slack Web API in a process of its own, driven over IPC: a benchmark that measures
 * Steady's CPU with process.cpuUsage must not count the fake's, and a soak that kills processes
 * should not take Slack down with them. Same faults, limits and counts as the in-process fake.
 */
export type FakeSlackApiProcessOptions = Omit<FakeSlackApiOptions, 'now' | 'classify'>;

type Request =
  | { op: 'start'; options: FakeSlackApiProcessOptions }
  | { op: 'configure'; change: { faults?: Partial<Faults>; limits?: Partial<Limits> } }
  | { op: 'stats' }
  | { op: 'cpu' }
  | { op: 'duplicates' }
  | { op: 'countPerKind' }
  | { op: 'countPerRecipient'; kind?: string }
  | { op: 'messages'; recipient?: string }
  | { op: 'arrivals'; kind: string }
  | { op: 'takeResponses' }
  | { op: 'minimumSecondsFor'; messages: number; perChannel?: number };

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class FakeSlackApiProcess {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();

  private url = '';

  private constructor(private readonly child: ChildProcess) {}

  static async start(options: FakeSlackApiProcessOptions = {}): Promise<FakeSlackApiProcess> {
    const child = forkModule(__filename, ['serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Only a pending request keeps this process alive for the child (see ask and settle).
    child.unref();
    const fake = new FakeSlackApiProcess(child);
    child.on('message', (reply: Reply) => fake.settle(reply));
    child.on('exit', (code) => fake.failAll(new Error(`the fake Slack API process exited (${code})`)));
    fake.url = (await fake.ask({ op: 'start', options })) as string;
    return fake;
  }

  /** What SLACK_API_URL (or the adapter's apiUrl) should be. */
  get apiUrl(): string {
    return this.url;
  }

  /** The child's pid, for a test that wants to signal it. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  configure(change: { faults?: Partial<Faults>; limits?: Partial<Limits> }): Promise<void> {
    return this.ask({ op: 'configure', change }) as Promise<void>;
  }

  stats(): Promise<FakeSlackApiStats> {
    return this.ask({ op: 'stats' }) as Promise<FakeSlackApiStats>;
  }

  /** CPU the fake has used so far (user + system), in microseconds. */
  cpuMicros(): Promise<number> {
    return this.ask({ op: 'cpu' }) as Promise<number>;
  }

  duplicates(): Promise<Duplicate[]> {
    return this.ask({ op: 'duplicates' }) as Promise<Duplicate[]>;
  }

  countPerKind(): Promise<Record<string, number>> {
    return this.ask({ op: 'countPerKind' }) as Promise<Record<string, number>>;
  }

  async countPerRecipient(kind?: string): Promise<Map<string, number>> {
    return new Map((await this.ask({ op: 'countPerRecipient', ...(kind ? { kind } : {}) })) as [string, number][]);
  }

  /** Every stored message, or those to one recipient. */
  messages(recipient?: string): Promise<StoredMessage[]> {
    return this.ask({ op: 'messages', ...(recipient ? { recipient } : {}) }) as Promise<StoredMessage[]>;
  }

  /** When each message of this kind was stored (Date.now() milliseconds, from its ts), in order. */
  arrivals(kind: string): Promise<number[]> {
    return this.ask({ op: 'arrivals', kind }) as Promise<number[]>;
  }

  /** The URL a response_url with this id has (see FakeSlackApi.responseUrl). */
  responseUrl(id: string): string {
    return `${this.url.replace(/\/api\/$/, '')}/respond/${encodeURIComponent(id)}`;
  }

  /** The answers posted to response_urls since the last call. */
  takeResponses(): Promise<ResponseArrival[]> {
    return this.ask({ op: 'takeResponses' }) as Promise<ResponseArrival[]>;
  }

  minimumSecondsFor(messages: number, perChannel?: number): Promise<number> {
    return this.ask({ op: 'minimumSecondsFor', messages, ...(perChannel ? { perChannel } : {}) }) as Promise<number>;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    // Waiting for the exit must keep this process alive, or it could end before close() returns.
    this.child.ref();
    this.child.kill('SIGTERM');
    await exited;
  }

  private ask(request: Request): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.channel?.ref();
      this.child.send({ id, ...request });
    });
  }

  private settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.child.channel?.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new Error(reply.error));
  }

  private failAll(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}

/** The child's side: one FakeSlackApi, answering the parent's requests. */
function serveOverIpc(): void {
  let api: FakeSlackApi | undefined;
  const handle = async (request: Request): Promise<unknown> => {
    if (request.op === 'start') {
      api = await FakeSlackApi.start(request.options);
      return api.apiUrl;
    }
    if (!api) throw new Error('not started');
    switch (request.op) {
      case 'configure':
        return api.configure(request.change);
      case 'stats':
        return api.stats();
      case 'cpu': {
        const { user, system } = process.cpuUsage();
        return user + system;
      }
      case 'duplicates':
        return api.store.duplicates();
      case 'countPerKind':
        return api.store.countPerKind();
      case 'countPerRecipient':
        return [...api.store.countPerRecipient(request.kind)];
      case 'messages':
        return request.recipient ? api.store.to(request.recipient) : api.store.all;
      case 'arrivals':
        return api.store.all.filter((m) => m.kind === request.kind).map((m) => Number(m.ts) * 1000);
      case 'takeResponses':
        return api.takeResponses();
      case 'minimumSecondsFor':
        return api.minimumSecondsFor(request.messages, request.perChannel);
    }
  };
  process.on('message', (message: Request & { id: number }) => {
    handle(message).then(
      (value) => process.send!({ id: message.id, ok: true, value: value ?? null } satisfies Reply),
      (err: unknown) =>
        process.send!({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Reply),
    );
  });
  // The parent going away (even by kill -9) closes the IPC channel: nothing is left listening.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module && process.argv[2] === 'serve') serveOverIpc();
