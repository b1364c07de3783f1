import type { App } from '@slack/bolt';
import { conversationRef } from '../refs';
import { interactionFor, type InboundDeps } from './context';
import { eventKey } from './idempotency';
import { directMessage, eventEnvelope } from './payloads';
import { coreText } from './text';

/**
 * Messages people send the bot in its direct conversation (message.im), e.g. stand-up answers.
 * Edits, deletions, bots and the bot's own messages are not answers and are left alone.
 */
export function listenToDirectMessages(app: App, deps: InboundDeps): void {
  app.event('message', async ({ event, body }) => {
    const parsed = directMessage.safeParse(event);
    const envelope = eventEnvelope.safeParse(body);
    if (!parsed.success || !envelope.success) return;
    const message = parsed.data;
    if (message.channel_type !== 'im' || message.subtype || message.bot_id || !message.user) return;
    const teamId = envelope.data.team_id;
    const conversation = conversationRef(teamId, message.channel);
    await deps.work.run('direct message', async () => {
      await deps.steady.dispatcher.handle(
        { type: 'direct-message', text: coreText(message.text ?? '', teamId).trim() },
        interactionFor(deps, {
          teamId,
          userId: message.user!,
          conversation,
          idempotencyKey: eventKey(envelope.data.event_id),
          replyVia: 'conversation',
        }),
      );
    });
  });
}
