import type { Message } from '../../../src/core/message';
import type { ChatPlatform, UserProfile } from '../../../src/core/platform';
import type { ConversationRef, MessageRef, WorkspaceId } from '../../../src/core/refs';
import { visibleText } from '../visible-text';
import type { Db } from '../../../db/schema';
import type { EchoTranscriptTable } from './storage/tables';

export const ECHO_WORKSPACE = 'echo:local';

/**
 * The port, and nothing else: what Steady shows goes to the echo's transcript table as plain text.
 * Anyone whose user id is one lower-case word is a member of the workspace.
 */
export class EchoPlatform implements ChatPlatform {
  readonly name = 'echo';
  readonly wording = { invite: 'in Echo: /join' };

  constructor(private readonly db: Db) {}

  async post(to: ConversationRef, message: Message): Promise<MessageRef> {
    return this.record('post', to, message);
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    await this.record('update', ref, message);
  }

  async postDirect(_workspaceId: WorkspaceId, userId: string, message: Message): Promise<MessageRef> {
    return this.record('direct', userId, message);
  }

  async postPrivate(_to: ConversationRef, userId: string, message: Message): Promise<void> {
    await this.record('private', userId, message);
  }

  async lookupUser(_workspaceId: WorkspaceId, userId: string): Promise<UserProfile | undefined> {
    if (!/^[a-z]+$/.test(userId)) return undefined;
    return { userId, displayName: userId[0]!.toUpperCase() + userId.slice(1), timeZone: 'UTC' };
  }

  async record(kind: EchoTranscriptTable['kind'], to: string, message: Message): Promise<MessageRef> {
    const { id } = await this.db
      .insertInto('echo_transcript')
      .values({ kind, to, text: visibleText(message) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return `echo:msg:${id}`;
  }
}
