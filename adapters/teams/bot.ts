import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/schema';
import type { Clock } from '../../src/core/clock';
import { errorMessage } from '../../src/core/errors';
import { message, section } from '../../src/core/message';
import { bold } from '../../src/core/rich-text';
import type { Steady } from '../../src/steady';
import type { TeamsConnector } from './connector';
import type { TeamsDelivery } from './delivery';
import { siteOf } from './delivery';
import type { TeamsForms } from './form-cards';
import { activitySchema, isPerson, mentionsOf, placeOf, type ActivityPlace, type CheckedActivity } from './inbound/activity';
import { intentOf } from './inbound/command-event';
import { interactionFor, type InteractionDeps } from './inbound/interactions';
import { commandText } from './inbound/message-text';
import { rememberActivity } from './inbound/remember';
import { conversationRef, messageRef, threadRootOf } from './refs';
import type { AdaptiveCard } from './render/adaptive-card';
import { FORM_CANCEL_VERB, FORM_VERB } from './render/form-card';
import { BUTTON_VERB } from './render/message-card';
import { findConversation, forgetConversation, rememberConversation, renameTeam } from './storage/conversations-repository';
import { rememberMember } from './storage/members-repository';
import type { TeamsPlatform } from './teams-platform';

export interface BotDeps {
  readonly adapter: TeamsAdapter;
  readonly appId: string | undefined;
  readonly steady: Steady;
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly platform: TeamsPlatform;
  readonly delivery: TeamsDelivery;
  readonly connector: TeamsConnector;
  readonly forms: TeamsForms;
  /** A SingleTenant app answers its own tenant only. */
  readonly onlyTenant?: string;
}

const CHECKED = Symbol('steady.checkedActivity');

interface Checked {
  readonly activity: CheckedActivity;
  readonly place: ActivityPlace;
}

const cardData = z.discriminatedUnion('steady', [
  z.object({ steady: z.literal('button'), actionId: z.string().min(1).max(255), value: z.string().max(2000) }),
  z.object({ steady: z.literal('form'), form: z.uuid() }).loose(),
  z.object({ steady: z.literal('form-cancel'), form: z.uuid() }),
]);

/**
 * The teams-ai Application (no AI planner): every activity is checked and remembered first, then
 * routed. Text becomes commands or direct messages, card clicks (Action.Execute) become button
 * presses and form submissions, installs and membership changes keep the references fresh.
 */
export function createBot(deps: BotDeps): Application {
  const app = new Application({
    adapter: deps.adapter,
    ...(deps.appId ? { botAppId: deps.appId } : {}),
    startTypingTimer: false,
    // commandText removes the bot's mention itself, keeping the others as <@id>.
    removeRecipientMention: false,
    longRunningMessages: false,
  });
  const interactionDeps: InteractionDeps = { platform: deps.platform, forms: deps.forms, log: deps.log };

  app.turn('beforeTurn', async (context) => {
    const parsed = activitySchema.safeParse(context.activity);
    if (!parsed.success) {
      deps.log.warn({ type: context.activity?.type, problems: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) }, 'ignored an activity Steady cannot read');
      return false;
    }
    const place = placeOf(parsed.data);
    if (!place) {
      deps.log.warn({ type: parsed.data.type }, 'ignored an activity without a tenant');
      return false;
    }
    if (deps.onlyTenant && place.tenantId !== deps.onlyTenant) {
      deps.log.warn({ tenant: place.tenantId }, 'ignored an activity from another tenant (this app is SingleTenant)');
      return false;
    }
    await rememberActivity(deps.db, deps.clock, parsed.data, place);
    context.turnState.set(CHECKED, { activity: parsed.data, place } satisfies Checked);
    return true;
  });

  app.adaptiveCards.actionExecute([BUTTON_VERB, FORM_VERB, FORM_CANCEL_VERB], async (context, _state, data) => {
    const { activity, place } = checked(context);
    return cardAction(deps, interactionDeps, activity, place, data);
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const { activity, place } = checked(context);
    if (!activity.text && typeof activity.value === 'object' && activity.value !== null) {
      // Action.Submit from an older client: the same data, answered in the conversation.
      const answer = await cardAction(deps, interactionDeps, activity, place, activity.value);
      if (typeof answer === 'string') await interactionFor(interactionDeps, activity, place).replyPrivately({ blocks: [section(answer)] });
      return;
    }
    const text = commandText(activity.text ?? '', mentionsOf(activity), activity.recipient.id);
    const intent = intentOf(text, { commands: deps.steady.dispatcher.commandNames(), personal: place.kind === 'personal' });
    const interaction = interactionFor(interactionDeps, activity, place);
    if (intent.kind === 'home') {
      await interaction.replyPrivately(await deps.steady.dispatcher.home(interaction.actor));
      return;
    }
    await deps.steady.dispatcher.handle(intent.event, interaction);
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const { activity, place } = checked(context);
    const action = activity.action ?? '';
    if (action.startsWith('remove')) {
      await forgetConversation(deps.db, place.tenantId, place.conversationId, activity.channelData?.team?.id);
      deps.log.info({ tenant: place.tenantId, kind: place.kind }, 'Steady was removed from a conversation');
      return;
    }
    deps.log.info({ tenant: place.tenantId, kind: place.kind, action }, 'Steady was installed');
    if (action === 'add' && place.kind === 'personal') await welcome(deps, activity, place);
    if (place.kind === 'channel' && activity.channelData?.team) await learnChannels(deps, place, activity.channelData.team.id);
  });

  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    const { activity, place } = checked(context);
    await conversationUpdate(deps, activity, place);
  });

  return app;
}

function checked(context: TurnContext): Checked {
  const value = context.turnState.get(CHECKED) as Checked | undefined;
  if (!value) throw new Error('activity was not checked before routing');
  return value;
}

async function cardAction(deps: BotDeps, interactionDeps: InteractionDeps, activity: CheckedActivity, place: ActivityPlace, raw: unknown): Promise<AdaptiveCard | string> {
  const parsed = cardData.safeParse(raw);
  if (!parsed.success) return 'That button is from an older version of Steady. Run the command again.';
  const data = parsed.data;
  const card = activity.replyToId
    ? messageRef({ tenantId: place.tenantId, conversationId: place.conversationId, activityId: activity.replyToId, ...(place.kind === 'channel' ? { threadRootId: threadRootOf(activity.conversation.id) ?? activity.replyToId } : {}) })
    : undefined;
  const threaded = card ? { threadOf: card } : {};
  if (data.steady === 'button') {
    const interaction = interactionFor(interactionDeps, activity, place, threaded);
    const scope = card ? { card } : undefined;
    const press = () => deps.steady.dispatcher.handle({ type: 'button', actionId: data.actionId, value: data.value, ...(card ? { message: card } : {}) }, interaction);
    if (scope) await deps.platform.cardAction.run(scope, press);
    else await press();
    return (scope as { replacement?: AdaptiveCard } | undefined)?.replacement ?? 'Done.';
  }
  const submitter = {
    tenantId: place.tenantId,
    userId: activity.from.id,
    name: activity.from.name ?? 'someone',
    idempotencyKey: `teams:${place.conversationId}:${activity.id ?? ''}`,
    interaction: (conversation: string | undefined) => interactionFor(interactionDeps, activity, place, { ...threaded, conversation }),
  };
  if (data.steady === 'form-cancel') return deps.forms.cancel(data.form, submitter);
  return deps.forms.submit(data.form, data as Record<string, unknown>, submitter);
}

async function welcome(deps: BotDeps, activity: CheckedActivity, place: ActivityPlace): Promise<void> {
  const name = activity.from.name ? `, ${activity.from.name.split(' ')[0]}` : '';
  try {
    await deps.platform.post(
      conversationRef(place),
      message(
        [section([`Hi${name}! I'm `, bold('Steady'), ': stand-ups, escalations and shift handoffs, right here in Teams.']), section(['Type ', bold('help'), ' to see what I can do.'])],
        "Hi! I'm Steady. Type help to see what I can do.",
      ),
    );
  } catch (err) {
    deps.log.warn({ tenant: place.tenantId, err: errorMessage(err) }, 'could not send the welcome message');
  }
}

/** The channels of a team the bot was added to, so forms can offer them and workflows post there. */
async function learnChannels(deps: BotDeps, place: ActivityPlace, teamId: string): Promise<void> {
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

async function conversationUpdate(deps: BotDeps, activity: CheckedActivity, place: ActivityPlace): Promise<void> {
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
      { tenantId: place.tenantId, userId: member.id, ...(member.name ? { name: member.name } : {}), ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}), seenIn: place.conversationId },
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
