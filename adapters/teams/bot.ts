import { Application, type TeamsAdapter } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import type { Clock } from '../../src/core/clock';
import { errorMessage } from '../../src/core/errors';
import { section } from '../../src/core/message';
import type { Actor } from '../../src/core/refs';
import type { Steady } from '../../src/steady';
import { isDatabaseUnavailable } from '../../src/storage/unavailable';
import type { TeamsConnector } from './connector';
import type { TeamsDelivery } from './teams-delivery';
import type { TeamsForms } from './teams-forms';
import { activitySchema, mentionsOf, placeOf, type ActivityPlace, type CheckedActivity } from './inbound/activity';
import { cardAction } from './inbound/card-actions';
import { intentOf } from '../../src/core/typed-command';
import { interactionFor, type InteractionDeps } from './inbound/interactions';
import { conversationUpdate, installationUpdate } from './inbound/membership';
import { commandText } from './inbound/message-text';
import { answerUnknownVerbs } from './inbound/unknown-verbs';
import { conversationOf, rememberActivity } from './inbound/remember';
import { FORM_CANCEL_VERB, FORM_VERB } from './render/form-card';
import { BUTTON_VERB } from './render/message-card';
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
      deps.log.warn(
        { type: context.activity?.type, problems: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) },
        'ignored an activity Steady cannot read',
      );
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
    deps.delivery.noteSeen(conversationOf(parsed.data, place));
    try {
      await rememberActivity(deps.db, deps.clock, parsed.data, place);
    } catch (err) {
      // Remembering keeps references fresh for later; the person acting now is still answered.
      if (!isDatabaseUnavailable(err)) throw err;
      deps.log.warn(
        { tenant: place.tenantId, err: errorMessage(err) },
        'the database cannot be reached: the activity is handled without remembering it',
      );
    }
    context.turnState.set(CHECKED, { activity: parsed.data, place } satisfies Checked);
    return true;
  });

  app.adaptiveCards.actionExecute([BUTTON_VERB, FORM_VERB, FORM_CANCEL_VERB], async (context, _state, data) => {
    const { activity, place } = checked(context);
    // An invoke must be answered with something: a plain acknowledgement when the card stays as it is.
    return (await cardAction({ ...deps, interactions: interactionDeps }, activity, place, data)) ?? 'Done.';
  });
  answerUnknownVerbs(app);

  app.activity(ActivityTypes.Message, async (context) => {
    const { activity, place } = checked(context);
    if (!activity.text && typeof activity.value === 'object' && activity.value !== null) {
      // Action.Submit from an older client: the same data, answered in the conversation.
      const answer = await cardAction({ ...deps, interactions: interactionDeps }, activity, place, activity.value);
      if (typeof answer === 'string') await interactionFor(interactionDeps, activity, place).replyPrivately({ blocks: [section(answer)] });
      return;
    }
    // In Teams a command is typed as plain words (`escalate Printer down`), read by the core's intentOf. In
    // the 1:1 chat, while a stand-up waits for this person's answer, a message is that answer even when it
    // starts with a command word.
    const text = commandText(activity.text ?? '', mentionsOf(activity), activity.recipient.id);
    const interaction = interactionFor(interactionDeps, activity, place);
    const personal = place.kind === 'personal';
    const awaitingReply = personal && !text.startsWith('/') && (await awaitsReply(deps, interaction.actor));
    const intent = intentOf(text, { commands: deps.steady.dispatcher.commandNames(), personal, awaitingReply });
    if (intent.kind === 'home') {
      await interaction.replyPrivately(await deps.steady.dispatcher.home(interaction.actor));
      return;
    }
    await deps.steady.dispatcher.handle(intent.event, interaction);
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const { activity, place } = checked(context);
    await installationUpdate(deps, activity, place);
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

/** Whether a stand-up waits for this person's answer; when the database cannot say, the text is read as typed. */
async function awaitsReply(deps: BotDeps, actor: Actor): Promise<boolean> {
  try {
    return await deps.steady.dispatcher.awaitsDirectReply(actor);
  } catch (err) {
    if (!isDatabaseUnavailable(err)) throw err;
    deps.log.warn({ err: errorMessage(err) }, 'the database cannot be reached: a message is read as typed');
    return false;
  }
}
