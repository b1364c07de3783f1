import type { App } from '@slack/bolt';
import type { FieldErrors, FormOutcome } from '../../../src/core/form';
import { errorMessage } from '../../../src/core/errors';
import { textMessage } from '../../../src/core/message';
import { bold } from '../../../src/core/rich-text';
import { LIMITS, truncate } from '../render/limits';
import { parseModalMetadata } from '../render/modal';
import { KEEP_WITHIN_MS, interactionFor, type InboundDeps } from './context';
import { formValuesOf } from './form-values';
import { viewSubmissionKey } from './idempotency';
import { viewSubmission } from './payloads';

/** How long a submission may take before the modal is closed anyway (Slack waits 3 seconds). */
export const SUBMISSION_DEADLINE_MS = 2500;

/**
 * Modal submissions (view_submission). Unlike commands and buttons, the answer to Slack *is* the
 * outcome: `response_action: errors` keeps the modal open with each error under its field, an
 * empty answer closes it. Should the workflow take too long, the modal is closed and, if the
 * submission then turns out invalid, the person is told in a direct message.
 */
export function listenToViews(app: App, deps: InboundDeps): void {
  app.view({ type: 'view_submission' }, async ({ ack, body }) => {
    const parsed = viewSubmission.safeParse(body);
    const teamId = parsed.success ? (parsed.data.team?.id ?? parsed.data.user.team_id) : undefined;
    if (!parsed.success || !teamId) {
      deps.log.warn(
        { problem: parsed.success ? 'no team' : parsed.error.issues[0]?.message },
        'unreadable view_submission payload; closed',
      );
      await ack();
      return;
    }
    const { view, user } = parsed.data;
    const metadata = parseModalMetadata(view.private_metadata ?? undefined);
    const { values, errors: pickerErrors } = formValuesOf(view.state.values, teamId);
    if (Object.keys(pickerErrors).length > 0) {
      deps.log.warn({ fields: Object.keys(pickerErrors) }, 'view_submission with values no picker gives; refused');
      await ack({ response_action: 'errors', errors: slackErrors(pickerErrors, Object.keys(pickerErrors)) });
      return;
    }
    const interaction = interactionFor(deps, {
      teamId,
      userId: user.id,
      ...(metadata.conversation ? { conversation: metadata.conversation } : {}),
      idempotencyKey: viewSubmissionKey(view.id, view.hash ?? undefined, values),
      replyVia: 'direct',
    });
    const fieldIds = view.blocks.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
    await deps.work.run('form', async () => {
      let kept = false;
      const handling = deps.steady.dispatcher
        .handle(
          { type: 'form', formId: view.callback_id, values, ...(metadata.state === undefined ? {} : { state: metadata.state }) },
          interaction,
          {
            kept: async () => {
              kept = true;
            },
            keepWithinMs: KEEP_WITHIN_MS,
          },
        )
        .catch((err: unknown) => {
          deps.log.error({ err: errorMessage(err) }, 'a form submission failed past the dispatcher');
          return undefined;
        });
      const outcome = await Promise.race([handling, deadline(SUBMISSION_DEADLINE_MS)]);
      const shown = outcome !== 'late' ? answer(outcome, fieldIds) : undefined;
      // The modal closes only once the submission is kept; until then, its problem shows in it.
      await ack(shown);
      if (outcome === 'late' && kept) {
        await interaction
          .replyPrivately(textMessage([bold('Saved. '), 'Steady is setting it up and will tell you here when it is done.']))
          .catch((err: unknown) => deps.log.warn({ err: errorMessage(err) }, 'could not say a slow submission was saved'));
      }
      // Errors the modal could not show (it was closed, or has no field to show them on).
      const final = outcome === 'late' ? await handling : outcome;
      if (final?.status === 'invalid' && !shown) {
        await interaction.replyPrivately(
          textMessage([bold('Your form was not saved. '), Object.values(final.errors).join(' '), ' Please run the command again.']),
        );
      }
    });
  });
}

function deadline(ms: number): Promise<'late'> {
  return new Promise((resolve) => setTimeout(() => resolve('late'), ms).unref());
}

type ViewAck = { response_action: 'errors'; errors: Record<string, string> } | undefined;

/** The outcome as Slack's ack: errors keyed by block id (the field id); an error about no field goes to the first. */
export function answer(outcome: FormOutcome | undefined, fieldIds: readonly string[]): ViewAck {
  if (outcome?.status !== 'invalid' || fieldIds.length === 0) return undefined;
  return { response_action: 'errors', errors: slackErrors(outcome.errors, fieldIds) };
}

function slackErrors(errors: FieldErrors, fieldIds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const target = fieldIds.includes(field) ? field : fieldIds[0]!;
    out[target] = truncate(out[target] ? `${out[target]} ${message}` : message, LIMITS.fieldError);
  }
  return out;
}
