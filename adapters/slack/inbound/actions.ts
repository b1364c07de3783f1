import type { App } from '@slack/bolt';
import type { z } from 'zod';
import type { MessageRef } from '../../../src/core/refs';
import { conversationRef, messageRef } from '../refs';
import { actionIdOf } from '../render/blocks';
import { KEEP_WITHIN_MS, interactionFor, type InboundDeps } from './context';
import { buttonPressKeys } from './idempotency';
import { refreshHome } from './home';
import { blockActions } from './payloads';

/**
 * Button presses (block_actions), from messages, ephemeral messages and the App Home tab. Acked
 * once kept; a double click is one press (see idempotency.ts). A press in the App Home redraws it.
 */
export function listenToActions(app: App, deps: InboundDeps): void {
  app.action({ type: 'block_actions' }, async ({ ack, body }) => {
    const parsed = blockActions.safeParse(body);
    if (!parsed.success) {
      await ack();
      deps.log.warn({ problem: parsed.error.issues[0]?.message }, 'unreadable block_actions payload; ignored');
      return;
    }
    const payload = parsed.data;
    const action = payload.actions[0]!;
    const teamId = payload.team?.id ?? payload.user.team_id;
    if (action.type !== 'button' || !teamId) {
      await ack();
      return;
    }
    await deps.work.run('button', () => handlePress(deps, payload, action, teamId, () => ack()));
  });
}

type Payload = z.output<typeof blockActions>;

async function handlePress(
  deps: InboundDeps,
  payload: Payload,
  action: Payload['actions'][number],
  teamId: string,
  ack: () => Promise<void>,
): Promise<void> {
  const { container } = payload;
  const channelId = container.channel_id ?? payload.channel?.id ?? undefined;
  const inHome = container.type === 'view' && payload.view?.type === 'home';
  const value = action.value ?? '';
  const [first, second] = buttonPressKeys({
    teamId,
    userId: payload.user.id,
    container: container.message_ts ?? container.view_id ?? payload.view?.id ?? '',
    actionId: action.action_id,
    value,
    actionTs: action.action_ts,
  });
  // Unknown when the database cannot be reached: taken as a first press, whose keeping then fails
  // and tells the person.
  const firstPress = await deps.pressDedupe.claim(second).catch(() => true);
  if (!firstPress) {
    await ack();
    deps.log.info({ action: action.action_id }, 'second press of a button within the double-click window; ignored');
    return;
  }
  // Only a message everyone sees can be updated; an ephemeral one has no reference to keep.
  const message: MessageRef | undefined =
    container.type === 'message' && channelId && container.message_ts && !container.is_ephemeral
      ? messageRef({
          teamId,
          channelId,
          ts: container.message_ts,
          ...(payload.message?.thread_ts ? { threadTs: payload.message.thread_ts } : {}),
        })
      : undefined;
  const conversation = channelId ? conversationRef(teamId, channelId) : undefined;
  await deps.steady.dispatcher.handle(
    { type: 'button', actionId: actionIdOf(action.action_id), value, ...(message ? { message } : {}) },
    interactionFor(deps, {
      teamId,
      userId: payload.user.id,
      ...(conversation ? { conversation } : {}),
      idempotencyKey: first,
      ...(payload.response_url ? { responseUrl: payload.response_url } : {}),
      triggerId: payload.trigger_id,
    }),
    { kept: ack, keepWithinMs: KEEP_WITHIN_MS },
  );
  if (inHome) await refreshHome(deps, teamId, payload.user.id);
}
