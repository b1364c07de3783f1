import { prefill, type Form, type FormField } from '../../core/form';
import type { RichText } from '../../core/rich-text';
import { describeRule } from '../due-rules';
import { LIMITS, SEVERITIES, SEVERITY_LABELS, type Escalation, type EscalationSettings, type Policy } from '../model';

/** The forms of the escalation workflow. Work forms carry the escalation's id as their state. */
export const FORMS = {
  raise: 'escalation.raise',
  update: 'escalation.update',
  reassign: 'escalation.reassign',
  due: 'escalation.due',
  resolve: 'escalation.resolve',
  cancel: 'escalation.cancel',
  reopen: 'escalation.reopen',
  policy: 'escalation.policy',
} as const;

export function dueDefaultsHint(settings: EscalationSettings): string {
  return `Leave empty for the default by severity: ${SEVERITIES.map((s) => `${s} ${describeRule(settings.dueRules[s as keyof typeof settings.dueRules])}`).join(', ')}.`;
}

export interface RaiseFormArgs {
  readonly title?: string;
  /** The title was typed with the command, not suggested from elsewhere. */
  readonly titleGiven?: boolean;
  readonly impact?: string;
  readonly ownerId?: string;
  /** The zone in which the person types the due time. */
  readonly zone: string;
  readonly channel?: string;
  readonly policies: readonly Policy[];
  readonly settings: EscalationSettings;
  readonly state: string;
  readonly intro: RichText;
}

export function raiseForm(a: RaiseFormArgs): Form {
  const title = a.title ? prefill(a.title, LIMITS.title) : undefined;
  // A title too long for the field loses nothing: the whole text starts the impact, which holds more.
  const impact = a.impact ?? (title?.hint ? prefill(a.title!, LIMITS.longText).initial : undefined);
  const fields: FormField[] = [
    {
      kind: 'text',
      id: 'title',
      label: 'Title',
      required: true,
      maxLength: LIMITS.title,
      // Typed with the command, it is not asked again, unless it had to be cut: then the hint says so.
      ...(title ? { initial: title.initial, ...(a.titleGiven && !title.hint ? { given: true } : {}) } : {}),
      ...(title?.hint ? { hint: `${title.hint}${a.impact ? '' : ' The whole text is in Impact.'}` } : {}),
      placeholder: 'What needs a decision?',
    },
    {
      kind: 'text',
      id: 'impact',
      label: 'Impact',
      required: true,
      multiline: true,
      maxLength: LIMITS.longText,
      hint: 'Who or what is affected, and how badly.',
      ...(impact ? { initial: impact } : {}),
    },
    { kind: 'text', id: 'options', label: 'Options considered', required: false, multiline: true, maxLength: LIMITS.longText },
    { kind: 'text', id: 'recommendation', label: 'Recommended decision', required: false, multiline: true, maxLength: LIMITS.longText },
    {
      kind: 'select',
      id: 'severity',
      label: 'Severity',
      required: true,
      initial: 'SEV3',
      options: SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] })),
    },
    {
      kind: 'user',
      id: 'owner',
      label: 'Owner',
      required: true,
      hint: 'One person who drives it to a decision.',
      ...(a.ownerId ? { initial: a.ownerId } : {}),
    },
    { kind: 'datetime', id: 'due', label: 'Due by', required: false, zone: a.zone, hint: dueDefaultsHint(a.settings) },
    {
      kind: 'channel',
      id: 'channel',
      label: 'Post in',
      required: false,
      hint: 'Where the escalation card goes.',
      ...(a.channel ? { initial: a.channel } : {}),
    },
  ];
  if (a.policies.length > 0) {
    fields.push({
      kind: 'select',
      id: 'policy',
      label: 'Escalation policy',
      required: false,
      initial:
        a.settings.defaultPolicyId && a.policies.some((p) => p.id === a.settings.defaultPolicyId) ? a.settings.defaultPolicyId : 'none',
      options: [...a.policies.map((p) => ({ value: p.id, label: p.name })), { value: 'none', label: 'No policy' }],
      hint: 'Who is notified, level by level, until someone acknowledges.',
    });
  }
  return { formId: FORMS.raise, title: 'Raise an escalation', submitLabel: 'Raise', intro: a.intro, fields, state: a.state };
}

export function updateForm(e: Escalation): Form {
  return {
    formId: FORMS.update,
    title: `Update ${e.reference}`,
    submitLabel: 'Add update',
    intro: `${e.reference}: ${e.title}. The update goes on the timeline and under the card.`,
    state: e.id,
    fields: [{ kind: 'text', id: 'text', label: 'Update', required: true, multiline: true, maxLength: LIMITS.longText }],
  };
}

export function reassignForm(e: Escalation): Form {
  return {
    formId: FORMS.reassign,
    title: `Reassign ${e.reference}`,
    submitLabel: 'Reassign',
    intro: `${e.reference}: ${e.title}. Both the current and the new owner are told.`,
    state: e.id,
    fields: [
      { kind: 'user', id: 'owner', label: 'New owner', required: true },
      { kind: 'text', id: 'reason', label: 'Reason', required: false, maxLength: LIMITS.reason },
    ],
  };
}

export function dueForm(e: Escalation, zone: string): Form {
  return {
    formId: FORMS.due,
    title: `Change due: ${e.reference}`,
    submitLabel: 'Change due time',
    intro: `${e.reference}: ${e.title}. Reminders follow the new due time.`,
    state: e.id,
    fields: [
      { kind: 'datetime', id: 'due', label: 'New due time', required: true, zone, initial: e.dueAt },
      { kind: 'text', id: 'reason', label: 'Reason', required: true, maxLength: LIMITS.reason },
    ],
  };
}

export function resolveForm(e: Escalation): Form {
  return {
    formId: FORMS.resolve,
    title: `Resolve ${e.reference}`,
    submitLabel: 'Resolve',
    intro: `${e.reference}: ${e.title}. Record the decision taken, or how it was resolved.`,
    state: e.id,
    fields: [
      {
        kind: 'text',
        id: 'resolution',
        label: 'Decision or resolution',
        required: true,
        multiline: true,
        maxLength: LIMITS.longText,
        ...(e.recommendation ? { initial: e.recommendation } : {}),
      },
    ],
  };
}

export function cancelForm(e: Escalation): Form {
  return {
    formId: FORMS.cancel,
    title: `Cancel ${e.reference}`,
    submitLabel: 'Cancel escalation',
    intro: `${e.reference}: ${e.title}. Cancelling stops every reminder and page.`,
    state: e.id,
    fields: [{ kind: 'text', id: 'reason', label: 'Reason', required: true, maxLength: LIMITS.reason }],
  };
}

export function reopenForm(e: Escalation, zone: string, settings: EscalationSettings): Form {
  return {
    formId: FORMS.reopen,
    title: `Reopen ${e.reference}`,
    submitLabel: 'Reopen',
    intro: `${e.reference}: ${e.title}. It becomes open again and its escalation policy starts over.`,
    state: e.id,
    fields: [
      { kind: 'text', id: 'reason', label: 'Reason', required: true, maxLength: LIMITS.reason },
      { kind: 'datetime', id: 'due', label: 'New due time', required: false, zone, hint: dueDefaultsHint(settings) },
    ],
  };
}
