import type { App } from '@slack/bolt';
import { conversationRef } from '../refs';
import { ANSWER_WITHIN_MS, CommandAck, KEEP_WITHIN_MS, interactionFor, type InboundDeps } from './context';
import { commandKey } from './idempotency';
import { slashCommand } from './payloads';
import { coreText } from './text';

/**
 * Slash commands, all routed alike: `/escalate list mine` becomes the core's
 * `{ type: 'command', command: 'escalate', text: 'list mine' }`. The command is acknowledged as
 * soon as it is kept (Slack allows 3 seconds); answers follow through the response_url.
 */
export function listenToCommands(app: App, deps: InboundDeps): void {
  app.command(/^\/.+$/, async ({ ack, body }) => {
    const parsed = slashCommand.safeParse(body);
    if (!parsed.success) {
      deps.log.warn({ problem: parsed.error.issues[0]?.message }, 'unreadable slash command payload; ignored');
      await ack('Steady could not read that command. Please try again.');
      return;
    }
    const c = parsed.data;
    const acknowledgement = new CommandAck(ack);
    await deps.work.run('command', async () => {
      // Acknowledged once the command is kept (stored) and answered, or within ANSWER_WITHIN_MS, or
      // at once when it could not be kept: an answer not ready by then follows through the response_url.
      await deps.steady.dispatcher.handle(
        { type: 'command', command: c.command.slice(1).toLowerCase(), text: coreText(c.text, c.team_id).trim() },
        interactionFor(deps, {
          teamId: c.team_id,
          userId: c.user_id,
          conversation: conversationRef(c.team_id, c.channel_id),
          idempotencyKey: commandKey(c.team_id, c.trigger_id),
          responseUrl: c.response_url,
          triggerId: c.trigger_id,
          ack: acknowledgement,
        }),
        {
          kept: () => acknowledgement.close(),
          ackWith: (text) => acknowledgement.close(text),
          keepWithinMs: KEEP_WITHIN_MS,
          answerWithinMs: ANSWER_WITHIN_MS,
        },
      );
    });
    // The dispatcher acknowledges on every path; this only guards against a path that would not.
    await acknowledgement.close();
  });
}
