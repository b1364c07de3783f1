import { z } from 'zod';
import type { TeamsConversationKind } from '../storage/tables';
import { cleanDeep } from '../../../src/core/clean-text';
import { isTimeZone } from '../../../src/core/zoned-time';
import { baseConversationId } from '../refs';

/**
 * The parts of a Bot Framework activity Steady reads, checked before use. With authentication on,
 * the Bot Framework signed the request; the content is still what a client sent.
 */
const id = z.string().min(1).max(1024);
const account = z.object({
  id,
  name: z.string().max(512).optional(),
  aadObjectId: z.string().max(64).optional(),
  role: z.string().optional(),
});
const mention = z.object({ type: z.literal('mention'), text: z.string().max(1024).optional(), mentioned: account });

/** Strings cleaned first (src/core/clean-text.ts): what a client sends is stored and read as text. */
export const activitySchema = z.preprocess(
  (raw) => cleanDeep(raw),
  z.object({
    type: z.string().max(64),
    id: z.string().max(1024).optional(),
    channelId: z.string().max(64),
    serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
    from: account,
    recipient: account,
    conversation: z.object({
      id,
      conversationType: z.string().max(64).optional(),
      tenantId: z.string().max(128).optional(),
      name: z.string().max(512).optional(),
      isGroup: z.boolean().optional(),
    }),
    channelData: z
      .object({
        tenant: z.object({ id: z.string().max(128) }).optional(),
        team: z.object({ id, name: z.string().max(512).optional() }).optional(),
        channel: z.object({ id, name: z.string().max(512).optional() }).optional(),
        eventType: z.string().max(128).optional(),
      })
      .optional(),
    localTimezone: z.string().max(128).optional(),
    text: z.string().max(100_000).optional(),
    replyToId: z.string().max(1024).optional(),
    entities: z.array(z.unknown()).max(200).optional(),
    action: z.string().max(64).optional(),
    name: z.string().max(256).optional(),
    value: z.unknown().optional(),
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
  }),
);

export type CheckedActivity = z.output<typeof activitySchema>;
export type Mention = z.infer<typeof mention>;

/** Where an activity happened, as Steady keys it. */
export interface ActivityPlace {
  readonly tenantId: string;
  /** Without the thread suffix. */
  readonly conversationId: string;
  readonly kind: TeamsConversationKind;
  /** In a channel: the root of the thread the activity is in (a top-level post is its own root). */
  readonly threadRootId?: string | undefined;
}

const TENANT = /^[A-Za-z0-9._-]{1,100}$/;

export function placeOf(activity: CheckedActivity): ActivityPlace | undefined {
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  if (!tenantId || !TENANT.test(tenantId)) return undefined;
  const kind = kindOf(activity);
  const conversationId = baseConversationId(activity.conversation.id);
  const suffix = /;messageid=([^;]+)/.exec(activity.conversation.id)?.[1];
  const threadRootId = kind === 'channel' ? (suffix ?? (activity.type === 'message' ? activity.id : undefined)) : undefined;
  return { tenantId, conversationId, kind, ...(threadRootId ? { threadRootId } : {}) };
}

function kindOf(activity: CheckedActivity): TeamsConversationKind {
  switch (activity.conversation.conversationType) {
    case 'channel':
      return 'channel';
    case 'groupChat':
      return 'groupChat';
    case 'personal':
      return 'personal';
    default:
      return activity.conversation.isGroup ? 'groupChat' : 'personal';
  }
}

export function mentionsOf(activity: CheckedActivity): Mention[] {
  return (activity.entities ?? []).flatMap((entity) => {
    const parsed = mention.safeParse(entity);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The zone the person's Teams client sends with each activity (`localTimezone`), if it is one Steady knows. */
export function reportedZone(activity: CheckedActivity): string | undefined {
  const zone = activity.localTimezone;
  return zone && isTimeZone(zone) ? zone : undefined;
}

/** A person (not the bot itself, not another bot). */
export function isPerson(account: { id: string; role?: string | undefined }, botId: string): boolean {
  return account.id !== botId && account.role !== 'bot' && !account.id.startsWith('28:');
}
