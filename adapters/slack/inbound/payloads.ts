import { z } from 'zod';
import { cleanDeep } from '../../../src/core/clean-text';
import { viewStateValues } from './form-values';

/**
 * The parts of Slack's payloads the adapter reads, checked before use. Bolt has verified the
 * signature; these check the shape, so a payload Slack changes (or a forged one that slipped
 * through) is logged and dropped rather than half-handled. Every string is cleaned first of what
 * PostgreSQL refuses (src/core/clean-text.ts), so a NUL in a command is read as if it were not there.
 */
function cleaned<T extends z.ZodType>(schema: T) {
  return z.preprocess((raw) => cleanDeep(raw), schema);
}

const id = z.string().regex(/^[A-Z0-9]+$/);
const ts = z.string().regex(/^\d+\.\d+$/);

/** https://docs.slack.dev/interactivity/implementing-slash-commands */
export const slashCommand = cleaned(
  z.object({
    command: z.string().regex(/^\/[^\s/]+$/),
    text: z.string().default(''),
    team_id: id,
    enterprise_id: id.nullish(),
    user_id: id,
    channel_id: id,
    trigger_id: z.string().min(1),
    response_url: z.url(),
  }),
);

/** https://docs.slack.dev/reference/interaction-payloads/block_actions-payload */
export const blockActions = cleaned(
  z.object({
    type: z.literal('block_actions'),
    team: z.object({ id }).nullish(),
    enterprise: z.object({ id }).nullish(),
    user: z.object({ id, team_id: id.nullish() }),
    trigger_id: z.string().min(1),
    response_url: z.url().nullish(),
    container: z.object({
      type: z.string(),
      message_ts: ts.nullish(),
      channel_id: id.nullish(),
      is_ephemeral: z.boolean().nullish(),
      view_id: z.string().nullish(),
    }),
    channel: z.object({ id }).nullish(),
    message: z.object({ ts, thread_ts: ts.nullish() }).nullish(),
    view: z.object({ id: z.string(), type: z.string() }).nullish(),
    actions: z
      .array(
        z.object({
          type: z.string(),
          action_id: z.string().min(1),
          block_id: z.string().nullish(),
          value: z.string().nullish(),
          action_ts: ts,
        }),
      )
      .min(1),
  }),
);

/** https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload#view_submission */
export const viewSubmission = cleaned(
  z.object({
    type: z.literal('view_submission'),
    team: z.object({ id }).nullish(),
    enterprise: z.object({ id }).nullish(),
    user: z.object({ id, team_id: id.nullish() }),
    trigger_id: z.string().nullish(),
    view: z.object({
      id: z.string(),
      hash: z.string().nullish(),
      callback_id: z.string(),
      private_metadata: z.string().nullish(),
      state: z.object({ values: viewStateValues }),
      blocks: z.array(z.object({ type: z.string(), block_id: z.string().nullish() }).loose()).default([]),
    }),
  }),
);

/** The Events API envelope: https://docs.slack.dev/apis/events-api/#callback-field */
export const eventEnvelope = cleaned(
  z.object({
    event_id: z.string().min(1),
    team_id: id,
    enterprise_id: id.nullish(),
  }),
);

/** message.im: https://docs.slack.dev/reference/events/message.im */
export const directMessage = cleaned(
  z.object({
    type: z.literal('message'),
    channel_type: z.string(),
    channel: id,
    user: id.nullish(),
    text: z.string().nullish(),
    subtype: z.string().nullish(),
    bot_id: z.string().nullish(),
    ts,
  }),
);

/** https://docs.slack.dev/reference/events/app_home_opened */
export const appHomeOpened = cleaned(
  z.object({
    type: z.literal('app_home_opened'),
    user: id,
    tab: z.string().nullish(),
  }),
);
