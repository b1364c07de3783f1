import type { Form, FormField, FormValue } from '../../../src/core/form';
import { fromLocal, isLocalDate, isLocalTime } from '../../../src/core/zoned-time';
import { inputIds } from '../render/form-card';

/**
 * Reading a submitted form card: the inputs arrive as strings keyed by input id (untrusted: any
 * client can send anything), and become the normalised values the core documents per field kind.
 * People pickers answer with Azure AD object ids; those are collected here and resolved to Teams
 * user ids by the caller, which may ask Teams.
 */
export interface ReadInputs {
  /** The inputs as sent, to draw the card again with them. */
  readonly raw: Record<string, string>;
  readonly values: Record<string, FormValue>;
  readonly errors: Record<string, string>;
  /** Fields holding people, with the Azure AD ids (or Teams ids) picked. */
  readonly people: ReadonlyMap<string, readonly string[]>;
}

const MAX_INPUT_CHARS = 10_000;
const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TEAMS_USER_ID = /^29:[A-Za-z0-9._~:+/=-]{1,200}$/;

export function isPersonId(value: string): boolean {
  return AAD_OBJECT_ID.test(value) || TEAMS_USER_ID.test(value);
}

export function readFormInputs(form: Form, data: Readonly<Record<string, unknown>>, channels: ReadonlySet<string>): ReadInputs {
  const raw: Record<string, string> = {};
  const values: Record<string, FormValue> = {};
  const errors: Record<string, string> = {};
  const people = new Map<string, string[]>();
  const input = (id: string): string => {
    const value = data[id];
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
    if (text) raw[id] = text.slice(0, MAX_INPUT_CHARS);
    return text.slice(0, MAX_INPUT_CHARS).trim();
  };
  for (const field of form.fields) {
    const result = readField(field, input, channels);
    if ('error' in result) {
      errors[field.id] = result.error;
      continue;
    }
    if ('people' in result) {
      if (result.people.length) people.set(field.id, result.people);
      else if (field.required) errors[field.id] = `${field.label} is required.`;
      continue;
    }
    if (result.value === undefined) {
      if (field.required) errors[field.id] = `${field.label} is required.`;
      continue;
    }
    values[field.id] = result.value;
  }
  return { raw, values, errors, people };
}

type FieldResult = { readonly value: FormValue | undefined } | { readonly people: string[] } | { readonly error: string };

function readField(field: FormField, input: (id: string) => string, channels: ReadonlySet<string>): FieldResult {
  const ids = inputIds(field);
  switch (field.kind) {
    case 'text': {
      const text = input(ids.main);
      if (field.maxLength && text.length > field.maxLength)
        return { error: `${field.label} can be at most ${field.maxLength} characters (it has ${text.length}).` };
      return { value: text || undefined };
    }
    case 'user':
    case 'users': {
      const picked = [
        ...new Set(
          input(ids.main)
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        ),
      ];
      if (picked.some((p) => !isPersonId(p)))
        return { error: `Choose ${field.kind === 'user' ? 'a person' : 'people'} from the list for ${field.label}.` };
      if (field.kind === 'user' && picked.length > 1) return { error: `Choose one person for ${field.label}.` };
      return { people: picked };
    }
    case 'channel': {
      const ref = input(ids.main);
      if (!ref) return { value: undefined };
      return channels.has(ref) ? { value: ref } : { error: `Choose a channel from the list for ${field.label}.` };
    }
    case 'datetime': {
      const date = input(ids.date);
      const time = normaliseTime(input(ids.time));
      if (!date && !time) return { value: undefined };
      if (!date || !time) return { error: `Give both a date and a time for ${field.label}.` };
      if (!isLocalDate(date)) return { error: `${field.label}: the date should look like 2026-12-01.` };
      if (!isLocalTime(time)) return { error: `${field.label}: the time should look like 09:30 (24-hour).` };
      return { value: fromLocal(date, time, field.zone).toISOString() };
    }
    case 'date': {
      const date = input(ids.main);
      if (!date) return { value: undefined };
      return isLocalDate(date) ? { value: date } : { error: `${field.label}: the date should look like 2026-12-01.` };
    }
    case 'time': {
      const time = normaliseTime(input(ids.main));
      if (!time) return { value: undefined };
      return isLocalTime(time) ? { value: time } : { error: `${field.label}: the time should look like 09:30 (24-hour).` };
    }
    case 'select': {
      const picked = input(ids.main);
      if (!picked) return { value: undefined };
      const option = optionAt(field.options, picked);
      return option === undefined ? { error: `Choose one of the options for ${field.label}.` } : { value: option };
    }
    case 'multiselect': {
      const picked = input(ids.main)
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const options = picked.map((p) => optionAt(field.options, p));
      if (options.some((o) => o === undefined)) return { error: `Choose from the options for ${field.label}.` };
      return { value: options.length ? [...new Set(options as string[])] : undefined };
    }
    case 'checkbox':
      return { value: input(ids.main) === 'true' };
  }
}

/** Some Teams clients send seconds (`09:30:00`). */
function normaliseTime(text: string): string {
  const match = /^(\d{2}:\d{2})(:\d{2})?$/.exec(text);
  return match ? match[1]! : text;
}

function optionAt(options: readonly { value: string }[], index: string): string | undefined {
  if (!/^\d{1,3}$/.test(index)) return undefined;
  return options[Number(index)]?.value;
}
