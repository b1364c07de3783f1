import type { Message } from './message';
import { platformOf, type ConversationRef, type MessageRef, type WorkspaceId } from './refs';
import type { Executor } from '../../db/schema';

/** What a platform knows about a person. */
export interface UserProfile {
  readonly userId: string;
  readonly displayName: string;
  /** IANA zone, when the platform knows it. */
  readonly timeZone?: string;
  readonly isBot?: boolean;
  readonly deleted?: boolean;
}

export interface PostOptions {
  /** Post as a reply under this message (a thread or a reply, as the platform shows them; an indented console block). */
  readonly threadOf?: MessageRef;
  /**
   * The outbox's key for this message. A platform that can attaches it to the message (as metadata
   * that does not show), so `findSent` can recognise the message after an attempt that ended in doubt.
   */
  readonly key?: string;
}

/** A sustained rate with the burst allowed after a quiet spell. */
export interface Rate {
  readonly perSecond: number;
  readonly burst: number;
}

/** How fast a platform takes one kind of call, per workspace and per conversation. */
export interface SendLimits {
  readonly workspace?: Rate;
  readonly conversation?: Rate;
  /** What a 429 (with Retry-After) pauses: the conversation it came from, or the whole workspace (the default). */
  readonly pauses?: 'conversation' | 'workspace';
}

/** Where a message was posted, for `findSent`. */
export type PostedWhere =
  | { readonly conversation: ConversationRef; readonly threadOf?: MessageRef }
  | { readonly workspaceId: WorkspaceId; readonly userId: string };

/** What the core says that depends on the platform; without it, the core's words stay general. */
export interface PlatformWording {
  /** How a person adds the bot to a conversation, put in brackets after "add Steady to it": `in <platform>: /invite @Steady`. */
  readonly invite?: string;
}

/**
 * The few things the core needs from a chat platform. Adapters implement it; failures are thrown as
 * PlatformError. Optional methods are abilities some platforms lack; callers degrade without them.
 */
export interface ChatPlatform {
  readonly name: string;
  post(to: ConversationRef, message: Message, options?: PostOptions): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  postDirect(workspaceId: WorkspaceId, userId: string, message: Message, options?: Pick<PostOptions, 'key'>): Promise<MessageRef>;
  /** undefined when the person is not a user of that workspace. */
  lookupUser(workspaceId: WorkspaceId, userId: string): Promise<UserProfile | undefined>;
  /** A message only `userId` sees, in a shared conversation (an ephemeral message, where the platform has them). */
  postPrivate?(to: ConversationRef, userId: string, message: Message): Promise<void>;
  /** How fast the platform takes posts and updates; the outbox paces every instance's sends by it. */
  readonly limits?: { readonly post?: SendLimits; readonly update?: SendLimits };
  /**
   * The message posted with this outbox key since `since`, if the platform has it. Without this
   * ability an attempt that ended in doubt (the process died, or the answer was lost) is sent again.
   */
  findSent?(where: PostedWhere, key: string, since: Date): Promise<MessageRef | undefined>;
  /**
   * Erases what the adapter itself keeps about a person (`/steady forget`): profiles, their direct
   * conversation, forms shown to them. Runs inside the forget's transaction (`db`), so it is all or nothing.
   */
  forgetPerson?(workspaceId: WorkspaceId, userId: string, db: Executor): Promise<void>;
  /** Its own words for what the core tells people (how to invite the bot). */
  readonly wording?: PlatformWording;
}

/** The platforms running in this process, found by the prefix of a workspace id or reference. */
export class Platforms {
  private readonly byName = new Map<string, ChatPlatform>();

  register(platform: ChatPlatform): void {
    this.byName.set(platform.name, platform);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The wording of the platform that made this workspace id or reference; none when it is not running. */
  wordingFor(refOrWorkspace: string): PlatformWording {
    return this.byName.get(platformOf(refOrWorkspace))?.wording ?? {};
  }

  /** The platform that made this workspace id or reference. */
  for(refOrWorkspace: string): ChatPlatform {
    const name = platformOf(refOrWorkspace);
    const platform = this.byName.get(name);
    if (!platform) throw new Error(`no platform "${name}" is running for ${refOrWorkspace}`);
    return platform;
  }
}
