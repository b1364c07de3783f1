import type { FieldErrors, Form, FormValues } from '../../core/form';
import { time } from '../../core/rich-text';
import { LIMITS, type Question, type Session } from '../model';
import { dateLabel } from '../schedule';

/** The form with every question at once (the prompt's button; editing before the cut-off). */
export const ANSWERS_FORM = 'standup.answers';

export function answersForm(args: { standupName: string; session: Session; hint?: string; now: Date }): Form {
  const { session } = args;
  const editing = session.answeredAt !== null;
  return {
    formId: ANSWERS_FORM,
    title: args.standupName,
    submitLabel: editing ? 'Save changes' : 'Send',
    intro:
      args.now < session.cutoffAt
        ? [`${dateLabel(session.date)} · due by `, time(session.cutoffAt, session.zone, 'time')]
        : `${dateLabel(session.date)} · the cut-off has passed: your answers will be marked late`,
    state: session.id,
    fields: session.questions.map((q, i) => {
      const answer = session.answers[q.id];
      return {
        kind: 'text' as const,
        id: q.id,
        label: q.text,
        required: q.required,
        multiline: true,
        maxLength: LIMITS.answerLength,
        ...(answer ? { initial: answer } : {}),
        ...(i === 0 && args.hint
          ? { hint: `Last time you planned: ${args.hint}` }
          : q.blocker
            ? { hint: 'Leave it blank or write "none" if nothing blocks you' }
            : {}),
      };
    }),
  };
}

/** Each answer trimmed; a required one must be there, none may be too long. */
export function readAnswers(
  questions: readonly Question[],
  values: FormValues,
): { ok: true; answers: Record<string, string> } | { ok: false; errors: FieldErrors } {
  const answers: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const q of questions) {
    const raw = values[q.id];
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (raw !== undefined && raw !== null && typeof raw !== 'string') errors[q.id] = 'Write the answer as text.';
    else if (!text && q.required) errors[q.id] = 'This question needs an answer (or skip today from the message).';
    else if (text.length > LIMITS.answerLength)
      errors[q.id] = `Keep the answer to ${LIMITS.answerLength} characters; this one has ${text.length}.`;
    else if (text) answers[q.id] = text;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers };
}
