import type { types } from '@slack/bolt';
import type { Form, FormField, FormOption } from '../../../src/core/form';
import { LIMITS, mustFit, truncate } from './limits';
import { mrkdwn, plain } from './mrkdwn';
import { parseConversation } from '../refs';

/**
 * A form as a modal. Each field is an input block whose block id and action id are the field's id,
 * so submitted values and errors are found by name, never by position. The form id travels as the
 * callback id; its state and the conversation it was opened from travel in private_metadata.
 */
export interface ModalContext {
  /** Where the form was opened, so the submission is handled as if it happened there. */
  readonly conversation?: string;
}

export interface ModalMetadata {
  readonly state?: string;
  readonly conversation?: string;
}

export function renderModal(form: Form, context: ModalContext = {}): types.ModalView {
  const metadata: ModalMetadata = {
    ...(form.state === undefined ? {} : { state: form.state }),
    ...(context.conversation ? { conversation: context.conversation } : {}),
  };
  const blocks: types.KnownBlock[] = [];
  if (form.intro !== undefined && mrkdwn(form.intro).trim()) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn(form.intro), LIMITS.text) } });
  }
  blocks.push(...form.fields.map(inputBlock));
  if (blocks.length > LIMITS.viewBlocks)
    throw new RangeError(`form ${form.formId} has ${blocks.length} blocks; a modal holds ${LIMITS.viewBlocks}`);
  return {
    type: 'modal',
    callback_id: mustFit('a form id', form.formId, LIMITS.callbackId),
    private_metadata: mustFit(`the state of form ${form.formId}`, JSON.stringify(metadata), LIMITS.privateMetadata),
    title: { type: 'plain_text', text: truncate(form.title, LIMITS.viewTitle), emoji: true },
    submit: { type: 'plain_text', text: truncate(form.submitLabel ?? 'Submit', LIMITS.viewButton), emoji: true },
    close: { type: 'plain_text', text: 'Cancel', emoji: true },
    blocks,
  };
}

/** Reads private_metadata back; anything unreadable counts as none (it came from a request). */
export function parseModalMetadata(raw: string | undefined): ModalMetadata {
  if (!raw) return {};
  try {
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null) return {};
    const { state, conversation } = value as Record<string, unknown>;
    return {
      ...(typeof state === 'string' ? { state } : {}),
      ...(typeof conversation === 'string' ? { conversation } : {}),
    };
  } catch {
    return {};
  }
}

function inputBlock(field: FormField): types.InputBlock {
  const id = mustFit('a field id', field.id, LIMITS.blockId);
  return {
    type: 'input',
    block_id: id,
    label: { type: 'plain_text', text: truncate(field.label, LIMITS.inputLabel), emoji: true },
    // A checkbox left unticked is an answer (false), so it is never "required" in Slack's sense.
    optional: field.kind === 'checkbox' ? true : !field.required,
    ...(field.hint ? { hint: { type: 'plain_text' as const, text: truncate(field.hint, LIMITS.inputHint), emoji: true } } : {}),
    element: inputElement(field, id),
  };
}

function inputElement(field: FormField, actionId: string): types.InputBlockElement {
  switch (field.kind) {
    case 'text':
      return {
        type: 'plain_text_input',
        action_id: actionId,
        multiline: field.multiline ?? false,
        max_length: Math.min(field.maxLength ?? LIMITS.textInput, LIMITS.textInput),
        ...(field.initial
          ? { initial_value: field.initial.slice(0, Math.min(field.maxLength ?? LIMITS.textInput, LIMITS.textInput)) }
          : {}),
        ...(field.placeholder ? { placeholder: plainText(truncate(field.placeholder, LIMITS.placeholder)) } : {}),
      };
    case 'user':
      return { type: 'users_select', action_id: actionId, ...(field.initial ? { initial_user: field.initial } : {}) };
    case 'users':
      return { type: 'multi_users_select', action_id: actionId, ...(field.initial?.length ? { initial_users: [...field.initial] } : {}) };
    case 'channel':
      return {
        type: 'conversations_select',
        action_id: actionId,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        // With no initial choice, the channel the person is looking at is the likely one.
        ...(field.initial
          ? { initial_conversation: parseConversation(field.initial).channelId }
          : { default_to_current_conversation: true }),
      };
    case 'datetime':
      return {
        type: 'datetimepicker',
        action_id: actionId,
        ...(field.initial ? { initial_date_time: Math.floor(field.initial.getTime() / 1000) } : {}),
      };
    case 'date':
      return { type: 'datepicker', action_id: actionId, ...(field.initial ? { initial_date: field.initial } : {}) };
    case 'time':
      return { type: 'timepicker', action_id: actionId, ...(field.initial ? { initial_time: field.initial } : {}) };
    case 'select': {
      const options = selectOptions(field.options);
      const initial = options.find((o) => o.value === field.initial);
      return { type: 'static_select', action_id: actionId, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'multiselect': {
      const options = selectOptions(field.options);
      const initial = options.filter((o) => field.initial?.includes(o.value!));
      return { type: 'multi_static_select', action_id: actionId, options, ...(initial.length ? { initial_options: initial } : {}) };
    }
    case 'checkbox': {
      const option: types.PlainTextOption = { text: plainText('Yes'), value: 'yes' };
      return { type: 'checkboxes', action_id: actionId, options: [option], ...(field.initial ? { initial_options: [option] } : {}) };
    }
  }
}

function selectOptions(options: readonly FormOption[]): types.PlainTextOption[] {
  return options.slice(0, LIMITS.selectOptions).map((o) => ({
    text: plainText(truncate(plain(o.label), LIMITS.optionText)),
    value: mustFit(`the value of option "${o.label}"`, o.value, LIMITS.optionValue),
  }));
}

function plainText(text: string): types.PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}
