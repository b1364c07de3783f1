import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { PlatformError } from '../../src/core/errors';
import { boltLogger } from './bolt-logger';
import { toPlatformError } from './errors';

export interface SlackApiOptions {
  /** Base URL of the Web API (SLACK_API_URL); Slack's own when absent. */
  readonly apiUrl?: string;
  readonly log: Logger;
  readonly timeoutMs?: number;
}

/**
 * Calls to Slack's Web API. The client never retries on its own and never waits out a rate limit:
 * a failure comes back at once as a PlatformError, and the durable scheduler decides when to try
 * again (a Retry-After included), so nothing waits in memory and nothing is lost on a restart.
 */
export class SlackApi {
  private readonly clients = new Map<string, webApi.WebClient>();
  private readonly clientOptions: webApi.WebClientOptions;
  /** The Web API's base URL when it is not Slack's own. */
  readonly apiUrl: string | undefined;

  constructor(private readonly options: SlackApiOptions) {
    this.apiUrl = options.apiUrl ? withSlash(options.apiUrl) : undefined;
    this.clientOptions = {
      ...(this.apiUrl ? { slackApiUrl: this.apiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 10_000,
      logger: boltLogger(options.log.child({ component: 'slack-web-api' })),
    };
  }

  /** Calls `method` with `token`; the answer is checked against `schema` (it is what Slack said). */
  async call<S extends z.ZodType>(token: string, method: string, args: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    let result: unknown;
    try {
      result = await this.client(token).apiCall(method, args);
    } catch (err) {
      throw toPlatformError(err, method);
    }
    const parsed = schema.safeParse(result);
    if (!parsed.success) throw new PlatformError('INVALID', `Slack ${method}: unexpected answer (${parsed.error.issues[0]?.message ?? 'unreadable'})`);
    return parsed.data;
  }

  private client(token: string): webApi.WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, this.clientOptions);
      this.clients.set(token, client);
    }
    return client;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
