import type { Form } from '../../../src/core/form';
import { invalid, FORM_DONE } from '../../../src/core/form';
import { bold } from '../../../src/core/rich-text';
import { parseModalMetadata, renderModal } from '../../../adapters/slack/render/modal';
import { formValuesOf } from '../../../adapters/slack/inbound/form-values';
import { answer } from '../../../adapters/slack/inbound/views';

const due = new Date('2026-12-01T10:00:00Z');

const everyKind: Form = {
  formId: 'escalation.raise',
  title: 'Raise an escalation now please',
  submitLabel: 'Raise',
  intro: ['Tell us what ', bold('blocks'), ' you.'],
  state: '{"from":"blocker-7"}',
  fields: [
    { id: 'title', kind: 'text', label: 'Title', required: true, placeholder: 'What is wrong?', maxLength: 150, initial: 'Printer down' },
    { id: 'impact', kind: 'text', label: 'Impact', required: false, multiline: true, hint: 'Who is affected, how badly' },
    { id: 'owner', kind: 'user', label: 'Owner', required: true, initial: 'U0BOB' },
    { id: 'watchers', kind: 'users', label: 'Watchers', required: false, initial: ['U0ALICE', 'U0CAROL'] },
    { id: 'channel', kind: 'channel', label: 'Post in', required: true, initial: 'slack:T0STEADY:C0OPS' },
    { id: 'due', kind: 'datetime', label: 'Due', required: true, zone: 'Europe/Berlin', initial: due },
    { id: 'day', kind: 'date', label: 'Day', required: false, initial: '2026-12-01' },
    { id: 'at', kind: 'time', label: 'At', required: false, initial: '09:30' },
    {
      id: 'severity',
      kind: 'select',
      label: 'Severity',
      required: true,
      options: [
        { value: 'high', label: 'High' },
        { value: 'low', label: 'Low' },
      ],
      initial: 'high',
    },
    {
      id: 'days',
      kind: 'multiselect',
      label: 'Days',
      required: false,
      options: [
        { value: 'mon', label: 'Monday' },
        { value: 'tue', label: 'Tuesday' },
      ],
      initial: ['tue'],
    },
    { id: 'notify', kind: 'checkbox', label: 'Notify the channel', required: false, initial: true },
  ],
};

describe('a form as a Slack modal', () => {
  test('the modal carries the form id, its state and where it was opened; labels are cut to fit', () => {
    const view = renderModal(everyKind, { conversation: 'slack:T0STEADY:C0GENERAL' });
    expect(view.callback_id).toBe('escalation.raise');
    expect(parseModalMetadata(view.private_metadata)).toEqual({ state: '{"from":"blocker-7"}', conversation: 'slack:T0STEADY:C0GENERAL' });
    expect(view.title).toEqual({ type: 'plain_text', text: 'Raise an escalation now…', emoji: true });
    expect(view.submit).toEqual({ type: 'plain_text', text: 'Raise', emoji: true });
    expect(view.close).toEqual({ type: 'plain_text', text: 'Cancel', emoji: true });
    expect(view.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Tell us what *blocks* you.' } });
  });

  test('each field kind is the Block Kit input people know, its block and action id the field id', () => {
    const inputs = renderModal(everyKind).blocks.slice(1) as any[];
    expect(inputs.map((b) => [b.block_id, b.element.type, b.element.action_id, b.optional])).toEqual([
      ['title', 'plain_text_input', 'title', false],
      ['impact', 'plain_text_input', 'impact', true],
      ['owner', 'users_select', 'owner', false],
      ['watchers', 'multi_users_select', 'watchers', true],
      ['channel', 'conversations_select', 'channel', false],
      ['due', 'datetimepicker', 'due', false],
      ['day', 'datepicker', 'day', true],
      ['at', 'timepicker', 'at', true],
      ['severity', 'static_select', 'severity', false],
      ['days', 'multi_static_select', 'days', true],
      ['notify', 'checkboxes', 'notify', true],
    ]);
    const el = (i: number) => inputs[i].element;
    expect(el(0)).toEqual({
      type: 'plain_text_input',
      action_id: 'title',
      multiline: false,
      max_length: 150,
      initial_value: 'Printer down',
      placeholder: { type: 'plain_text', text: 'What is wrong?', emoji: true },
    });
    expect(inputs[1].hint).toEqual({ type: 'plain_text', text: 'Who is affected, how badly', emoji: true });
    expect(el(1)).toMatchObject({ multiline: true });
    expect(el(2)).toEqual({ type: 'users_select', action_id: 'owner', initial_user: 'U0BOB' });
    expect(el(3)).toEqual({ type: 'multi_users_select', action_id: 'watchers', initial_users: ['U0ALICE', 'U0CAROL'] });
    expect(el(4)).toEqual({
      type: 'conversations_select',
      action_id: 'channel',
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      initial_conversation: 'C0OPS',
    });
    expect(el(5)).toEqual({ type: 'datetimepicker', action_id: 'due', initial_date_time: due.getTime() / 1000 });
    expect(el(6)).toEqual({ type: 'datepicker', action_id: 'day', initial_date: '2026-12-01' });
    expect(el(7)).toEqual({ type: 'timepicker', action_id: 'at', initial_time: '09:30' });
    const high = { text: { type: 'plain_text', text: 'High', emoji: true }, value: 'high' };
    expect(el(8)).toEqual({
      type: 'static_select',
      action_id: 'severity',
      options: [high, { text: { type: 'plain_text', text: 'Low', emoji: true }, value: 'low' }],
      initial_option: high,
    });
    expect(el(9)).toMatchObject({ initial_options: [{ text: { type: 'plain_text', text: 'Tuesday', emoji: true }, value: 'tue' }] });
    const yes = { text: { type: 'plain_text', text: 'Yes', emoji: true }, value: 'yes' };
    expect(el(10)).toEqual({ type: 'checkboxes', action_id: 'notify', options: [yes], initial_options: [yes] });
  });

  test('a channel field with no initial choice starts at the conversation the person is in', () => {
    const view = renderModal({ formId: 'f.x', title: 'X', fields: [{ id: 'where', kind: 'channel', label: 'Where', required: true }] });
    expect((view.blocks[0] as any).element).toEqual({
      type: 'conversations_select',
      action_id: 'where',
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      default_to_current_conversation: true,
    });
  });

  test('a state too large for private_metadata is refused rather than cut', () => {
    expect(() => renderModal({ ...everyKind, state: 's'.repeat(3000) })).toThrow('Slack allows 3000');
  });

  test('private_metadata that is not ours reads as none', () => {
    expect(parseModalMetadata('not json')).toEqual({});
    expect(parseModalMetadata('{"state":7,"conversation":"slack:T1:C1"}')).toEqual({ conversation: 'slack:T1:C1' });
  });
});

describe("submitted values in the core's shapes", () => {
  test('every element type is read as its field kind documents', () => {
    const values = formValuesOf(
      {
        title: { title: { type: 'plain_text_input', value: 'Printer down' } },
        impact: { impact: { type: 'plain_text_input', value: '   ' } },
        owner: { owner: { type: 'users_select', selected_user: 'U0BOB' } },
        watchers: { watchers: { type: 'multi_users_select', selected_users: ['U0ALICE'] } },
        channel: { channel: { type: 'conversations_select', selected_conversation: 'C0OPS' } },
        due: { due: { type: 'datetimepicker', selected_date_time: 1796119200 } },
        day: { day: { type: 'datepicker', selected_date: '2026-12-01' } },
        at: { at: { type: 'timepicker', selected_time: '09:30' } },
        severity: { severity: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'High' }, value: 'high' } } },
        days: { days: { type: 'multi_static_select', selected_options: [{ value: 'mon' }, { value: 'tue' }] } },
        notify: { notify: { type: 'checkboxes', selected_options: [] } },
        empty: { empty: { type: 'users_select', selected_user: null } },
        odd: { odd: { type: 'rich_text_input', rich_text_value: {} } },
      },
      'T0STEADY',
    );
    expect(values).toEqual({
      errors: {},
      values: {
        title: 'Printer down',
        impact: null,
        owner: 'U0BOB',
        watchers: ['U0ALICE'],
        channel: 'slack:T0STEADY:C0OPS',
        due: '2026-12-01T10:00:00.000Z',
        day: '2026-12-01',
        at: '09:30',
        severity: 'high',
        days: ['mon', 'tue'],
        notify: false,
        empty: null,
      },
    });
  });

  test('people and channels no picker gives are refused on their field, not stored', () => {
    const read = formValuesOf(
      {
        owner: { owner: { type: 'users_select', selected_user: '@nobody_here' } },
        members: { members: { type: 'multi_users_select', selected_users: ['U0BOB', '1'] } },
        channel: { channel: { type: 'conversations_select', selected_conversation: 'yesterday' } },
        dm: { dm: { type: 'conversations_select', selected_conversation: 'D0BOB' } },
        grid: { grid: { type: 'users_select', selected_user: 'W0GRID' } },
      },
      'T0STEADY',
    );
    expect(read.errors).toEqual({
      owner: 'Choose a person from the list.',
      members: 'Choose people from the list.',
      channel: 'Choose a channel from the list.',
    });
    expect(read.values).toEqual({ dm: 'slack:T0STEADY:D0BOB', grid: 'W0GRID' });
  });
});

describe("the outcome as Slack's answer to view_submission", () => {
  test('done closes the modal; invalid keeps it open with each error under its field', () => {
    const fieldIds = ['title', 'due'];
    expect(answer(FORM_DONE, fieldIds)).toBeUndefined();
    expect(answer(invalid({ due: 'The due time must be in the future.' }), fieldIds)).toEqual({
      response_action: 'errors',
      errors: { due: 'The due time must be in the future.' },
    });
  });

  test('an error about no field in particular is shown on the first field', () => {
    expect(answer(invalid({ _form: 'Pick an owner or a team.', title: 'Give it a title.' }), ['title', 'due'])).toEqual({
      response_action: 'errors',
      errors: { title: 'Pick an owner or a team. Give it a title.' },
    });
  });
});
