import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import type { Clock } from '../../src/core/clock';
import { PlatformError } from '../../src/core/errors';
import type { ConversationRef, MessageRef } from '../../src/core/refs';
import { isDatabaseUnavailable } from '../../src/storage/unavailable';
import type { ConversationSite, TeamsConnector, TeamsMember } from './connector';
import { conversationRef, messageRef, parseConversationRef, parseMessageRef, threadConversationId, type MessageAddress } from './refs';
import type { OutgoingActivity } from './render/message-activity';
import {
  conversationRow,
  findConversation,
  findPersonalConversation,
  recentConversations,
  rememberConversation,
  type ConversationRecord,
  type StoredConversation,
} from './storage/conversations-repository';
import { findMember, findMemberByAad, rememberMember } from './storage/members-repository';

/** How to fix "Steady cannot message this person", in words a team lead can act on. */
export function installAdvice(name: string): string {
  return (
    `Steady cannot message ${name} in Microsoft Teams yet: they have not added the Steady app. ` +
    `Ask them to open Teams, go to Apps, search for "Steady" and select Add (or add Steady to a team they are in; ` +
    `an admin can also install it for everyone in the Teams admin center).`
  );
}

/**
 * Where Teams messages go: references resolved to stored conversations (service URL, bot id), new
 * one-to-one chats opened when a person has none yet, people found by Teams or Azure AD id.
 */
/** Conversations kept in memory for answering during a database outage (see noteSeen). */
const SEEN_CONVERSATIONS = 10_000;

export class TeamsDelivery {
  constructor(
    private readonly db: Db,
    private readonly connector: TeamsConnector,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  private readonly seen = new Map<string, StoredConversation>();

  async post(to: ConversationRef, activity: OutgoingActivity, threadOf?: MessageRef): Promise<MessageRef> {
    const address = parseConversationRef(to);
    if (!address) throw new PlatformError('INVALID', `not a Teams conversation reference: ${to.slice(0, 80)}`);
    const stored = await this.stored(address.tenantId, address.conversationId);
    const thread = threadOf ? parseMessageRef(threadOf) : undefined;
    if (threadOf && !thread) throw new PlatformError('INVALID', 'not a Teams message reference to reply under');
    if (thread && stored.kind === 'channel') {
      const root = thread.threadRootId ?? thread.activityId;
      const id = await this.connector.send(siteOf(stored, threadConversationId(thread)), activity);
      return messageRef({ tenantId: address.tenantId, conversationId: stored.conversation_id, threadRootId: root, activityId: id });
    }
    const site = siteOf(stored);
    const id = thread ? await this.connector.reply(site, thread.activityId, activity) : await this.connector.send(site, activity);
    return messageRef({ tenantId: address.tenantId, conversationId: stored.conversation_id, activityId: id });
  }

  async replace(ref: MessageRef, activity: OutgoingActivity): Promise<void> {
    const address = parseMessageRef(ref);
    if (!address) throw new PlatformError('INVALID', `not a Teams message reference: ${ref.slice(0, 80)}`);
    const stored = await this.stored(address.tenantId, address.conversationId);
    await this.connector.update(siteOf(stored, updateConversationId(address)), address.activityId, activity);
  }

  /** A message in the person's one-to-one chat with the bot, opening that chat if needed. */
  async direct(tenantId: string, userId: string, activity: OutgoingActivity): Promise<MessageRef> {
    const chat = await this.personalChat(tenantId, userId);
    try {
      return await this.post(conversationRef({ tenantId, conversationId: chat.conversation_id }), activity);
    } catch (err) {
      // The person removed or blocked the app since: tell the sender how to fix it.
      if (err instanceof PlatformError && (err.code === 'PERMISSION' || err.code === 'NOT_FOUND'))
        throw await this.notReachable(tenantId, userId, err);
      throw err;
    }
  }

  async personalChat(tenantId: string, userId: string): Promise<StoredConversation> {
    const known = await findPersonalConversation(this.db, tenantId, userId);
    if (known) return known;
    const via = (await recentConversations(this.db, tenantId, { limit: 1 }))[0];
    if (!via) throw await this.notReachable(tenantId, userId);
    let conversationId: string;
    try {
      conversationId = await this.connector.createPersonalConversation(siteOf(via), userId);
    } catch (err) {
      if (err instanceof PlatformError && !err.retryable && err.code !== 'AUTH') throw await this.notReachable(tenantId, userId, err);
      throw err;
    }
    await rememberConversation(
      this.db,
      { tenantId, conversationId, kind: 'personal', serviceUrl: via.service_url, botId: via.bot_id, userId },
      this.clock.now(),
    );
    this.log.info({ tenant: tenantId, user: userId }, 'opened a one-to-one chat');
    return (await findPersonalConversation(this.db, tenantId, userId))!;
  }

  /**
   * A person by Teams user id (`29:…`) or Azure AD object id (what people pickers answer), asked of
   * Teams in the conversations given first, then in the tenant's channels; remembered when found.
   */
  async findPerson(tenantId: string, idOrAad: string, conversations: readonly string[] = []): Promise<TeamsMember | undefined> {
    const where: StoredConversation[] = [];
    for (const id of conversations) {
      const stored = await findConversation(this.db, tenantId, id);
      if (stored) where.push(stored);
    }
    where.push(...(await recentConversations(this.db, tenantId, { kind: 'channel', limit: 3 })));
    const asked = new Set<string>();
    for (const conversation of where) {
      if (asked.has(conversation.conversation_id) || asked.size >= 4) continue;
      asked.add(conversation.conversation_id);
      const member = await this.connector.member(siteOf(conversation), idOrAad);
      if (member?.id) {
        await rememberMember(
          this.db,
          {
            tenantId,
            userId: member.id,
            ...(member.name ? { name: member.name } : {}),
            ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}),
            ...(member.email ? { email: member.email } : {}),
            seenIn: conversation.conversation_id,
          },
          this.clock.now(),
        );
        return member;
      }
    }
    return undefined;
  }

  /** The Teams user id for a people picker's Azure AD object id. */
  async userIdForAad(tenantId: string, aadObjectId: string, conversations: readonly string[]): Promise<string | undefined> {
    const known = await findMemberByAad(this.db, tenantId, aadObjectId);
    if (known) return known.user_id;
    return (await this.findPerson(tenantId, aadObjectId, conversations))?.id;
  }

  /**
   * Keeps, in memory, the reference of a conversation an activity just came from, so the person can
   * be answered there while the database cannot be read (see `stored`).
   */
  noteSeen(record: ConversationRecord): void {
    const key = `${record.tenantId}\n${record.conversationId}`;
    this.seen.delete(key);
    this.seen.set(key, conversationRow(record, this.clock.now()));
    // The most recently seen stay: enough to answer whoever is acting during an outage.
    if (this.seen.size > SEEN_CONVERSATIONS) this.seen.delete(this.seen.keys().next().value!);
  }

  private async stored(tenantId: string, conversationId: string): Promise<StoredConversation> {
    let stored: StoredConversation | undefined;
    try {
      stored = await findConversation(this.db, tenantId, conversationId);
    } catch (err) {
      const seen = this.seen.get(`${tenantId}\n${conversationId}`);
      if (!seen || !isDatabaseUnavailable(err)) throw err;
      this.log.warn({ tenant: tenantId }, 'the database cannot be read: answering through a conversation seen in memory');
      return seen;
    }
    if (!stored) {
      throw new PlatformError(
        'NOT_FOUND',
        'Steady is not in that Teams conversation (any more): add the Steady app to the team or chat again.',
      );
    }
    return stored;
  }

  private async notReachable(tenantId: string, userId: string, cause?: unknown): Promise<PlatformError> {
    const member = await findMember(this.db, tenantId, userId);
    return new PlatformError('NOT_FOUND', installAdvice(member?.name ?? 'this person'), {
      platformCode: 'no_conversation_reference',
      ...(cause ? { cause } : {}),
    });
  }
}

export function siteOf(stored: StoredConversation, conversationId: string = stored.conversation_id): ConversationSite {
  return { tenantId: stored.tenant_id, serviceUrl: stored.service_url, botId: stored.bot_id, conversationId };
}

/** A reply inside a channel thread is updated through the thread's conversation id. */
function updateConversationId(address: MessageAddress): string {
  return address.threadRootId ? `${address.conversationId};messageid=${address.threadRootId}` : address.conversationId;
}
