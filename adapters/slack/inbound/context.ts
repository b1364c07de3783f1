import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../../src/core/clock';
import type { InboundDedupe } from '../../../src/core/dispatcher';
import { PlatformError, errorMessage } from '../../../src/core/errors';
import type { Interaction } from '../../../src/core/inbound';
import type { Message } from '../../../src/core/message';
import type { ConversationRef } from '../../../src/core/refs';
import type { KeptRequest } from '../../../src/inbound/kept-requests';
import type { Steady } from '../../../src/steady';
import type { InFlight } from '../in-flight';
import { workspaceId } from '../refs';
import type { SlackPlatform } from '../slack-platform';

/**
 * How long keeping an event may take before Slack is answered anyway: Slack shows its own error
 * after 3 seconds, and the person is better told by Steady that it may not have been saved.
 */
export const KEEP_WITHIN_MS = 2000;

/**
 * How long after a slash command arrived its acknowledgement may wait for the answer, to carry it
 * (see CommandAck); past that, Steady acknowledges and the answer follows through the response_url.
 */
export const ANSWER_WITHIN_MS = 1500;

/** What the inbound listeners share. */
export interface InboundDeps {
  readonly steady: Steady;
  readonly platform: SlackPlatform;
  readonly work: InFlight;
  readonly log: Logger;
  readonly clock: Clock;
  /** Claims the second key of a button press (see idempotency.ts). */
  readonly pressDedupe: InboundDedupe;
}

export interface InteractionSpec {
  readonly teamId: string;
  readonly userId: string;
  readonly conversation?: ConversationRef;
  readonly idempotencyKey?: string;
  /** Slash commands and message buttons come with one: the surest way to answer privately. */
  readonly responseUrl?: string;
  /** Lets a form open now (valid for 3 seconds). */
  readonly triggerId?: string;
  /**
   * Where private answers go. `conversation`: the bot's own DM, where an answer is simply a message;
   * `direct`: the person's DM (from a modal, which has no conversation to whisper in). By default:
   * the response_url, else an ephemeral message in the conversation, else the person's DM.
   */
  readonly replyVia?: 'conversation' | 'direct';
  /** Given when the interaction is rebuilt for a request kept by another process. */
  readonly correlationId?: string;
  /** A slash command's acknowledgement while it is still open: the first private answer rides in it. */
  readonly ack?: CommandAck;
}

/**
 * A slash command's acknowledgement, sent once: with the first private answer if that is ready
 * before Steady must acknowledge (Slack shows it to whoever typed the command, and no
 * response_url call is needed), else empty or with a short text.
 */
export class CommandAck {
  private sent = false;

  constructor(private readonly ack: (body?: string | ReturnType<SlackPlatform['ackAnswer']>) => Promise<void>) {}

  /** Acknowledges, with this text if given; nothing when the acknowledgement was sent already. */
  async close(text?: string): Promise<void> {
    if (this.sent) return;
    this.sent = true;
    await this.ack(text);
  }

  /** Sends the message as the acknowledgement; false when that was sent already. */
  async answer(body: () => ReturnType<SlackPlatform['ackAnswer']>): Promise<boolean> {
    if (this.sent) return false;
    this.sent = true;
    await this.ack(body());
    return true;
  }
}

/** What a kept request stores of its Slack interaction: enough to answer the person from anywhere. */
const slackRoute = z.object({
  platform: z.literal('slack'),
  teamId: z.string(),
  userId: z.string(),
  conversation: z.string().optional(),
  responseUrl: z.string().url().optional(),
  replyVia: z.enum(['conversation', 'direct']).optional(),
});

/** Rebuilds the interaction of a request kept by another process (no form can open: its trigger is gone). */
export function restoredInteraction(deps: InboundDeps, kept: KeptRequest): Interaction {
  const route = slackRoute.parse(kept.route);
  return interactionFor(deps, {
    teamId: route.teamId,
    userId: route.userId,
    ...(route.conversation ? { conversation: route.conversation } : {}),
    ...(route.responseUrl ? { responseUrl: route.responseUrl } : {}),
    ...(route.replyVia ? { replyVia: route.replyVia } : {}),
    correlationId: kept.correlationId,
  });
}

/**
 * The core's Interaction for something a person did in Slack. A private answer tries, in order: the
 * response_url (works in any conversation), an ephemeral message in the conversation, and a direct
 * message, so the person is told even where the bot is not a member.
 */
export function interactionFor(deps: InboundDeps, spec: InteractionSpec): Interaction {
  const actor = { workspaceId: workspaceId(spec.teamId), userId: spec.userId };
  const correlationId = spec.correlationId ?? randomUUID().slice(0, 8);
  const log = deps.log.child({ workspace: actor.workspaceId, user: actor.userId, correlationId });
  const routes: { readonly name: string; readonly send: (message: Message) => Promise<unknown> }[] = [];
  if (spec.replyVia === 'conversation' && spec.conversation) {
    routes.push({ name: 'conversation', send: (m) => deps.platform.post(spec.conversation!, m) });
  } else if (spec.replyVia === 'direct') {
    routes.push({ name: 'direct message', send: (m) => deps.platform.postDirect(actor.workspaceId, spec.userId, m) });
  } else {
    if (spec.responseUrl) routes.push({ name: 'response_url', send: (m) => deps.platform.respond(spec.responseUrl!, m) });
    if (spec.conversation) routes.push({ name: 'ephemeral', send: (m) => deps.platform.postPrivate(spec.conversation!, spec.userId, m) });
    routes.push({ name: 'direct message', send: (m) => deps.platform.postDirect(actor.workspaceId, spec.userId, m) });
  }
  return {
    actor,
    ...(spec.conversation ? { conversation: spec.conversation } : {}),
    correlationId,
    ...(spec.idempotencyKey ? { idempotencyKey: spec.idempotencyKey } : {}),
    route: {
      platform: 'slack',
      teamId: spec.teamId,
      userId: spec.userId,
      ...(spec.conversation ? { conversation: spec.conversation } : {}),
      ...(spec.responseUrl ? { responseUrl: spec.responseUrl } : {}),
      ...(spec.replyVia ? { replyVia: spec.replyVia } : {}),
    },
    replyPrivately: async (message) => {
      if (spec.ack && (await spec.ack.answer(() => deps.platform.ackAnswer(message)))) return;
      let lastError: unknown;
      for (const route of routes) {
        try {
          await route.send(message);
          return;
        } catch (err) {
          lastError = err;
          log.warn(
            { route: route.name, err: errorMessage(err), code: err instanceof PlatformError ? err.code : undefined },
            'private answer failed; trying the next way',
          );
        }
      }
      throw lastError;
    },
    ...(spec.triggerId ? { openForm: (form) => deps.platform.openModal(spec.teamId, spec.triggerId!, form, spec.conversation) } : {}),
  };
}
