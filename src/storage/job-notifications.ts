import { Client } from 'pg';
import type { Logger } from 'pino';
import { errorMessage } from '../core/errors';

const CHANNEL = 'steady_jobs';
const MAX_BACKOFF_MS = 30_000;

/**
 * Listens for PostgreSQL's notification that jobs were added (a trigger on `jobs` sends the earliest
 * due time), on a connection of its own: a pooled one cannot keep a LISTEN. When the connection
 * drops (a restart, a failover) it connects again with backoff, and says "look now" once it is back,
 * since jobs may have been added while it could not hear. The poll keeps working meanwhile.
 */
export class JobNotifications {
  private client: Client | undefined;
  private stopped = false;
  private backoffMs = 500;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onDue: (at: Date) => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL) return;
      const epoch = Number(n.payload);
      this.onDue(Number.isFinite(epoch) ? new Date(epoch * 1000) : new Date(0));
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.backoffMs = 500;
    this.onDue(new Date(0));
  }

  private lost(client: Client, err?: unknown): void {
    if (this.stopped || (this.client !== undefined && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.retry) return;
    this.log.warn(
      { err: err === undefined ? undefined : errorMessage(err), retryInMs: this.backoffMs },
      'job notifications connection lost; polling until it is back',
    );
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, this.backoffMs);
    this.retry.unref();
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
  }
}
