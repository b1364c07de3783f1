import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Clock } from './core/clock';
import type { ChatPlatform } from './core/platform';
import type { Steady } from './steady';
import type { Db } from '../db/schema';

/** What the composition root gives an adapter. */
export interface AdapterContext {
  readonly steady: Steady;
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * A running platform adapter: the ChatPlatform the core sends through, and how it receives
 * (routes on the shared HTTP server, or a connection of its own such as Slack's Socket Mode).
 */
export interface PlatformAdapter {
  readonly platform: ChatPlatform;
  /** Adds the adapter's endpoints to the shared HTTP server, before it listens. */
  mount?(app: Express): void;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
