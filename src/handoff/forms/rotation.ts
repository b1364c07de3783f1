import { z } from 'zod';
import { formatDuration, MINUTE_MS, parseDuration } from '../../core/duration';
import type { Form, FormValues, Validated } from '../../core/form';
import { validateForm } from '../../core/form';
import { canonicalZone, isLocalDate } from '../../core/zoned-time';
import { DEFAULT_TEMPLATE, type NoteTemplateField, type RotationDraft, type RotationVersion } from '../model';
import { ALL_DAYS, describePattern, parseShifts, shortestShiftMinutes, WEEKDAY_NAMES } from '../shift-pattern';

/** The rotation form (create and edit) and what a submission must satisfy. */
export const ROTATION_FORM = 'handoff.rotation';

export interface RotationFormDefaults {
  readonly creatorId: string;
  readonly zone: string;
  readonly today: string;
  readonly channel?: string;
}

export function templateText(template: readonly NoteTemplateField[]): string {
  return template.map((t) => `${t.label}${t.required ? '*' : ''}`).join('; ');
}

/** `state` is the rotation id when editing. */
export function rotationForm(args: {
  defaults: RotationFormDefaults;
  editing?: { rotationId: string; name: string; version: RotationVersion };
}): Form {
  const { defaults, editing } = args;
  const v = editing?.version;
  return {
    formId: ROTATION_FORM,
    title: editing ? 'Edit rotation' : 'New rotation',
    submitLabel: editing ? 'Save' : 'Create',
    intro: editing
      ? 'Changes apply from the end of the shift in progress; the shift in progress and its handoff stay as they are.'
      : 'A rotation hands shifts from one person to the next, with a handoff note at each change.',
    ...(editing ? { state: editing.rotationId } : {}),
    fields: [
      {
        kind: 'text',
        id: 'name',
        label: 'Name',
        required: true,
        maxLength: 80,
        ...(editing ? { initial: editing.name } : { placeholder: 'Ops on-call' }),
      },
      {
        kind: 'users',
        id: 'members',
        label: 'Members, in the order they take shifts',
        required: true,
        ...(v ? { initial: v.members } : {}),
      },
      {
        kind: 'text',
        id: 'shifts',
        label: 'Shifts',
        required: true,
        initial: v ? describePattern(v.pattern, v.days) : '07:00-15:00, 15:00-23:00, 23:00-07:00',
        hint: '07:00-15:00, 15:00-23:00, 23:00-07:00; or one handover a day (09:00); or weekly mon 09:00',
      },
      {
        kind: 'multiselect',
        id: 'days',
        label: 'Days active',
        required: true,
        options: ALL_DAYS.map((d) => ({ value: String(d), label: WEEKDAY_NAMES[d - 1]! })),
        initial: (v?.days ?? ALL_DAYS).map(String),
      },
      {
        kind: 'text',
        id: 'zone',
        label: 'Time zone (IANA)',
        required: true,
        initial: v?.zone ?? defaults.zone,
        hint: 'e.g. Europe/Berlin; shift times are wall-clock times there',
      },
      ...(editing ? [] : [{ kind: 'date' as const, id: 'start', label: 'First day', required: false, initial: defaults.today }]),
      {
        kind: 'channel',
        id: 'channel',
        label: 'Handoff channel',
        required: true,
        ...((v?.channel ?? defaults.channel) ? { initial: v?.channel ?? defaults.channel } : {}),
      },
      {
        kind: 'text',
        id: 'lead',
        label: 'Remind the outgoing person before their shift ends',
        required: true,
        initial: formatMinutes(v?.reminderLeadMinutes ?? 30),
      },
      {
        kind: 'text',
        id: 'timeout',
        label: 'Confirmation timeout after the shift starts',
        required: true,
        initial: formatMinutes(v?.confirmTimeoutMinutes ?? 15),
      },
      {
        kind: 'user',
        id: 'supervisor',
        label: 'Supervisor (told when a handoff is missing or unconfirmed)',
        required: true,
        initial: v?.supervisorId ?? defaults.creatorId,
      },
      {
        kind: 'text',
        id: 'template',
        label: 'Note fields (separated by ;, * = required)',
        required: false,
        initial: templateText(v?.template ?? DEFAULT_TEMPLATE),
        hint: 'The status (steady / watch / unstable) is always asked',
      },
    ],
  };
}

function formatMinutes(minutes: number): string {
  return formatDuration(minutes * MINUTE_MS).replace(/\s+/g, '');
}

const text = (max: number, what: string) =>
  z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string().trim().max(max, `Keep the ${what} under ${max} characters.`));

const schema = z
  .object({
    name: text(80, 'name')
      .refine((v) => v.length > 0, 'Give the rotation a name, e.g. Ops on-call.')
      .refine((v) => !/^[@#<]/.test(v), 'Start the name with a letter or digit.'),
    members: z.preprocess(
      (v) => v ?? [],
      z
        .array(z.string())
        .min(1, 'Add at least one member, in the order they take shifts.')
        .max(100, 'A rotation can have at most 100 members.'),
    ),
    shifts: text(300, 'shifts'),
    days: z.preprocess((v) => v ?? [], z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'])).min(1, 'Choose at least one day.')),
    zone: text(64, 'zone').transform((v, ctx) => {
      const zone = canonicalZone(v);
      if (!zone) ctx.addIssue({ code: 'custom', message: 'Use an IANA time zone name, such as Europe/Berlin or America/New_York.' });
      return zone ?? z.NEVER;
    }),
    start: z.preprocess((v) => (v === '' ? null : v), z.string().refine(isLocalDate, 'Give the first day as YYYY-MM-DD.').nullish()),
    channel: z
      .string({ error: 'Choose the channel where handoff notes are posted.' })
      .min(1, 'Choose the channel where handoff notes are posted.'),
    lead: text(20, 'reminder lead'),
    timeout: text(20, 'timeout'),
    supervisor: z.string({ error: 'Choose a supervisor.' }).min(1, 'Choose a supervisor.'),
    template: text(1000, 'note fields'),
  })
  .transform((v, ctx) => {
    const fail = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      return z.NEVER;
    };
    const shifts = parseShifts(v.shifts);
    if (!shifts.ok) return fail('shifts', shifts.error);
    const days = shifts.days ?? [...new Set(v.days.map(Number))].sort((a, b) => a - b);
    const lead = parseDuration(v.lead);
    if (lead === undefined || lead < MINUTE_MS) return fail('lead', 'Give the reminder lead as a duration such as 30m or 1h.');
    const shortest = shortestShiftMinutes(shifts.pattern, days) * MINUTE_MS;
    if (lead >= shortest)
      return fail('lead', `The reminder must come during the shift: make it shorter than ${formatDuration(shortest)}, the shortest shift.`);
    const timeout = parseDuration(v.timeout);
    if (timeout === undefined || timeout < MINUTE_MS || timeout > 12 * 60 * MINUTE_MS)
      return fail('timeout', 'Give the confirmation timeout as a duration between 1m and 12h, such as 15m.');
    const template = parseTemplate(v.template);
    if (typeof template === 'string') return fail('template', template);
    return {
      name: v.name,
      members: v.members,
      pattern: shifts.pattern,
      days,
      zone: v.zone,
      startDate: v.start ?? '',
      channel: v.channel,
      reminderLeadMinutes: Math.round(lead / MINUTE_MS),
      confirmTimeoutMinutes: Math.round(timeout / MINUTE_MS),
      supervisorId: v.supervisor,
      template,
    } satisfies RotationDraft;
  });

/** The note fields from "Summary*; Open items; …", or what is wrong with them. */
export function parseTemplate(raw: string): NoteTemplateField[] | string {
  const labels = raw
    .split(/[;\n]/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (labels.length === 0) return [...DEFAULT_TEMPLATE];
  if (labels.length > 10) return 'Keep the note to at most 10 fields.';
  const fields = labels.map((l) => ({ label: l.replace(/\*+$/, '').trim(), required: l.endsWith('*') }));
  const long = fields.find((f) => f.label.length > 80 || f.label.length === 0);
  if (long) return `"${long.label}": give each field a name of 1 to 80 characters.`;
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.label.toLowerCase())) return `"${f.label}" appears twice; give each field its own name.`;
    seen.add(f.label.toLowerCase());
  }
  return fields;
}

export function readRotationForm(values: FormValues): Validated<RotationDraft> {
  return validateForm(schema, values);
}
