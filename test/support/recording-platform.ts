import { visibleText } from './visible-text';
import type { Message } from '../../src/core/message';
import type { ChatPlatform, PlatformWording, PostOptions, UserProfile } from '../../src/core/platform';
import type { ConversationRef, MessageRef } from '../../src/core/refs';

export interface Sent {
  readonly op: 'post' | 'update' | 'direct' | 'private';
  readonly to: string;
  readonly ref: MessageRef;
  readonly message: Message;
  readonly text: string;
  readonly threadOf?: MessageRef;
  /** The outbox key the message was sent with. */
  readonly key?: string;
}

/**
 * A fake platform that records what the bot sends, for workflow tests that read like a
 * conversation. People are whoever `people` lists; anyone else is not a member of the workspace.
 */
export class RecordingPlatform implements ChatPlatform {
  readonly sent: Sent[] = [];
  private counter = 0;
  /** Make the next sends to these targets fail with this error. */
  readonly failures = new Map<string, Error>();
  /** The platform's own words (how to invite the bot); none by default, as a platform without them. */
  wording?: PlatformWording;

  constructor(
    readonly name = 'test',
    readonly people: Record<string, Omit<UserProfile, 'userId'>> = {},
  ) {}

  async post(to: ConversationRef, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    this.fail(to);
    const ref = `${this.name}:msg:${++this.counter}`;
    this.sent.push({
      op: 'post',
      to,
      ref,
      message,
      text: visibleText(message),
      ...(options.threadOf ? { threadOf: options.threadOf } : {}),
      ...(options.key ? { key: options.key } : {}),
    });
    return ref;
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    this.fail(ref);
    this.sent.push({ op: 'update', to: ref, ref, message, text: visibleText(message) });
  }

  async postDirect(_workspaceId: string, userId: string, message: Message, options: Pick<PostOptions, 'key'> = {}): Promise<MessageRef> {
    this.fail(userId);
    const ref = `${this.name}:dm:${++this.counter}`;
    this.sent.push({ op: 'direct', to: userId, ref, message, text: visibleText(message), ...(options.key ? { key: options.key } : {}) });
    return ref;
  }

  async postPrivate(to: ConversationRef, userId: string, message: Message): Promise<void> {
    this.sent.push({ op: 'private', to: userId, ref: to, message, text: visibleText(message) });
  }

  async lookupUser(_workspaceId: string, userId: string): Promise<UserProfile | undefined> {
    const person = this.people[userId];
    return person ? { userId, ...person } : undefined;
  }

  /** What one person or conversation received, as plain text. */
  to(target: string): string[] {
    return this.sent.filter((s) => s.to === target).map((s) => s.text);
  }

  clear(): void {
    this.sent.length = 0;
  }

  private fail(target: string): void {
    const error = this.failures.get(target);
    if (error) throw error;
  }
}
