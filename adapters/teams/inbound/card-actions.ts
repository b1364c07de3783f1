import { z } from 'zod';
import type { Steady } from '../../../src/steady';
import type { TeamsForms } from '../teams-forms';
import { messageRef, threadRootOf } from '../refs';
import type { AdaptiveCard } from '../render/adaptive-card';
import type { TeamsPlatform } from '../teams-platform';
import type { ActivityPlace, CheckedActivity } from './activity';
import { interactionFor, type InteractionDeps } from './interactions';
import { UNKNOWN_ACTION } from './unknown-verbs';

export interface CardActionDeps {
  readonly steady: Steady;
  readonly platform: TeamsPlatform;
  readonly forms: TeamsForms;
  readonly interactions: InteractionDeps;
}

/** What a Steady card's buttons carry (Action.Execute or Action.Submit data); any client can send anything. */
export const cardData = z.discriminatedUnion('steady', [
  z.object({ steady: z.literal('button'), actionId: z.string().min(1).max(255), value: z.string().max(2000) }),
  z.object({ steady: z.literal('form'), form: z.uuid() }).loose(),
  z.object({ steady: z.literal('form-cancel'), form: z.uuid() }),
]);

/**
 * A click on a card (Action.Execute, or Action.Submit from an older client): a button press for the
 * workflow that owns it, or a form's Submit or Cancel. Answers with what the card should now show
 * the person who clicked, or a line for them; nothing when the workflow has already answered them.
 */
export async function cardAction(
  deps: CardActionDeps,
  activity: CheckedActivity,
  place: ActivityPlace,
  raw: unknown,
): Promise<AdaptiveCard | string | undefined> {
  const parsed = cardData.safeParse(raw);
  if (!parsed.success) return UNKNOWN_ACTION;
  const data = parsed.data;
  const card = activity.replyToId
    ? messageRef({
        tenantId: place.tenantId,
        conversationId: place.conversationId,
        activityId: activity.replyToId,
        ...(place.kind === 'channel' ? { threadRootId: threadRootOf(activity.conversation.id) ?? activity.replyToId } : {}),
      })
    : undefined;
  const threaded = card ? { threadOf: card } : {};
  if (data.steady === 'button') {
    const interaction = interactionFor(deps.interactions, activity, place, threaded);
    const press = () =>
      deps.steady.dispatcher.handle(
        { type: 'button', actionId: data.actionId, value: data.value, ...(card ? { message: card } : {}) },
        interaction,
      );
    if (!card) {
      await press();
      return undefined;
    }
    // The card as the workflow redrew it, for the person who clicked; everyone else got the update.
    return deps.platform.watchCard(card, press);
  }
  const submitter = {
    tenantId: place.tenantId,
    userId: activity.from.id,
    name: activity.from.name ?? 'someone',
    interaction: (conversation: string | undefined) => interactionFor(deps.interactions, activity, place, { ...threaded, conversation }),
  };
  if (data.steady === 'form-cancel') return deps.forms.cancel(data.form, submitter);
  return deps.forms.submit(data.form, data as Record<string, unknown>, submitter);
}
