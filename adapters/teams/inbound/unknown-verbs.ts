import type { Application } from '@microsoft/teams-ai';

/** What a click on a card action Steady does not serve is told (no Steady card carries one). */
export const UNKNOWN_ACTION = 'That button is from an older version of Steady. Run the command again.';

/**
 * Registered after Steady's own verbs: any other Action.Execute gets that sentence with a 200, where
 * teams-ai would answer 501 and the Teams client would show its own error.
 */
export function answerUnknownVerbs(app: Application): void {
  app.adaptiveCards.actionExecute(
    async (context) => context.activity.type === 'invoke' && context.activity.name === 'adaptiveCard/action',
    async () => UNKNOWN_ACTION,
  );
}
