import type { Logger } from 'pino';
import type { Db } from '../../../db/schema';
import type { Clock } from '../../../src/core/clock';
import { errorMessage } from '../../../src/core/errors';
import { message, section } from '../../../src/core/message';
import { bold } from '../../../src/core/rich-text';
import type { TeamsConnector } from '../connector';
import { siteOf } from '../teams-delivery';
import { conversationRef } from '../refs';
import { findConversation, forgetConversation, rememberConversation, renameTeam } from '../storage/conversations-repository';
import { rememberMember } from '../storage/members-repository';
import type { TeamsPlatform } from '../teams-platform';
import { isPerson, type ActivityPlace, type CheckedActivity } from './activity';

export interface MembershipDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly platform: TeamsPlatform;
  readonly connector: TeamsConnector;
}

/**
 * Installs, removals and membership changes: they keep the stored references true (the bot can
 * only send where it still is) and learn a team's channels when the bot joins it.
 */
export async function installationUpdate(deps: MembershipDeps, activity: CheckedActivity, place: ActivityPlace): Promise<void> {
  const action = activity.action ?? '';
  if (action.startsWith('remove')) {
    await forgetConversation(deps.db, place.tenantId, place.conversationId, activity.channelData?.team?.id);
    deps.log.info({ tenant: place.tenantId, kind: place.kind }, 'Steady was removed from a conversation');
    return;
  }
  deps.log.info({ tenant: place.tenantId, kind: place.kind, action }, 'Steady was installed');
  if (action === 'add' && place.kind === 'personal') await welcome(deps, activity, place);
  if (place.kind === 'channel' && activity.channelData?.team) await learnChannels(deps, place, activity.channelData.team.id);
}

async function welcome(deps: MembershipDeps, activity: CheckedActivity, place: ActivityPlace): Promise<void> {
  const name = activity.from.name ? `, ${activity.from.name.split(' ')[0]}` : '';
  try {
    await deps.platform.post(
      conversationRef(place),
      message(
        [
          section([`Hi${name}! I'm `, bold('Steady'), ': stand-ups, escalations and shift handoffs, right here in Teams.']),
          section(['Type ', bold('help'), ' to see what I can do.']),
        ],
        "Hi! I'm Steady. Type help to see what I can do.",
      ),
    );
  } catch (err) {
    deps.log.warn({ tenant: place.tenantId, err: errorMessage(err) }, 'could not send the welcome message');
  }
}

/** The channels of a team the bot was added to, so forms can offer them and workflows post there. */
async function learnChannels(deps: MembershipDeps, place: ActivityPlace, teamId: string): Promise<void> {
  const general = await findConversation(deps.db, place.tenantId, place.conversationId);
  if (!general) return;
  try {
    const channels = await deps.connector.teamChannels(siteOf(general, teamId), teamId);
    for (const channel of channels) {
      await rememberConversation(
        deps.db,
        {
          tenantId: place.tenantId,
          conversationId: channel.id,
          kind: 'channel',
          serviceUrl: general.service_url,
          botId: general.bot_id,
          teamId,
          ...(general.team_name ? { teamName: general.team_name } : {}),
          name: channel.name ?? (channel.id === teamId ? 'General' : 'channel'),
        },
        deps.clock.now(),
      );
    }
  } catch (err) {
    // Not fatal: each channel is learnt anyway when the bot is first mentioned there.
    deps.log.warn({ tenant: place.tenantId, err: errorMessage(err) }, 'could not list the channels of a team');
  }
}

export async function conversationUpdate(deps: MembershipDeps, activity: CheckedActivity, place: ActivityPlace): Promise<void> {
  const botId = activity.recipient.id;
  const team = activity.channelData?.team;
  const channel = activity.channelData?.channel;
  const now = deps.clock.now();
  for (const member of activity.membersAdded ?? []) {
    if (member.id === botId) {
      if (team) await learnChannels(deps, place, team.id);
      continue;
    }
    if (!isPerson(member, botId)) continue;
    await rememberMember(
      deps.db,
      {
        tenantId: place.tenantId,
        userId: member.id,
        ...(member.name ? { name: member.name } : {}),
        ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}),
        seenIn: place.conversationId,
      },
      now,
    );
  }
  if ((activity.membersRemoved ?? []).some((m) => m.id === botId)) {
    await forgetConversation(deps.db, place.tenantId, place.conversationId, team?.id);
    return;
  }
  switch (activity.channelData?.eventType) {
    case 'channelDeleted':
      if (channel) await forgetConversation(deps.db, place.tenantId, channel.id);
      break;
    case 'teamDeleted':
    case 'teamHardDeleted':
      await forgetConversation(deps.db, place.tenantId, place.conversationId, team?.id);
      break;
    case 'teamRenamed':
      if (team?.name) await renameTeam(deps.db, place.tenantId, team.id, team.name, now);
      break;
    default:
      break;
  }
}
