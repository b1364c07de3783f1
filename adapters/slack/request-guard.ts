import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';

/**
 * The cheap checks in front of Bolt on POST /slack/events, answered at once: a request not signed
 * with the signing secret, or signed more than five minutes before or after now, gets 401 (Bolt
 * refuses only the old ones); a signed body that is no Slack request Steady serves gets 400, where
 * Bolt would answer 500 (`payload=null`) or make Slack wait 3 seconds for a 404 (`payload=[1,2,3]`,
 * an interaction type no listener takes). What passes goes on to Bolt with its body already read.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export const MAX_CLOCK_SKEW_S = 5 * 60;

/** Slack's own requests are a few kilobytes; a modal's state stays well under this. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The interactions Steady listens to (adapters/slack/inbound); Slack sends no other kind to it. */
const interaction = z.object({ type: z.enum(['block_actions', 'view_submission']) }).loose();
/** Events API envelopes: the URL check, events, and Slack's notice that it is rate limiting events. */
const envelope = z.object({ type: z.enum(['url_verification', 'event_callback', 'app_rate_limited']) }).loose();
/** A slash command (form encoded, no payload). */
const command = z.object({ command: z.string().min(2), team_id: z.string().min(1) }).loose();

export interface RequestGuardOptions {
  readonly signingSecret: string;
  readonly log: Logger;
  /** Wall-clock milliseconds: Slack signs with the real time, whatever the scheduler's clock says. */
  readonly now?: () => number;
}

export function slackRequestGuard(options: RequestGuardOptions): RequestHandler {
  const now = options.now ?? Date.now;
  return (req: Request, res: Response, next: NextFunction) => {
    readBody(req)
      .then((body) => {
        if (body === undefined) {
          res.status(413).end();
          return;
        }
        if (!signedNow(req, body, options.signingSecret, now())) {
          options.log.warn({ path: req.path }, 'Slack request with a bad signature or timestamp; refused');
          res.status(401).end();
          return;
        }
        const problem = shapeProblem(req, body);
        if (problem) {
          options.log.warn({ problem }, 'signed Slack request Steady cannot read; refused');
          res.status(400).end();
          return;
        }
        // Bolt reads a body already read from here (ExpressReceiver honours req.rawBody).
        (req as Request & { rawBody?: Buffer }).rawBody = body;
        next();
      })
      .catch(next);
  };
}

function readBody(req: Request): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function signedNow(req: Request, body: Buffer, secret: string, nowMs: number): boolean {
  const timestamp = req.header('x-slack-request-timestamp') ?? '';
  const signature = req.header('x-slack-signature') ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Why a signed body is no request Steady serves, or undefined when it is one. */
export function shapeProblem(req: Pick<Request, 'header'>, body: Buffer): string | undefined {
  const type = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  if (type === 'application/json') {
    const parsed = parseJson(text);
    return envelope.safeParse(parsed).success ? undefined : 'not an Events API envelope Steady serves';
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    if (form.get('ssl_check') === '1') return undefined;
    const payload = form.get('payload');
    if (payload !== null) return interaction.safeParse(parseJson(payload)).success ? undefined : 'not an interaction payload Steady serves';
    return command.safeParse(Object.fromEntries(form)).success ? undefined : 'not a slash command';
  }
  return `content type "${type.slice(0, 60)}"`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
