import type { Logger } from 'pino';
import { PlatformError } from '../core/errors';
import { textMessage, type Message } from '../core/message';
import type { MessageRef } from '../core/refs';
import { user, type RichText } from '../core/rich-text';
import type { CoreServices } from '../core/services';

/**
 * Sending on behalf of a job. A retryable platform failure is thrown, so the job is tried again; a
 * permanent one (the person left, the bot was removed from the channel) is reported once to
 * whoever can fix it and the step moves on: retrying would never succeed.
 */
export interface Problem {
  /** Unique for the problem, so it is reported once. */
  readonly key: string;
  readonly workspaceId: string;
  /** Who can fix it (the rotation's supervisor). */
  readonly tellUserId: string;
  readonly text: RichText;
}

export async function sendDirect(services: CoreServices, log: Logger, workspaceId: string, userId: string, msg: Message, problem: Problem): Promise<MessageRef | undefined> {
  try {
    return await services.platforms.for(workspaceId).postDirect(workspaceId, userId, msg);
  } catch (err) {
    if (!(err instanceof PlatformError) || err.retryable) throw err;
    log.warn({ user: userId, code: err.code, problem: problem.key }, 'direct message could not be delivered');
    await reportProblem(services, problem, userId);
    return undefined;
  }
}

export async function postInChannel(services: CoreServices, log: Logger, channel: string, msg: Message, problem: Problem): Promise<{ ref?: MessageRef; error?: string }> {
  try {
    return { ref: await services.platforms.for(channel).post(channel, msg) };
  } catch (err) {
    if (!(err instanceof PlatformError) || err.retryable) throw err;
    log.warn({ code: err.code, problem: problem.key }, 'could not post in the handoff channel');
    await reportProblem(services, problem);
    return { error: err.code };
  }
}

/** Cosmetic updates (a card showing it was confirmed): a failure is logged, never retried. */
export async function updateQuietly(services: CoreServices, log: Logger, ref: MessageRef | null, msg: Message): Promise<void> {
  if (!ref) return;
  try {
    await services.platforms.for(ref).update(ref, msg);
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not update a handoff message');
  }
}

async function reportProblem(services: CoreServices, problem: Problem, unreachable?: string): Promise<void> {
  if (unreachable === problem.tellUserId) return;
  await services.problems.reportOnce({
    key: problem.key,
    workspaceId: problem.workspaceId,
    userId: problem.tellUserId,
    message: textMessage(problem.text),
  });
}

export function unreachablePerson(rotation: string, userId: string): RichText {
  return ['I could not send a ', rotation, ' handoff message to ', user(userId), ' (they may have left the workspace). Check the rotation\'s members with /handoff rotation edit ', rotation, '.'];
}
