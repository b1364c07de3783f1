import type { Logger } from 'pino';
import type { Executor } from '../../db/schema';
import { errorMessage } from '../core/errors';
import type { Message } from '../core/message';
import type { MessageRef } from '../core/refs';
import { user, type RichText } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { UndeliverableProblem } from '../delivery/outbox';

/**
 * Sending on behalf of a handoff step, through the outbox (once per key). A retryable platform
 * failure is thrown, so the step is tried again; a permanent one (the person left, the bot was
 * removed from the channel) is reported once to whoever can fix it and the step moves on:
 * retrying would never succeed.
 */
export interface Problem {
  /** Unique for the problem, so it is reported once. */
  readonly key: string;
  readonly workspaceId: string;
  /** Who can fix it (the rotation's supervisor). */
  readonly tellUserId: string;
  readonly text: RichText;
}

const undeliverable = (problem: Problem): UndeliverableProblem => ({
  key: problem.key,
  workspaceId: problem.workspaceId,
  tell: problem.tellUserId,
  text: problem.text,
});

export interface Send {
  /** What the message is: it goes out once per key. */
  readonly key: string;
  readonly message: Message;
  readonly problem: Problem;
  /** Records the send in the workflow's tables, in the transaction that records it in the outbox. */
  readonly record?: (trx: Executor, ref: MessageRef) => Promise<void>;
}

export async function sendDirect(
  services: CoreServices,
  log: Logger,
  workspaceId: string,
  userId: string,
  send: Send,
): Promise<MessageRef | undefined> {
  const sent = await services.outbox.post({
    key: send.key,
    to: { workspaceId, userId },
    message: send.message,
    problem: undeliverable(send.problem),
    ...(send.record ? { record: send.record } : {}),
  });
  if (sent.ok) return sent.ref;
  log.warn({ user: userId, code: sent.code, problem: send.problem.key }, 'direct message could not be delivered');
  return undefined;
}

export async function postInChannel(
  services: CoreServices,
  log: Logger,
  workspaceId: string,
  channel: string,
  send: Send,
): Promise<{ ref?: MessageRef; error?: string }> {
  const sent = await services.outbox.post({
    key: send.key,
    to: { workspaceId, conversation: channel },
    message: send.message,
    problem: undeliverable(send.problem),
    ...(send.record ? { record: send.record } : {}),
  });
  if (sent.ok) return { ref: sent.ref };
  log.warn({ code: sent.code, problem: send.problem.key }, 'could not post in the handoff channel');
  return { error: sent.code };
}

/** Cosmetic updates (a card showing it was confirmed): a failure is logged, never retried. */
export async function updateQuietly(
  services: CoreServices,
  log: Logger,
  workspaceId: string,
  ref: MessageRef | null,
  msg: Message,
): Promise<void> {
  if (!ref) return;
  try {
    const updated = await services.outbox.update({ workspaceId, ref, message: msg });
    if (!updated.ok) log.warn({ code: updated.code }, 'could not update a handoff message');
  } catch (err) {
    log.warn({ err: errorMessage(err) }, 'could not update a handoff message');
  }
}

export function unreachablePerson(rotation: string, userId: string): RichText {
  return [
    'I could not send a ',
    rotation,
    ' handoff message to ',
    user(userId),
    " (they may have left the workspace). Check the rotation's members with /handoff rotation edit ",
    rotation,
    '.',
  ];
}
