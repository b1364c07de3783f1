import type { FormField, FormValue } from '../../src/core/form';
import { parseDuration } from '../../src/core/duration';
import { formatInZone, fromLocal, isLocalDate, isLocalTime } from '../../src/core/zoned-time';

/**
 * Reading one form field from a line typed in the terminal. Each kind accepts what a person would
 * naturally type; the result is the same normalised value the Slack and Teams adapters produce.
 */
export type FieldInput = { readonly ok: true; readonly value: FormValue | undefined } | { readonly ok: false; readonly error: string };

export const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/i;

const ok = (value: FormValue | undefined): FieldInput => ({ ok: true, value });
const bad = (error: string): FieldInput => ({ ok: false, error });

/** The prompt for a field: its label, whether it is required, how to answer, and the default. */
export function promptFor(field: FormField, zone: string): string {
  const how: Record<FormField['kind'], string> = {
    text: field.kind === 'text' && field.multiline ? 'text; \\n for a new line' : 'text',
    user: '@name',
    users: '@name @name …',
    channel: '#channel',
    datetime: `YYYY-MM-DD HH:MM in ${field.kind === 'datetime' ? field.zone : zone}, or +4h`,
    date: 'YYYY-MM-DD',
    time: 'HH:MM',
    select: 'a number',
    multiselect: 'numbers separated by commas',
    checkbox: 'y or n',
  };
  const parts = [field.label, field.required ? ' (required' : ' (optional', `; ${how[field.kind]})`];
  const initial = initialText(field);
  if (initial) parts.push(` [${initial}]`);
  let prompt = parts.join('');
  if (field.kind === 'select' || field.kind === 'multiselect') {
    prompt += `\n${field.options.map((o, i) => `    ${i + 1}. ${o.label}`).join('\n')}`;
  }
  if (field.hint) prompt += `\n    (${field.hint})`;
  return `${prompt}\n> `;
}

/** Mentions carried in from a command (`<@bob>`, `<#console:#ops>`) shown as they were typed. */
function asTyped(text: string): string {
  return text.replace(/<@([^>\s|]+)>/g, '@$1').replace(/<#console:(#[^>\s|]+)>/g, '$1');
}

/** A field's initial value as a person would type it. */
export function initialText(field: FormField): string | undefined {
  switch (field.kind) {
    case 'text':
      return field.initial ? asTyped(field.initial) : undefined;
    case 'date':
    case 'time':
      return field.initial || undefined;
    case 'user':
      return field.initial ? `@${field.initial}` : undefined;
    case 'users':
      return field.initial?.length ? field.initial.map((u) => `@${u}`).join(' ') : undefined;
    case 'channel':
      return field.initial ? field.initial.replace(/^console:/, '') : undefined;
    case 'datetime':
      return field.initial ? formatInZone(field.initial, field.zone) : undefined;
    case 'select':
      return field.options.find((o) => o.value === field.initial)?.label;
    case 'multiselect':
      return field.initial?.length
        ? field.options
            .filter((o) => field.initial!.includes(o.value))
            .map((o) => o.label)
            .join(', ')
        : undefined;
    case 'checkbox':
      return field.initial === undefined ? undefined : field.initial ? 'y' : 'n';
  }
}

/** The value a field has when the person just presses Enter. */
export function initialValue(field: FormField): FormValue | undefined {
  switch (field.kind) {
    case 'datetime':
      return field.initial ? field.initial.toISOString() : undefined;
    case 'users':
    case 'multiselect':
      return field.initial ? [...field.initial] : undefined;
    default:
      return field.initial;
  }
}

/**
 * Parses a typed line for a field and checks it against what the field itself declares, so a
 * wrong answer is asked again at once rather than after the last field. Enter keeps the default;
 * "-" clears an optional field.
 */
export function parseFieldInput(field: FormField, line: string, now: Date): FieldInput {
  const read = readFieldInput(field, line, now);
  if (!read.ok || field.kind !== 'text' || field.maxLength === undefined || typeof read.value !== 'string') return read;
  // UTF-16 units, as the workflows' zod schemas count them.
  const length = read.value.length;
  return length > field.maxLength ? bad(`${field.label} can be at most ${field.maxLength} characters (it has ${length}).`) : read;
}

function readFieldInput(field: FormField, line: string, now: Date): FieldInput {
  const text = line.trim();
  if (text === '') {
    const initial = initialValue(field);
    if (initial === undefined && field.required) return bad(`${field.label} is required.`);
    return ok(initial);
  }
  if (text === '-') return field.required ? bad(`${field.label} is required.`) : ok(undefined);
  switch (field.kind) {
    case 'text':
      return ok(field.multiline ? text.replace(/\\n/g, '\n') : text);
    case 'user': {
      const name = text.replace(/^@/, '');
      return USER_NAME.test(name) ? ok(name) : bad('Type one person as @name.');
    }
    case 'users': {
      const names = text
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((n) => n.replace(/^@/, ''));
      const wrong = names.find((n) => !USER_NAME.test(n));
      if (wrong) return bad(`"${wrong}" is not a user name. Type people as @alice @bob.`);
      if (names.length === 0) return field.required ? bad(`${field.label} is required.`) : ok(undefined);
      return ok([...new Set(names)]);
    }
    case 'channel': {
      const name = text.replace(/^#/, '');
      return /^[a-z0-9][a-z0-9._-]{0,79}$/i.test(name) ? ok(`console:#${name.toLowerCase()}`) : bad('Type a channel as #name.');
    }
    case 'datetime':
      return parseDateTime(text, field.zone, now);
    case 'date':
      return isLocalDate(text) ? ok(text) : bad('Type a date as YYYY-MM-DD.');
    case 'time':
      return isLocalTime(text) ? ok(text) : bad('Type a time as HH:MM, 24-hour (e.g. 09:30).');
    case 'select': {
      const option = pickOption(field.options, text);
      return option ? ok(option) : bad(`Choose 1 to ${field.options.length}.`);
    }
    case 'multiselect': {
      const picks = text.split(',').map((t) => pickOption(field.options, t.trim()));
      if (picks.some((p) => p === undefined)) return bad(`Choose numbers from 1 to ${field.options.length}, separated by commas.`);
      return ok([...new Set(picks as string[])]);
    }
    case 'checkbox':
      if (/^(y|yes|true|on|1)$/i.test(text)) return ok(true);
      if (/^(n|no|false|off|0)$/i.test(text)) return ok(false);
      return bad('Answer y or n.');
  }
}

function pickOption(options: readonly { value: string; label: string }[], text: string): string | undefined {
  if (/^\d+$/.test(text)) return options[Number(text) - 1]?.value;
  const lower = text.toLowerCase();
  return options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower)?.value;
}

function parseDateTime(text: string, zone: string, now: Date): FieldInput {
  const relative = /^(?:\+|in\s+)(.+)$/i.exec(text);
  if (relative) {
    const ms = parseDuration(relative[1]!);
    return ms === undefined ? bad('Type a duration such as +4h or +1d.') : ok(new Date(now.getTime() + ms).toISOString());
  }
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})$/.exec(text);
  if (!m || !isLocalDate(m[1]!) || !isLocalTime(m[2]!.padStart(5, '0'))) {
    return bad(`Type a date and time as YYYY-MM-DD HH:MM (in ${zone}), or a delay such as +4h.`);
  }
  return ok(fromLocal(m[1]!, m[2]!.padStart(5, '0'), zone).toISOString());
}
