import type { Logger } from 'pino';
import type { Db, Executor } from '../../db/schema';
import type { Clock } from '../../src/core/clock';
import { PlatformError } from '../../src/core/errors';
import { richTextsOf, type Message } from '../../src/core/message';
import type { ChatPlatform, PostOptions, SendLimits, UserProfile } from '../../src/core/platform';
import type { ConversationRef, MessageRef, WorkspaceId } from '../../src/core/refs';
import type { TeamsDelivery } from './teams-delivery';
import { namesFor } from './render-names';
import { PLATFORM, parseConversationRef, parseMessageRef, tenantOf } from './refs';
import type { AdaptiveCard } from './render/adaptive-card';
import { messageActivity, type OutgoingActivity } from './render/message-activity';
import { findConversation } from './storage/conversations-repository';
import { findMember } from './storage/members-repository';

/** A card watched while a click on it is handled: what it became, if a workflow redrew it meanwhile. */
interface CardWatch {
  replacement?: AdaptiveCard;
}

/**
 * Bot Framework's limits per bot: 7 messages a second, 8 in 2 s, 60 in 30 s and 1,800 an hour per
 * conversation, and 50 a second per tenant. One sustained rate with a burst that keeps every one of
 * them: half a message a second with 7 at once. Edits count like messages; Teams throttles per
 * conversation, so a 429 pauses the conversation it came from.
 */
const TEAMS_LIMITS: SendLimits = {
  workspace: { perSecond: 50, burst: 50 },
  conversation: { perSecond: 0.5, burst: 7 },
  pauses: 'conversation',
};

/** A profile from the store is trusted this long before Teams is asked again. */
const PROFILE_TTL_MS = 24 * 3_600_000;

/**
 * Teams as the core's ChatPlatform. Messages are rendered as text messages or Adaptive Cards and
 * sent through the stored conversation references; direct messages open the person's 1:1 chat when
 * needed. Teams has no ephemeral messages: a private message is a 1:1 message to the person.
 */
export class TeamsPlatform implements ChatPlatform {
  readonly name = PLATFORM;
  readonly wording = { invite: 'in Teams: add the app to the team or chat' };
  readonly limits = { post: TEAMS_LIMITS, update: TEAMS_LIMITS };
  /** Cards someone's click is being handled on, so the card's new look can also answer the click. */
  private readonly watched = new Map<MessageRef, Set<CardWatch>>();

  constructor(private readonly deps: { readonly db: Db; readonly clock: Clock; readonly log: Logger; readonly delivery: TeamsDelivery }) {}

  async post(to: ConversationRef, message: Message, options: PostOptions = {}): Promise<MessageRef> {
    const tenantId = this.tenantOfRef(to, parseConversationRef(to)?.tenantId);
    return this.deps.delivery.post(to, await this.render(tenantId, message), options.threadOf);
  }

  async update(ref: MessageRef, message: Message): Promise<void> {
    const tenantId = this.tenantOfRef(ref, parseMessageRef(ref)?.tenantId);
    const activity = await this.render(tenantId, message);
    await this.deps.delivery.replace(ref, activity);
    const card = activity.attachments?.[0]?.content;
    if (card) for (const watch of this.watched.get(ref) ?? []) watch.replacement = card;
  }

  /**
   * Runs `work` (the click's handling) while noting every redraw of `card` made by this instance,
   * and gives back the last one: the person who clicked sees it as the answer to the click. A redraw
   * made meanwhile for another person's click on the same card is the card's newest look too.
   */
  async watchCard(card: MessageRef, work: () => Promise<unknown>): Promise<AdaptiveCard | undefined> {
    const watch: CardWatch = {};
    const watches = this.watched.get(card) ?? new Set<CardWatch>();
    this.watched.set(card, watches.add(watch));
    try {
      await work();
      return watch.replacement;
    } finally {
      watches.delete(watch);
      if (watches.size === 0) this.watched.delete(card);
    }
  }

  async postDirect(workspaceId: WorkspaceId, userId: string, message: Message): Promise<MessageRef> {
    const tenantId = this.tenantOfWorkspace(workspaceId);
    return this.deps.delivery.direct(tenantId, userId, await this.render(tenantId, message));
  }

  /** Teams has no ephemeral messages: the person gets it in their 1:1 chat with the bot. */
  async postPrivate(to: ConversationRef, userId: string, message: Message): Promise<void> {
    const address = parseConversationRef(to);
    if (!address) throw new PlatformError('INVALID', 'not a Teams conversation reference');
    const stored = await findConversation(this.deps.db, address.tenantId, address.conversationId);
    if (stored?.kind === 'personal' && stored.user_id === userId) {
      await this.post(to, message);
      return;
    }
    await this.deps.delivery.direct(address.tenantId, userId, await this.render(address.tenantId, message));
  }

  async lookupUser(workspaceId: WorkspaceId, userId: string): Promise<UserProfile | undefined> {
    const tenantId = this.tenantOfWorkspace(workspaceId);
    const stored = await findMember(this.deps.db, tenantId, userId);
    if (stored && this.deps.clock.now().getTime() - stored.updated_at.getTime() < PROFILE_TTL_MS) return profileOf(stored);
    let found;
    try {
      found = await this.deps.delivery.findPerson(tenantId, userId, stored?.seen_in ? [stored.seen_in] : []);
    } catch (err) {
      // Teams is unreachable for now: an older profile is better than none.
      if (stored) return profileOf(stored);
      throw err;
    }
    if (found) {
      const fresh = await findMember(this.deps.db, tenantId, found.id);
      if (fresh) return profileOf(fresh);
    }
    return stored ? profileOf(stored) : undefined;
  }

  /** Renders a message for a tenant, with the names its mentions and channels need. */
  async render(tenantId: string, message: Message): Promise<OutgoingActivity> {
    return messageActivity(message, await namesFor(this.deps.db, tenantId, richTextsOf(message)));
  }

  /** `/steady forget`: the person's cached profile (name, email, zone), their 1:1 conversation and their forms. */
  async forgetPerson(workspaceId: WorkspaceId, userId: string, db: Executor): Promise<void> {
    const tenantId = this.tenantOfWorkspace(workspaceId);
    await db.deleteFrom('teams_members').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
    await db
      .deleteFrom('teams_conversations')
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', 'personal')
      .where('user_id', '=', userId)
      .execute();
    await db.deleteFrom('teams_forms').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
  }

  private tenantOfWorkspace(workspaceId: WorkspaceId): string {
    const tenant = tenantOf(workspaceId);
    if (!tenant) throw new PlatformError('INVALID', `not a Teams workspace id: ${workspaceId.slice(0, 80)}`);
    return tenant;
  }

  private tenantOfRef(ref: string, tenant: string | undefined): string {
    if (!tenant) throw new PlatformError('INVALID', `not a Teams reference: ${ref.slice(0, 80)}`);
    return tenant;
  }
}

function profileOf(member: { user_id: string; name: string; time_zone: string | null }): UserProfile {
  return { userId: member.user_id, displayName: member.name, ...(member.time_zone ? { timeZone: member.time_zone } : {}) };
}
