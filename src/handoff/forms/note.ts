import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FormField, Form, FormValues, Validated } from '../../core/form';
import { validateForm } from '../../core/form';
import { time, user, type Span } from '../../core/rich-text';
import { formatInZone } from '../../core/zoned-time';
import type { EscalationSummary } from '../../escalation/api';
import type { ReportedBlocker } from '../../standup/api';
import { NOTE_STATUSES, type Handoff, type HandoffNote, type NoteTemplateField } from '../model';

/**
 * The handoff note form: the status, the rotation's template fields, and what is open, pre-filled:
 * the outgoing person's open escalations and the day's unresolved stand-up blockers, each kept
 * unless unticked, and whether to hand the escalations over on confirmation.
 */
export const NOTE_FORM = 'handoff.note';
export const TEXT_LIMIT = 3000;

export interface NoteFormInput {
  readonly h: Handoff;
  readonly rotation: string;
  readonly template: readonly NoteTemplateField[];
  readonly escalations: readonly EscalationSummary[];
  readonly blockers: readonly ReportedBlocker[];
  /** The writer's zone, for due times. */
  readonly zone: string;
  /** When the form is opened: an escalation due before it is marked overdue. */
  readonly now: Date;
  /** Display names for blocker owners (option labels are plain text). */
  readonly names: ReadonlyMap<string, string>;
  /** The note already written, when editing it before it is delivered. */
  readonly previous: HandoffNote | null;
}

/** A stable id for a blocker, which has none of its own. */
export function blockerKey(b: ReportedBlocker): string {
  return `b:${createHash('sha1').update(`${b.standupId}\n${b.userId}\n${b.date}\n${b.text}`).digest('hex').slice(0, 12)}`;
}

const sectionId = (i: number) => `section${i + 1}`;

/** Option labels stay within what every platform shows whole (75 characters, the strictest adapter's limit); the tail is kept. */
const OPTION_LIMIT = 75;
function optionLabel(head: string, tail = ''): string {
  const room = OPTION_LIMIT - tail.length;
  return (head.length > room ? `${head.slice(0, room - 1)}…` : head) + tail;
}

export function noteForm(input: NoteFormInput): Form {
  const { h, previous } = input;
  const intro: Span[] = [
    'From you to ',
    h.incomingId ? user(h.incomingId) : 'the next shift',
    ', shift change ',
    time(h.incomingStart, input.zone),
    '.',
  ];
  const fields: FormField[] = [
    { kind: 'select', id: 'status', label: 'Status', required: true, options: NOTE_STATUSES, initial: previous?.status ?? 'steady' },
  ];
  input.template.forEach((t, i) => {
    const before = previous?.sections.find((s) => s.label === t.label)?.text;
    fields.push({
      kind: 'text',
      id: sectionId(i),
      label: t.label,
      required: t.required,
      multiline: true,
      maxLength: TEXT_LIMIT,
      ...(before ? { initial: before } : {}),
    });
  });
  if (input.escalations.length) {
    const kept = previous ? new Set(previous.escalations.map((e) => e.id)) : undefined;
    fields.push({
      kind: 'multiselect',
      id: 'escalations',
      label: 'Your open escalations to hand over (untick to leave one out)',
      required: false,
      options: input.escalations.map((e) => ({
        value: e.id,
        label: optionLabel(
          `${e.reference} ${e.title}`,
          ` · ${e.dueAt <= input.now ? 'overdue since' : 'due'} ${formatInZone(e.dueAt, input.zone)}`,
        ),
      })),
      initial: input.escalations.filter((e) => !kept || kept.has(e.id)).map((e) => e.id),
    });
  }
  if (input.blockers.length) {
    const kept = previous ? new Set(previous.blockers.map((b) => `${b.userId}\n${b.text}`)) : undefined;
    fields.push({
      kind: 'multiselect',
      id: 'blockers',
      label: "Today's stand-up blockers (untick to leave one out)",
      required: false,
      options: input.blockers.map((b) => ({
        value: blockerKey(b),
        label: optionLabel(`@${input.names.get(b.userId) ?? b.userId}: ${b.text}`),
      })),
      initial: input.blockers.filter((b) => !kept || kept.has(`${b.userId}\n${b.text}`)).map(blockerKey),
    });
  }
  if (input.escalations.length) {
    fields.push({
      kind: 'checkbox',
      id: 'transfer',
      label: 'Hand my open escalations to the next shift',
      required: false,
      initial: previous?.transfer ?? true,
    });
  }
  return { formId: NOTE_FORM, title: `Handoff: ${input.rotation}`.slice(0, 24), submitLabel: 'Save note', intro, fields, state: h.id };
}

const optionalText = z.preprocess(
  (v) => (v === null || v === undefined ? '' : v),
  z.string().trim().max(TEXT_LIMIT, `Keep it under ${TEXT_LIMIT} characters.`),
);

function noteSchema(template: readonly NoteTemplateField[]) {
  const shape: Record<string, z.ZodType> = {
    status: z.enum(['steady', 'watch', 'unstable'], { error: 'Choose the status: Steady, Watch or Unstable.' }),
    escalations: z.array(z.string()).nullish(),
    blockers: z.array(z.string()).nullish(),
    transfer: z.boolean().nullish(),
  };
  template.forEach((t, i) => {
    shape[sectionId(i)] = t.required
      ? optionalText.refine((v) => v.length > 0, `${t.label} is needed: a line or two is enough.`)
      : optionalText;
  });
  return z.object(shape);
}

/**
 * The note from a submission. Escalations and blockers are matched against what is open now: one
 * resolved while the form was open is left out rather than handed over.
 */
export function readNote(
  values: FormValues,
  args: { template: readonly NoteTemplateField[]; escalations: readonly EscalationSummary[]; blockers: readonly ReportedBlocker[] },
): Validated<HandoffNote> {
  const checked = validateForm(noteSchema(args.template), values);
  if (!checked.ok) return checked;
  const v = checked.value as Record<string, unknown> & {
    status: HandoffNote['status'];
    escalations?: string[] | null;
    blockers?: string[] | null;
    transfer?: boolean | null;
  };
  const keptEscalations = new Set(v.escalations ?? []);
  const keptBlockers = new Set(v.blockers ?? []);
  return {
    ok: true,
    value: {
      status: v.status,
      sections: args.template.map((t, i) => ({ label: t.label, text: String(v[sectionId(i)] ?? '') })),
      escalations: args.escalations
        .filter((e) => keptEscalations.has(e.id))
        .map((e) => ({ id: e.id, reference: e.reference, title: e.title, dueAt: e.dueAt.toISOString() })),
      blockers: args.blockers
        .filter((b) => keptBlockers.has(blockerKey(b)))
        .map((b) => ({
          userId: b.userId,
          text: b.text,
          standupName: b.standupName,
          ...(b.escalationReference ? { escalationReference: b.escalationReference } : {}),
        })),
      transfer: v.transfer ?? true,
    },
  };
}
