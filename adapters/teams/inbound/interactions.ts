import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PlatformError, errorMessage } from '../../../src/core/errors';
import type { Interaction } from '../../../src/core/inbound';
import type { KeptRequest } from '../../../src/inbound/kept-requests';
import { isDatabaseUnavailable } from '../../../src/storage/unavailable';
import type { Message } from '../../../src/core/message';
import type { ConversationRef, MessageRef } from '../../../src/core/refs';
import { user } from '../../../src/core/rich-text';
import type { TeamsForms } from '../teams-forms';
import { conversationRef, messageRef, workspaceIdOf } from '../refs';
import type { TeamsPlatform } from '../teams-platform';
import { reportedZone, type ActivityPlace, type CheckedActivity } from './activity';

export interface InteractionDeps {
  readonly platform: TeamsPlatform;
  readonly forms: TeamsForms;
  readonly log: Logger;
}

/**
 * The core's Interaction for something a person did in Teams. Answers meant for them alone go to
 * their 1:1 chat with the bot (Teams has no ephemeral messages); in a 1:1 chat that is a normal
 * reply. When the bot cannot open a 1:1 chat with them, it answers in the thread, mentioning them.
 * Forms are posted as cards where the person is: in the 1:1 chat, or in the channel thread.
 */
export function interactionFor(
  deps: InteractionDeps,
  activity: CheckedActivity,
  place: ActivityPlace,
  options: InteractionOptions = {},
): Interaction {
  const zone = reportedZone(activity);
  const who: Who = {
    ...(activity.id ? { activityId: activity.id } : {}),
    from: { id: activity.from.id, ...(activity.from.name ? { name: activity.from.name } : {}) },
    ...(zone ? { zone } : {}),
  };
  return interactionOf(deps, who, place, options);
}

interface InteractionOptions {
  /** Where the form or click happened, when not the activity's own conversation (a form's origin). */
  readonly conversation?: ConversationRef | undefined;
  /** Replies and forms go under this message (the card clicked), rather than the activity's thread. */
  readonly threadOf?: MessageRef;
}

/** What a kept request stores of its Teams interaction (see restoredInteraction). */
const teamsRoute = z.object({
  platform: z.literal('teams'),
  place: z.object({
    tenantId: z.string(),
    conversationId: z.string(),
    kind: z.enum(['personal', 'groupChat', 'channel']),
    threadRootId: z.string().optional(),
  }),
  who: z.object({
    activityId: z.string().optional(),
    from: z.object({ id: z.string(), name: z.string().optional() }),
    zone: z.string().optional(),
  }),
  conversation: z.string().nullable().optional(),
  threadOf: z.string().optional(),
});

type Who = z.output<typeof teamsRoute>['who'];

/** Rebuilds the interaction of a request kept by another process, answering through the connector. */
export function restoredInteraction(deps: InteractionDeps, kept: KeptRequest): Interaction {
  const route = teamsRoute.parse(kept.route);
  const options: InteractionOptions = {
    ...(route.conversation !== undefined ? { conversation: route.conversation ?? undefined } : {}),
    ...(route.threadOf ? { threadOf: route.threadOf } : {}),
  };
  return interactionOf(deps, route.who, route.place, options);
}

function interactionOf(deps: InteractionDeps, who: Who, place: ActivityPlace, options: InteractionOptions): Interaction {
  const here = conversationRef(place);
  const actor = { workspaceId: workspaceIdOf(place.tenantId), userId: who.from.id };
  const threadOf =
    options.threadOf ??
    (place.kind === 'channel' && place.threadRootId
      ? messageRef({ tenantId: place.tenantId, conversationId: place.conversationId, activityId: place.threadRootId })
      : undefined);
  const zone = who.zone;
  // Restored from a kept request, the conversation is the one it was kept with (none for a direct message).
  const conversation = 'conversation' in options ? options.conversation : here;
  return {
    actor,
    ...(conversation ? { conversation } : {}),
    correlationId: who.activityId ? who.activityId.slice(-16) : randomUUID().slice(0, 8),
    ...(who.activityId ? { idempotencyKey: `teams:${place.conversationId}:${who.activityId}` } : {}),
    ...(zone ? { reportedTimeZone: zone } : {}),
    route: {
      platform: 'teams',
      place: { ...place },
      who,
      ...('conversation' in options ? { conversation: options.conversation ?? null } : {}),
      ...(options.threadOf ? { threadOf: options.threadOf } : {}),
    },
    replyPrivately: async (message: Message) => {
      if (place.kind === 'personal') {
        await deps.platform.post(here, message);
        return;
      }
      try {
        await deps.platform.postDirect(actor.workspaceId, actor.userId, message);
      } catch (err) {
        const noChat = err instanceof PlatformError && (err.code === 'NOT_FOUND' || err.code === 'PERMISSION');
        // Without the database the 1:1 chat cannot be found, but this conversation is known in memory.
        if (!noChat && !isDatabaseUnavailable(err)) throw err;
        deps.log.info(
          { tenant: place.tenantId, user: actor.userId, err: errorMessage(err) },
          'no 1:1 chat with the person; answering in the conversation',
        );
        const addressed: Message = {
          ...message,
          blocks: [{ type: 'section', text: [user(actor.userId, who.from.name)] }, ...message.blocks],
        };
        await deps.platform.post(here, addressed, threadOf && place.kind === 'channel' ? { threadOf } : {});
      }
    },
    openForm: async (form) => {
      await deps.forms.open(form, {
        tenantId: place.tenantId,
        userId: actor.userId,
        ...(conversation ? { origin: conversation } : {}),
        to: here,
        ...(threadOf && place.kind === 'channel' ? { threadOf } : {}),
      });
    },
  };
}
