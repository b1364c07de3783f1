import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { PlatformError } from '../../src/core/errors';
import { noMetrics, recordCall, type PlatformCallMetrics } from '../../src/metrics/recorder';
import { httpFailure, slackFailure } from './errors';

export interface SlackApiOptions {
  /** Base URL of the Web API (SLACK_API_URL); Slack's own when absent. */
  readonly apiUrl?: string;
  readonly log: Logger;
  readonly timeoutMs?: number;
  /** Counts each call by method and outcome (and 429s with their Retry-After) for /metrics. */
  readonly metrics?: PlatformCallMetrics;
}

const SLACK_API = 'https://slack.com/api/';

/**
 * Calls to Slack's Web API: a form-encoded POST on a kept-alive connection, the answer checked
 * against a schema. It never retries and never waits out a rate limit: a failure comes back at once
 * as a PlatformError (a 429 with its Retry-After), and the delivery engine decides when to try
 * again, so nothing waits in memory and nothing is lost on a restart. (The SDK's WebClient does
 * the same in several times the CPU per call, which a wave of prompts pays for every message.)
 */
export class SlackApi {
  /** The Web API's base URL when it is not Slack's own. */
  readonly apiUrl: string | undefined;
  private readonly base: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;
  private readonly metrics: PlatformCallMetrics;

  constructor(options: SlackApiOptions) {
    this.apiUrl = options.apiUrl ? withSlash(options.apiUrl) : undefined;
    this.base = new URL(this.apiUrl ?? SLACK_API);
    const secure = this.base.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.metrics = options.metrics ?? noMetrics.platformCalls;
  }

  /** Calls `method` with `token` (none: '' for oauth.v2.access, which takes the app's credentials); the answer is checked against `schema`. */
  call<S extends z.ZodType>(token: string, method: string, args: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    return recordCall(this.metrics, 'slack', method, () => this.answer(token, method, args, schema));
  }

  private async answer<S extends z.ZodType>(token: string, method: string, args: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    const { status, headers, body } = await this.post(token, method, form(args));
    if (status === 429) {
      const seconds = Number(headers['retry-after']);
      throw new PlatformError('RATE_LIMITED', `Slack ${method}: rate limited${Number.isFinite(seconds) ? ` for ${seconds} s` : ''}`, {
        platformCode: 'ratelimited',
        retryAfterMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000,
      });
    }
    if (status !== 200) throw httpFailure(method, status);
    let answer: unknown;
    try {
      answer = JSON.parse(body);
    } catch {
      throw new PlatformError('UNAVAILABLE', `Slack ${method}: an answer that is not JSON`);
    }
    const ok = (answer as { ok?: unknown }).ok;
    if (ok !== true) throw slackFailure(method, answer);
    const parsed = schema.safeParse(answer);
    if (!parsed.success)
      throw new PlatformError('INVALID', `Slack ${method}: unexpected answer (${parsed.error.issues[0]?.message ?? 'unreadable'})`);
    return parsed.data;
  }

  /** Closes the kept-alive connections (shutdown). */
  close(): void {
    this.agent.destroy();
  }

  private post(
    token: string,
    method: string,
    body: string,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
    const url = new URL(method, this.base);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const data = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
            'content-length': data.length,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(unreachable(method, err)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(unreachable(method, err)));
      req.end(data);
    });
  }
}

/** The Web API's form encoding: nested values (blocks, metadata) as JSON, as Slack's own SDKs send them. */
function form(args: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined) continue;
    params.set(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  return params.toString();
}

/** The call may or may not have reached Slack: an outage as far as the caller can tell. */
function unreachable(method: string, err: Error): PlatformError {
  const code = (err as { code?: string }).code;
  return new PlatformError('UNAVAILABLE', `Slack ${method}: ${err.message}${code ? ` (${code})` : ''}`, { cause: err });
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
