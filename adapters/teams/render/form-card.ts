import type { FieldErrors, Form, FormField } from '../../../src/core/form';
import { toLocal } from '../../../src/core/zoned-time';
import { TEAMS_LIMITS } from '../limits';
import { adaptiveCard, clip, fitCard, textBlock, type AdaptiveCard, type CardElement, type MentionEntity } from './adaptive-card';
import { cardText, escapeMarkdown } from './card-text';
import { mentionName, type RenderNames } from './names';

/** What a form card's buttons send back (Action.Execute data, plus the inputs by their ids). */
export interface FormSubmitData {
  readonly steady: 'form' | 'form-cancel';
  /** The stored form (teams_forms.id), which knows the form's fields and whom it is for. */
  readonly form: string;
}

export const FORM_VERB = 'steady.form';
export const FORM_CANCEL_VERB = 'steady.form-cancel';
export const PEOPLE_DATASET = 'graph.microsoft.com/users';

export interface Person {
  readonly name: string;
  readonly aadObjectId?: string;
}

export interface FormCardView {
  /** The stored form's id, carried by the buttons. */
  readonly key: string;
  /** Shown in shared conversations, where others see the card too. */
  readonly forUser?: { readonly id: string; readonly name: string };
  /** The inputs as last submitted (by input id); otherwise the fields' initial values are shown. */
  readonly raw?: Readonly<Record<string, string>>;
  readonly errors?: FieldErrors;
  /** People named by initial values (Teams user id → name and Azure AD id, which pickers use). */
  readonly people: ReadonlyMap<string, Person>;
  /** Names of people picked in a previous submission, by Azure AD id. */
  readonly pickedNames: ReadonlyMap<string, string>;
  /** Channels the bot can post in, for channel fields. */
  readonly channels: readonly { readonly ref: string; readonly label: string }[];
}

/** The input ids of a field: one, or a date and a time. */
export function inputIds(field: FormField): { readonly main: string; readonly date: string; readonly time: string } {
  const main = `f.${field.id}`;
  return { main, date: `${main}.date`, time: `${main}.time` };
}

/** What each input shows before anything is submitted, as the card's input values (strings). */
export function initialRaw(form: Form, people: ReadonlyMap<string, Person>): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const field of form.fields) {
    const ids = inputIds(field);
    switch (field.kind) {
      case 'text':
      case 'date':
      case 'time':
      case 'channel':
        if (field.initial) raw[ids.main] = field.initial;
        break;
      case 'user': {
        const aad = field.initial ? people.get(field.initial)?.aadObjectId : undefined;
        if (aad) raw[ids.main] = aad;
        break;
      }
      case 'users': {
        const aads = (field.initial ?? []).flatMap((id) => people.get(id)?.aadObjectId ?? []);
        if (aads.length) raw[ids.main] = aads.join(',');
        break;
      }
      case 'datetime':
        if (field.initial) {
          const local = toLocal(field.initial, field.zone);
          raw[ids.date] = local.date;
          raw[ids.time] = local.time;
        }
        break;
      case 'select': {
        const index = field.options.findIndex((o) => o.value === field.initial);
        if (index >= 0) raw[ids.main] = String(index);
        break;
      }
      case 'multiselect': {
        const indices = field.options.flatMap((o, i) => (field.initial?.includes(o.value) ? [String(i)] : []));
        if (indices.length) raw[ids.main] = indices.join(',');
        break;
      }
      case 'checkbox':
        raw[ids.main] = field.initial ? 'true' : 'false';
        break;
    }
  }
  return raw;
}

/**
 * A core Form as an Adaptive Card: each field an Input with its label, hint and (after a refused
 * submission) the problem right below it; Submit and Cancel as Action.Execute. Pure.
 */
export function formCard(form: Form, view: FormCardView, names: RenderNames): AdaptiveCard {
  const mentions: MentionEntity[] = [];
  const raw = view.raw ?? initialRaw(form, view.people);
  const errors = view.errors ?? {};
  const body: CardElement[] = [textBlock(escapeMarkdown(form.title).replace(/\n/g, ' '), { size: 'Large', weight: 'Bolder' })];
  if (view.forUser) {
    const name = mentionName(view.forUser.name);
    mentions.push({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id: view.forUser.id, name } });
    body.push(textBlock(`For <at>${name}</at>`, { isSubtle: true, size: 'Small', spacing: 'None' }));
  }
  if (form.intro) {
    const intro = cardText(form.intro, names);
    mentions.push(...intro.mentions);
    for (const line of intro.lines) if (line.trim()) body.push(textBlock(line, { spacing: 'Small' }));
  }
  const fieldIds = new Set(form.fields.map((f) => f.id));
  const general = Object.entries(errors).filter(([key]) => !fieldIds.has(key));
  if (Object.keys(errors).length) {
    body.push(attention(general.length ? general.map(([, message]) => message).join(' ') : 'Please check the fields marked below.'));
  }
  for (const field of form.fields) {
    body.push(...fieldElements(field, raw, view));
    if (field.hint) body.push(textBlock(escapeMarkdown(field.hint), { isSubtle: true, size: 'Small', spacing: 'None' }));
    const error = errors[field.id];
    if (error) body.push(attention(error));
  }
  body.push({
    type: 'ActionSet',
    spacing: 'Medium',
    actions: [
      {
        type: 'Action.Execute',
        title: clip(form.submitLabel ?? 'Submit', TEAMS_LIMITS.maxButtonTitleChars),
        verb: FORM_VERB,
        style: 'positive',
        data: submitData('form', view.key),
      },
      {
        type: 'Action.Execute',
        title: 'Cancel',
        verb: FORM_CANCEL_VERB,
        associatedInputs: 'none',
        data: submitData('form-cancel', view.key),
      },
    ],
  });
  return fitCard(adaptiveCard(body, { fallbackText: `${form.title}: a form to fill in`, mentions }));
}

/** What a form card becomes once it is submitted or cancelled, so it cannot be sent again. */
export function closedFormCard(form: Form, outcome: 'done' | 'cancelled', by: { id: string; name: string }): AdaptiveCard {
  const name = mentionName(by.name);
  const mention: MentionEntity = { type: 'mention', text: `<at>${name}</at>`, mentioned: { id: by.id, name } };
  return adaptiveCard(
    [
      textBlock(escapeMarkdown(form.title).replace(/\n/g, ' '), { size: 'Medium', weight: 'Bolder' }),
      textBlock(outcome === 'done' ? `✓ Submitted by <at>${name}</at>` : `Cancelled by <at>${name}</at>`, {
        isSubtle: true,
        spacing: 'None',
      }),
    ],
    { fallbackText: `${form.title}: ${outcome === 'done' ? 'submitted' : 'cancelled'}`, mentions: [mention] },
  );
}

function submitData(steady: FormSubmitData['steady'], key: string): FormSubmitData {
  return { steady, form: key };
}

function attention(message: string): CardElement {
  return textBlock(escapeMarkdown(message), { color: 'Attention', size: 'Small', spacing: 'None' });
}

function fieldElements(field: FormField, raw: Readonly<Record<string, string>>, view: FormCardView): CardElement[] {
  const ids = inputIds(field);
  const label = clip(field.label, 200);
  const common = { label, isRequired: field.required, ...(field.required ? { errorMessage: `${field.label} is required.` } : {}) };
  const value = raw[ids.main];
  switch (field.kind) {
    case 'text':
      return [
        {
          type: 'Input.Text',
          id: ids.main,
          ...common,
          ...(field.multiline ? { isMultiline: true } : {}),
          ...(field.maxLength ? { maxLength: field.maxLength } : {}),
          ...(field.placeholder ? { placeholder: field.placeholder } : {}),
          ...(value !== undefined ? { value } : {}),
        },
      ];
    case 'user':
    case 'users': {
      const picked = (value ?? '').split(',').filter(Boolean);
      return [
        {
          type: 'Input.ChoiceSet',
          id: ids.main,
          ...common,
          placeholder: field.kind === 'user' ? 'Type a name' : 'Type names',
          ...(field.kind === 'users' ? { isMultiSelect: true } : {}),
          choices: picked.map((aad) => ({
            title: view.pickedNames.get(aad) ?? nameOfAad(view.people, aad) ?? 'Chosen person',
            value: aad,
          })),
          'choices.data': { type: 'Data.Query', dataset: PEOPLE_DATASET },
          ...(value ? { value } : {}),
        },
      ];
    }
    case 'channel': {
      const choices = view.channels.slice(0, TEAMS_LIMITS.maxChoices).map((c) => ({ title: clip(c.label, 100), value: c.ref }));
      if (choices.length === 0)
        return [
          textBlock(`**${escapeMarkdown(label)}**`),
          attention('Steady is in no channel yet: add Steady to a team first, then open this form again.'),
        ];
      return [
        {
          type: 'Input.ChoiceSet',
          id: ids.main,
          ...common,
          style: 'compact',
          choices,
          ...(value && choices.some((c) => c.value === value) ? { value } : {}),
        },
      ];
    }
    case 'datetime':
      return [
        {
          type: 'ColumnSet',
          columns: [
            {
              type: 'Column',
              width: 'stretch',
              items: [{ type: 'Input.Date', id: ids.date, ...common, ...(raw[ids.date] ? { value: raw[ids.date] } : {}) }],
            },
            {
              type: 'Column',
              width: 'stretch',
              items: [
                {
                  type: 'Input.Time',
                  id: ids.time,
                  label: `Time (${field.zone})`,
                  isRequired: field.required,
                  ...(field.required ? { errorMessage: `Give a time for ${field.label}.` } : {}),
                  ...(raw[ids.time] ? { value: raw[ids.time] } : {}),
                },
              ],
            },
          ],
        },
      ];
    case 'date':
      return [{ type: 'Input.Date', id: ids.main, ...common, ...(value ? { value } : {}) }];
    case 'time':
      return [{ type: 'Input.Time', id: ids.main, ...common, ...(value ? { value } : {}) }];
    case 'select':
    case 'multiselect':
      return [
        {
          type: 'Input.ChoiceSet',
          id: ids.main,
          ...common,
          style: field.kind === 'multiselect' && field.options.length <= 6 ? 'expanded' : 'compact',
          ...(field.kind === 'multiselect' ? { isMultiSelect: true } : {}),
          choices: field.options.slice(0, TEAMS_LIMITS.maxChoices).map((o, i) => ({ title: clip(o.label, 100), value: String(i) })),
          ...(value ? { value } : {}),
        },
      ];
    case 'checkbox':
      return [
        {
          type: 'Input.Toggle',
          id: ids.main,
          title: label,
          valueOn: 'true',
          valueOff: 'false',
          value: value === 'true' ? 'true' : 'false',
        },
      ];
  }
}

function nameOfAad(people: ReadonlyMap<string, Person>, aad: string): string | undefined {
  for (const person of people.values()) if (person.aadObjectId === aad) return person.name;
  return undefined;
}
