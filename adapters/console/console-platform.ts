import { randomUUID } from 'node:crypto';
import type { Message } from '../../src/core/message';
import type { ChatPlatform, PostOptions, UserProfile } from '../../src/core/platform';
import type { ConversationRef, MessageRef } from '../../src/core/refs';
import { USER_NAME } from './form-input';

export const CONSOLE_WORKSPACE = 'console:local';

export const channelRef = (name: string): ConversationRef => `console:#${name.replace(/^#/, '').toLowerCase()}`;
export const directRef = (userId: string): ConversationRef => `console:@${userId}`;
/** Whose direct messages a conversation is, if it is someone's. */
export const directUserOf = (ref: ConversationRef): string | undefined =>
  ref.startsWith('console:@') ? ref.slice('console:@'.length) : undefined;

/** Something the bot said, for the terminal to show. */
export type Shown =
  | {
      readonly kind: 'message';
      readonly ref: MessageRef;
      readonly conversation: ConversationRef;
      readonly message: Message;
      readonly threadOf?: MessageRef;
      readonly updated: boolean;
    }
  | { readonly kind: 'private'; readonly conversation: ConversationRef; readonly userId: string; readonly message: Message };

export interface ConsoleDisplay {
  show(item: Shown): Promise<void>;
}

/**
 * The terminal as a chat platform: one local workspace whose people exist once the terminal has
 * introduced them (someone acted as them, or agreed to add them); the database remembers them
 * after that. Everything the bot posts, anywhere and to anyone, is shown, so one terminal can play
 * a whole team.
 */
export class ConsolePlatform implements ChatPlatform {
  readonly name = 'console';
  private readonly conversations = new Map<MessageRef, { conversation: ConversationRef; threadOf?: MessageRef }>();
  /** Message references must stay unique across restarts: the database keeps them. */
  private readonly prefix = randomUUID().slice(0, 6);
  private counter = 0;
  private readonly introduced = new Set<string>();

  constructor(private readonly display: ConsoleDisplay) {}

  async post(to: ConversationRef, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    const ref = `console:m:${this.prefix}-${++this.counter}`;
    this.conversations.set(ref, { conversation: to, ...(options.threadOf ? { threadOf: options.threadOf } : {}) });
    await this.display.show({
      kind: 'message',
      ref,
      conversation: to,
      message,
      updated: false,
      ...(options.threadOf ? { threadOf: options.threadOf } : {}),
    });
    return ref;
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    const known = this.conversations.get(ref);
    await this.display.show({
      kind: 'message',
      ref,
      conversation: known?.conversation ?? 'console:(an earlier session)',
      message,
      updated: true,
      ...(known?.threadOf ? { threadOf: known.threadOf } : {}),
    });
  }

  async postDirect(_workspaceId: string, userId: string, message: Message): Promise<MessageRef> {
    return this.post(directRef(userId), message);
  }

  async postPrivate(to: ConversationRef, userId: string, message: Message): Promise<void> {
    await this.display.show({ kind: 'private', conversation: to, userId, message });
  }

  /** Someone the terminal acts as or has agreed to add: from now on a person of the workspace. */
  introduce(userId: string): void {
    if (USER_NAME.test(userId)) this.introduced.add(userId);
  }

  /** Only people introduced in this run; those of earlier runs are known from the database. */
  async lookupUser(_workspaceId: string, userId: string): Promise<UserProfile | undefined> {
    return this.introduced.has(userId) ? { userId, displayName: userId } : undefined;
  }
}
