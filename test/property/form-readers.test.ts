import fc from 'fast-check';
import { parseFieldInput } from '../../adapters/console/form-input';
import { formValuesOf } from '../../adapters/slack/inbound/form-values';
import { blockActions, directMessage, eventEnvelope, slashCommand, viewSubmission } from '../../adapters/slack/inbound/payloads';
import { shapeProblem } from '../../adapters/slack/request-guard';
import { activitySchema } from '../../adapters/teams/inbound/activity';
import { cardData } from '../../adapters/teams/inbound/card-actions';
import { readFormInputs } from '../../adapters/teams/inbound/form-inputs';
import { commandText } from '../../adapters/teams/inbound/message-text';
import { inputIds } from '../../adapters/teams/render/form-card';
import type { Form, FormField, FormValue } from '../../src/core/form';
import { hostileText, piece, settings } from './support';

/**
 * The form readers and payload schemas of every adapter, on their own: whatever a client sends,
 * they answer values or per-field errors, never throw, and hand the core only text PostgreSQL can
 * store (no NUL, no lone surrogate).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL text refuses
const REFUSED_BY_POSTGRES = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storable(value: unknown): boolean {
  if (typeof value === 'string') return !REFUSED_BY_POSTGRES.test(value);
  if (Array.isArray(value)) return value.every(storable);
  if (value && typeof value === 'object') return Object.entries(value).every(([k, v]) => storable(k) && storable(v));
  return true;
}

const isIsoInstant = (v: FormValue | undefined) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;

const FIELDS: readonly FormField[] = [
  { kind: 'text', id: 'title', label: 'Title', required: true, maxLength: 80 },
  { kind: 'text', id: 'notes', label: 'Notes', required: false, multiline: true },
  { kind: 'user', id: 'owner', label: 'Owner', required: false },
  { kind: 'users', id: 'people', label: 'People', required: false },
  { kind: 'channel', id: 'channel', label: 'Channel', required: false },
  { kind: 'datetime', id: 'due', label: 'Due', required: false, zone: 'Europe/Berlin' },
  { kind: 'date', id: 'day', label: 'Day', required: false },
  { kind: 'time', id: 'at', label: 'At', required: false },
  {
    kind: 'select',
    id: 'severity',
    label: 'Severity',
    required: false,
    options: [
      { value: 'SEV1', label: 'SEV1' },
      { value: 'SEV2', label: 'SEV2' },
    ],
  },
  {
    kind: 'multiselect',
    id: 'days',
    label: 'Days',
    required: false,
    options: [
      { value: '1', label: 'Mon' },
      { value: '2', label: 'Tue' },
    ],
  },
  { kind: 'checkbox', id: 'paused', label: 'Paused', required: false },
];
const FORM: Form = { formId: 'test.form', title: 'Test', fields: FIELDS };

/** Numbers at the edges: what a picker never sends but a forged request can. */
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, 1e308, -1e308, -1, 0, 8.64e15, 8.64e12 + 1, 1764500000.5),
);
const scalar = fc.oneof(hostileText, piece, number, fc.boolean(), fc.constant(null));
const junk = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(piece, scalar, { maxKeys: 3 }));

/** A Slack element state: a known element type with values of any type, or anything at all. */
const element = fc.oneof(
  fc.record(
    {
      type: fc.constantFrom(
        'plain_text_input',
        'users_select',
        'multi_users_select',
        'conversations_select',
        'datetimepicker',
        'datepicker',
        'timepicker',
        'static_select',
        'multi_static_select',
        'checkboxes',
        'number_input',
        'x',
      ),
      value: junk,
      selected_user: junk,
      selected_users: junk,
      selected_conversation: junk,
      selected_date_time: fc.oneof(number, junk),
      selected_date: junk,
      selected_time: junk,
      selected_option: fc.oneof(junk, fc.record({ value: scalar })),
      selected_options: fc.oneof(junk, fc.array(fc.record({ value: scalar }), { maxLength: 3 })),
    },
    { requiredKeys: ['type'] },
  ),
  junk,
);
const viewState = fc.dictionary(
  fc.oneof(fc.constantFrom(...FIELDS.map((f) => f.id)), piece),
  fc.dictionary(piece, element, { maxKeys: 2 }),
  { maxKeys: 6 },
);

test('Slack: any view_submission state is read as values or per-field errors, never an exception', () => {
  fc.assert(
    fc.property(viewState, fc.string(), (values, callback) => {
      const parsed = viewSubmission.safeParse({
        type: 'view_submission',
        user: { id: 'U1', team_id: 'T1' },
        team: { id: 'T1' },
        view: { id: 'V1', callback_id: callback, private_metadata: callback, state: { values } },
      });
      if (!parsed.success) return;
      const read = formValuesOf(parsed.data.view.state.values, 'T1');
      expect(storable(read.values)).toBe(true);
      for (const error of Object.values(read.errors)) expect(typeof error).toBe('string');
      for (const [id, value] of Object.entries(read.values)) {
        const element = Object.values(parsed.data.view.state.values[id] ?? {})[0] as { type?: string } | undefined;
        if (element?.type === 'datetimepicker' && value !== null) expect(isIsoInstant(value)).toBe(true);
      }
    }),
    settings(400),
  );
});

test('Slack: every payload schema takes any JSON without throwing, and what it accepts is storable', () => {
  const schemas = [slashCommand, blockActions, viewSubmission, eventEnvelope, directMessage];
  fc.assert(
    fc.property(
      fc.oneof(
        fc.jsonValue(),
        junk,
        fc.record({
          type: fc.constantFrom('block_actions', 'view_submission', 'message'),
          text: hostileText,
          command: fc.constant('/steady'),
        }),
      ),
      (body) => {
        for (const schema of schemas) {
          const parsed = schema.safeParse(body);
          if (parsed.success) expect(storable(parsed.data)).toBe(true);
        }
      },
    ),
    settings(400),
  );
});

test('Slack: the request guard reads any body of any content type without throwing', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', ''),
      fc.oneof(
        fc.json(),
        hostileText,
        fc.json().map((j) => `payload=${encodeURIComponent(j)}`),
      ),
      (type, body) => {
        const problem = shapeProblem(
          { header: ((name: string) => (name === 'content-type' ? type : undefined)) as never },
          Buffer.from(body),
        );
        expect(problem === undefined || typeof problem === 'string').toBe(true);
      },
    ),
    settings(400),
  );
});

test('Teams: any card data is read as values or per-field errors, never an exception', () => {
  const data = fc.dictionary(
    fc.oneof(fc.constantFrom(...FIELDS.flatMap((f) => Object.values(inputIds(f)))), piece),
    fc.oneof(scalar, junk),
    { maxKeys: 8 },
  );
  fc.assert(
    fc.property(data, (raw) => {
      const read = readFormInputs(FORM, raw, new Set(['teams:t1:c1']));
      const due = read.values.due;
      if (due !== undefined) expect(isIsoInstant(due)).toBe(true);
      for (const error of Object.values(read.errors)) expect(typeof error).toBe('string');
      const button = cardData.safeParse({ steady: 'button', ...raw });
      if (button.success) expect(storable(button.data)).toBe(true);
    }),
    settings(400),
  );
});

test('Teams: any activity is checked without throwing, and its text is storable once read', () => {
  const activity = fc.record({
    type: fc.constantFrom('message', 'invoke', 'conversationUpdate', 'x'),
    channelId: fc.constant('msteams'),
    serviceUrl: fc.constant('https://smba.example.com/'),
    from: fc.record({ id: fc.oneof(piece, fc.constant('29:alice')), name: hostileText }),
    recipient: fc.record({ id: fc.constant('28:bot') }),
    conversation: fc.record({ id: fc.oneof(piece, fc.constant('a:1')), tenantId: piece, name: hostileText }),
    text: hostileText,
    value: junk,
    entities: fc.array(junk, { maxLength: 3 }),
  });
  fc.assert(
    fc.property(fc.oneof(activity, junk), (raw) => {
      const parsed = activitySchema.safeParse(raw);
      if (!parsed.success) return;
      expect(storable(parsed.data)).toBe(true);
      expect(storable(commandText(parsed.data.text ?? '', [], '28:bot'))).toBe(true);
      cardData.safeParse(parsed.data.value);
    }),
    settings(400),
  );
});

test('console: any typed line is read as a value or a sentence, for every kind of field', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...FIELDS),
      fc.oneof(
        hostileText,
        fc.constantFrom(
          '+99999999999999d',
          '+1e308h',
          'in 9999999999w',
          '+4h',
          '9999-12-31 23:59',
          '0000-01-01 00:00',
          '2026-02-30 10:00',
          '-',
          '',
        ),
      ),
      (field, line) => {
        const read = parseFieldInput(field, line, new Date('2026-11-30T09:00:00Z'));
        if (!read.ok) expect(typeof read.error).toBe('string');
        else if (field.kind === 'datetime' && read.value !== undefined) expect(isIsoInstant(read.value)).toBe(true);
      },
    ),
    settings(600),
  );
});
