import type { z } from 'zod';
import type { RichText } from './rich-text';

/**
 * A form the bot asks a person to fill in (a modal, a card with inputs, a field-by-field dialogue in
 * the terminal). Values come back through `FormSubmitted` keyed by field id, normalised by the adapter
 * to the shapes documented on each kind.
 */
interface FieldBase {
  readonly id: string;
  readonly label: string;
  readonly required: boolean;
  readonly hint?: string;
  /**
   * The person already said this (typed it with the command): a field-by-field dialogue does not
   * ask for it again, a modal shows it filled in. Only meaningful with an initial value.
   */
  readonly given?: boolean;
}

export type FormField =
  /** value: string */
  | (FieldBase & {
      readonly kind: 'text';
      readonly multiline?: boolean;
      readonly initial?: string;
      readonly placeholder?: string;
      readonly maxLength?: number;
    })
  /** value: a user id of the workspace */
  | (FieldBase & { readonly kind: 'user'; readonly initial?: string })
  /** value: user ids */
  | (FieldBase & { readonly kind: 'users'; readonly initial?: readonly string[] })
  /** value: a conversation reference */
  | (FieldBase & { readonly kind: 'channel'; readonly initial?: string })
  /** value: an ISO-8601 instant. `zone` is how platforms without zone-aware pickers read local input. */
  | (FieldBase & { readonly kind: 'datetime'; readonly zone: string; readonly initial?: Date })
  /** value: YYYY-MM-DD */
  | (FieldBase & { readonly kind: 'date'; readonly initial?: string })
  /** value: HH:MM */
  | (FieldBase & { readonly kind: 'time'; readonly initial?: string })
  /** value: one option's value */
  | (FieldBase & { readonly kind: 'select'; readonly options: readonly FormOption[]; readonly initial?: string })
  /** value: option values */
  | (FieldBase & { readonly kind: 'multiselect'; readonly options: readonly FormOption[]; readonly initial?: readonly string[] })
  /** value: boolean; the label is the checkbox's text */
  | (FieldBase & { readonly kind: 'checkbox'; readonly initial?: boolean });

export type FieldKind = FormField['kind'];

export interface FormOption {
  readonly value: string;
  readonly label: string;
}

export interface Form {
  /** Routes the submission: `<workflow>.<form>`, e.g. `escalation.raise`. */
  readonly formId: string;
  readonly title: string;
  readonly submitLabel?: string;
  readonly intro?: RichText;
  readonly fields: readonly FormField[];
  /** Opaque to platforms, carried through to the submission (e.g. the record being edited). */
  readonly state?: string;
}

export type FormValue = string | readonly string[] | boolean | null;
export type FormValues = Readonly<Record<string, FormValue | undefined>>;
export type FieldErrors = Readonly<Record<string, string>>;

export type FormOutcome = { readonly status: 'done' } | { readonly status: 'invalid'; readonly errors: FieldErrors };

export const FORM_DONE: FormOutcome = { status: 'done' };

/** The key of an error about the whole form rather than one field (adapters show it first). */
export const FORM_PROBLEM = '_form';

export function invalid(errors: FieldErrors): FormOutcome {
  return { status: 'invalid', errors };
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

/**
 * Checks submitted values against a workflow's zod schema; each problem is reported on the field
 * it concerns (the first path segment), the first message per field, so a form can show it there.
 */
export function validateForm<S extends z.ZodType>(schema: S, values: FormValues): Validated<z.output<S>> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? FORM_PROBLEM);
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/**
 * Text a form starts with when it may be longer than its field holds (a title typed after a
 * command): cut at the limit, at a word where one is near, and a hint saying so, so nothing is
 * shortened unseen.
 */
export function prefill(text: string, maxLength: number): { readonly initial: string; readonly hint?: string } {
  const trimmed = text.trim();
  if (trimmed.length <= maxLength) return { initial: trimmed };
  const room = trimmed.slice(0, maxLength - 1);
  const space = room.lastIndexOf(' ');
  const cut = `${(space > maxLength * 0.7 ? room.slice(0, space) : room).trimEnd()}…`;
  return {
    initial: cut,
    hint: `What you typed has ${trimmed.length} characters; this field holds ${maxLength}, so it was cut. Check the end.`,
  };
}
