import type { ConversationRef, MessageRef, WorkspaceId } from '../../src/core/refs';

/**
 * Slack's side of the core's opaque references:
 * - workspace `slack:<team>`;
 * - conversation `slack:<team>:<channel>`;
 * - message `slack:<team>:<channel>:<ts>`, and for a reply in a thread
 *   `slack:<team>:<channel>:<ts>:<thread root ts>` (Slack threads hang off the root, never a reply).
 * Only this adapter reads them.
 */
export const PLATFORM = 'slack';

const ID = /^[A-Z0-9]+$/;
const TS = /^\d+\.\d+$/;

export interface SlackConversation {
  readonly teamId: string;
  readonly channelId: string;
}

export interface SlackMessage extends SlackConversation {
  readonly ts: string;
  /** The thread's root when the message is a reply. */
  readonly threadTs?: string;
}

export function workspaceId(teamId: string): WorkspaceId {
  return `${PLATFORM}:${teamId}`;
}

export function teamOf(workspace: WorkspaceId): string {
  const [platform, teamId, ...rest] = workspace.split(':');
  if (platform !== PLATFORM || !teamId || !ID.test(teamId) || rest.length > 0)
    throw new RangeError(`not a Slack workspace id: ${workspace}`);
  return teamId;
}

export function conversationRef(teamId: string, channelId: string): ConversationRef {
  return `${PLATFORM}:${teamId}:${channelId}`;
}

export function parseConversation(ref: ConversationRef): SlackConversation {
  const [platform, teamId, channelId, ...rest] = ref.split(':');
  if (platform !== PLATFORM || !teamId || !channelId || !ID.test(teamId) || !ID.test(channelId) || rest.length > 0) {
    throw new RangeError(`not a Slack conversation reference: ${ref}`);
  }
  return { teamId, channelId };
}

/** The conversation, or undefined when the reference is not one of Slack's. */
export function tryParseConversation(ref: string): SlackConversation | undefined {
  try {
    return parseConversation(ref);
  } catch {
    return undefined;
  }
}

export function messageRef(message: SlackMessage): MessageRef {
  const base = `${PLATFORM}:${message.teamId}:${message.channelId}:${message.ts}`;
  return message.threadTs && message.threadTs !== message.ts ? `${base}:${message.threadTs}` : base;
}

export function parseMessage(ref: MessageRef): SlackMessage {
  const [platform, teamId, channelId, ts, threadTs, ...rest] = ref.split(':');
  if (
    platform !== PLATFORM ||
    !teamId ||
    !channelId ||
    !ts ||
    !ID.test(teamId) ||
    !ID.test(channelId) ||
    !TS.test(ts) ||
    (threadTs !== undefined && !TS.test(threadTs)) ||
    rest.length > 0
  ) {
    throw new RangeError(`not a Slack message reference: ${ref}`);
  }
  return { teamId, channelId, ts, ...(threadTs ? { threadTs } : {}) };
}

/** Where a reply to this message goes: the root of its thread. */
export function threadRootOf(message: SlackMessage): string {
  return message.threadTs ?? message.ts;
}
