import { z } from 'zod';
import type { FormValue, FormValues } from '../../../src/core/form';
import { conversationRef } from '../refs';

/**
 * A submitted modal's `view.state.values` as the core's form values (see src/core/form.ts), keyed
 * by field id. The element type says how to read each value, so nothing about the form needs to
 * be remembered between opening it and its submission. Unknown element types are left out.
 */
const option = z.object({ value: z.string() });

const element = z.discriminatedUnion('type', [
  z.object({ type: z.literal('plain_text_input'), value: z.string().nullish() }),
  z.object({ type: z.literal('users_select'), selected_user: z.string().nullish() }),
  z.object({ type: z.literal('multi_users_select'), selected_users: z.array(z.string()).nullish() }),
  z.object({ type: z.literal('conversations_select'), selected_conversation: z.string().nullish() }),
  z.object({ type: z.literal('datetimepicker'), selected_date_time: z.number().nullish() }),
  z.object({ type: z.literal('datepicker'), selected_date: z.string().nullish() }),
  z.object({ type: z.literal('timepicker'), selected_time: z.string().nullish() }),
  z.object({ type: z.literal('static_select'), selected_option: option.nullish() }),
  z.object({ type: z.literal('multi_static_select'), selected_options: z.array(option).nullish() }),
  z.object({ type: z.literal('checkboxes'), selected_options: z.array(option).nullish() }),
]);

export const viewStateValues = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * What Slack's pickers answer with: user ids (`U…`, `W…` in Enterprise Grid) and conversation ids
 * (`C…` channels, `G…` private channels and group DMs, `D…` direct messages). Anything else did not
 * come from a picker and is refused, never stored as a person or a place to post.
 */
const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const CONVERSATION_ID = /^[CGD][A-Z0-9]{2,20}$/;

export function isSlackUserId(id: string): boolean {
  return USER_ID.test(id);
}

export function isSlackConversationId(id: string): boolean {
  return CONVERSATION_ID.test(id);
}

/**
 * A datetimepicker answers with whole seconds since 1970; a number outside the years a picker offers
 * (or one no Date can hold, such as 2^53 or 1e308) did not come from one.
 */
const LATEST_PICKABLE_S = Date.UTC(9999, 11, 31, 23, 59, 59) / 1000;

function isPickableTime(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds >= 0 && seconds <= LATEST_PICKABLE_S;
}

export interface ReadValues {
  readonly values: FormValues;
  /** By field id: values no picker could have given. */
  readonly errors: Readonly<Record<string, string>>;
}

export function formValuesOf(state: z.output<typeof viewStateValues>, teamId: string): ReadValues {
  const values: Record<string, FormValue> = {};
  const errors: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(state)) {
    // Each input block holds one element, whose action id is the field id as well.
    const raw = actions[blockId] ?? Object.values(actions)[0];
    const parsed = element.safeParse(raw);
    if (!parsed.success) continue;
    const problem = pickerProblem(parsed.data);
    if (problem) errors[blockId] = problem;
    else values[blockId] = fieldValue(parsed.data, teamId);
  }
  return { values, errors };
}

function pickerProblem(el: z.output<typeof element>): string | undefined {
  if (el.type === 'users_select' && el.selected_user && !isSlackUserId(el.selected_user)) return 'Choose a person from the list.';
  if (el.type === 'multi_users_select' && el.selected_users?.some((u) => !isSlackUserId(u))) return 'Choose people from the list.';
  if (el.type === 'conversations_select' && el.selected_conversation && !isSlackConversationId(el.selected_conversation))
    return 'Choose a channel from the list.';
  if (el.type === 'datetimepicker' && typeof el.selected_date_time === 'number' && !isPickableTime(el.selected_date_time))
    return 'Choose a date and time with the picker.';
  return undefined;
}

function fieldValue(el: z.output<typeof element>, teamId: string): FormValue {
  switch (el.type) {
    case 'plain_text_input':
      return el.value?.trim() ? el.value : null;
    case 'users_select':
      return el.selected_user ?? null;
    case 'multi_users_select':
      return el.selected_users ?? [];
    case 'conversations_select':
      return el.selected_conversation ? conversationRef(teamId, el.selected_conversation) : null;
    case 'datetimepicker':
      return typeof el.selected_date_time === 'number' ? new Date(el.selected_date_time * 1000).toISOString() : null;
    case 'datepicker':
      return el.selected_date ?? null;
    case 'timepicker':
      return el.selected_time ?? null;
    case 'static_select':
      return el.selected_option?.value ?? null;
    case 'multi_static_select':
      return (el.selected_options ?? []).map((o) => o.value);
    case 'checkboxes':
      return (el.selected_options ?? []).length > 0;
  }
}
