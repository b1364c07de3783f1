import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * A closed-loop load of signed slash commands, as Slack sends them: `connections` keep-alive
 * connections, each sending its next request as soon as the previous one was answered, for
 * `seconds`. Every request has its own trigger_id (Steady ignores a repeated one as a retry) and
 * its own response_url, so the bench can find the answer each one got and when.
 */
export interface CommandSpec {
  readonly port: number;
  readonly signingSecret: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly command: string;
  /** The text of the n-th request (n from 0). */
  readonly text: (n: number) => string;
  /** Who sends the n-th request. */
  readonly userId: (n: number) => string;
  /** The response_url of the request with this id. */
  readonly responseUrl: (id: string) => string;
  /** Makes the ids of one run unique: `${runId}-${n}`. */
  readonly runId: string;
}

export interface SentRequest {
  readonly id: string;
  /** Date.now() just before the request was written, for comparison with the fake's clock. */
  readonly sentAt: number;
  /** Milliseconds from writing the request to the end of the HTTP answer (performance.now()). */
  readonly ackMs: number;
  readonly status: number;
  /** The text of an answer carried by the acknowledgement itself (Slack shows it to the person), if any. */
  readonly ackText?: string;
}

export interface LoadResult {
  readonly requests: readonly SentRequest[];
  /** From the first request to the last answer, in seconds. */
  readonly seconds: number;
  /** Requests that failed on the wire (connection reset, timeout), not HTTP statuses. */
  readonly transportErrors: number;
  /** The share of one core this process (the generator) used meanwhile: near 1, it may be what limits. */
  readonly generatorBusy: number;
}

/** The body and headers of one signed slash command, as Slack signs it (v0, HMAC-SHA256). */
export function signedCommand(spec: CommandSpec, n: number): { id: string; body: string; headers: Record<string, string> } {
  const id = `${spec.runId}-${n}`;
  const userId = spec.userId(n);
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: spec.teamId,
    team_domain: 'acme-ops',
    channel_id: spec.channelId,
    channel_name: 'ops',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: spec.command,
    text: spec.text(n),
    api_app_id: 'A0STEADY',
    is_enterprise_install: 'false',
    response_url: spec.responseUrl(id),
    trigger_id: `trigger-${id}`,
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', spec.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    id,
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
  };
}

/** Runs the load until `seconds` have passed (or `until` resolves, if given); requests in flight are finished. */
export async function runCommandLoad(
  spec: CommandSpec,
  options: { readonly connections: number; readonly seconds: number; readonly until?: Promise<unknown> },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const requests: SentRequest[] = [];
  let transportErrors = 0;
  let next = 0;
  let stopping = false;
  const timer = setTimeout(() => (stopping = true), options.seconds * 1000);
  void options.until?.then(() => (stopping = true));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const connection = async () => {
    while (!stopping) {
      const n = next++;
      const signed = signedCommand(spec, n);
      const sentAt = Date.now();
      const t0 = performance.now();
      try {
        const { status, body } = await post(agent, spec.port, signed.body, signed.headers);
        const ackText = answerIn(body);
        requests.push({ id: signed.id, sentAt, ackMs: performance.now() - t0, status, ...(ackText === undefined ? {} : { ackText }) });
      } catch {
        // Counted, not retried (Slack does not retry a slash command either).
        transportErrors++;
        requests.push({ id: signed.id, sentAt, ackMs: performance.now() - t0, status: 0 });
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearTimeout(timer);
  agent.destroy();
  return { requests, seconds, transportErrors, generatorBusy: (used.user + used.system) / 1e6 / seconds };
}

/** A command's acknowledgement body as the text Slack would show: JSON with `text`, or plain text; undefined when empty. */
function answerIn(body: string): string | undefined {
  if (body === '') return undefined;
  if (!body.startsWith('{')) return body;
  const parsed = JSON.parse(body) as { text?: unknown };
  return typeof parsed.text === 'string' ? parsed.text : undefined;
}

function post(agent: Agent, port: number, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The p-th percentile (0–100) of these values, nearest rank; Infinity counts as a value. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
