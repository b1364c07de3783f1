import type { Db } from '../../../db/schema';
import type { Clock } from '../../../src/core/clock';
import { rememberConversation, type ConversationRecord } from '../storage/conversations-repository';
import { rememberMember } from '../storage/members-repository';
import { isPerson, reportedZone, type ActivityPlace, type CheckedActivity } from './activity';

/**
 * Every activity refreshes what Steady knows: the conversation's reference (service URL, bot id,
 * names) for sending there later, and the person who acted (name, Azure AD id, reported zone).
 */
export async function rememberActivity(db: Db, clock: Clock, activity: CheckedActivity, place: ActivityPlace): Promise<void> {
  const now = clock.now();
  const team = activity.channelData?.team;
  const channel = activity.channelData?.channel;
  const botId = activity.recipient.id;
  const person = isPerson(activity.from, botId);
  await rememberConversation(db, conversationOf(activity, place), now);
  if (channel && team && channel.id !== place.conversationId && activity.channelData?.eventType !== 'channelDeleted') {
    // A channel event names another channel of the team: the bot can post there too.
    await rememberConversation(
      db,
      {
        tenantId: place.tenantId,
        conversationId: channel.id,
        kind: 'channel',
        serviceUrl: activity.serviceUrl,
        botId,
        teamId: team.id,
        ...(team.name ? { teamName: team.name } : {}),
        ...(channel.name ? { name: channel.name } : {}),
      },
      now,
    );
  }
  if (person) {
    const zone = reportedZone(activity);
    await rememberMember(
      db,
      {
        tenantId: place.tenantId,
        userId: activity.from.id,
        ...(activity.from.name ? { name: activity.from.name } : {}),
        ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
        ...(zone ? { timeZone: zone } : {}),
        seenIn: place.conversationId,
      },
      now,
    );
  }
}

/** The reference of the conversation an activity came from: how to send there. */
export function conversationOf(activity: CheckedActivity, place: ActivityPlace): ConversationRecord {
  const team = activity.channelData?.team;
  const botId = activity.recipient.id;
  return {
    tenantId: place.tenantId,
    conversationId: place.conversationId,
    kind: place.kind,
    serviceUrl: activity.serviceUrl,
    botId,
    ...(place.kind === 'personal' && isPerson(activity.from, botId) ? { userId: activity.from.id } : {}),
    ...(team ? { teamId: team.id, ...(team.name ? { teamName: team.name } : {}) } : {}),
    ...nameOf(activity, place),
  };
}

function nameOf(activity: CheckedActivity, place: ActivityPlace): { name?: string } {
  if (place.kind === 'groupChat') return activity.conversation.name ? { name: activity.conversation.name } : {};
  if (place.kind !== 'channel') return {};
  const channel = activity.channelData?.channel;
  if (channel?.id === place.conversationId && channel.name) return { name: channel.name };
  // A team's General channel has the team's id and no name of its own.
  if (activity.channelData?.team?.id === place.conversationId) return { name: 'General' };
  return {};
}
