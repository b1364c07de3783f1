import { z } from 'zod';
import { LIMITS, SEVERITIES } from './model';

/** What people submit in the escalation forms, checked before anything is stored. */

function required(label: string, max: number) {
  return z
    .string({ error: `${label} is required.` })
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      if (s.length === 0) ctx.addIssue({ code: 'custom', message: `${label} is required.` });
      else if (s.length > max) ctx.addIssue({ code: 'custom', message: `${label} is ${s.length} characters; keep it to ${max}.` });
    });
}

function optional(label: string, max: number) {
  return z
    .union([z.string(), z.null()])
    .optional()
    .transform((s) => (s ?? '').trim() || null)
    .superRefine((s, ctx) => {
      if (s && s.length > max) ctx.addIssue({ code: 'custom', message: `${label} is ${s.length} characters; keep it to ${max}.` });
    });
}

const ISO_INSTANT = z.iso.datetime({ offset: true });
const instant = (message: string) =>
  z
    .string({ error: message })
    .refine((s) => ISO_INSTANT.safeParse(s).success, message)
    .transform((s) => new Date(s));
const optionalInstant = z
  .union([z.string(), z.null()])
  .optional()
  .transform((s, ctx) => {
    const text = (s ?? '').trim();
    if (!text) return null;
    if (!ISO_INSTANT.safeParse(text).success) {
      ctx.addIssue({ code: 'custom', message: 'Give the due time as a date and time.' });
      return z.NEVER;
    }
    return new Date(text);
  });

const person = (message: string) => z.string({ error: message }).trim().min(1, message).max(200, message);

export const raiseSchema = z.object({
  title: required('The title', LIMITS.title),
  impact: required('The impact (who or what is affected)', LIMITS.longText),
  options: optional('Options considered', LIMITS.longText),
  recommendation: optional('The recommended decision', LIMITS.longText),
  severity: z
    .enum(SEVERITIES as [string, ...string[]], { error: 'Choose a severity from SEV1 to SEV4.' })
    .optional()
    .default('SEV3'),
  owner: person('Choose an owner: the one person who drives this to a decision.'),
  due: optionalInstant,
  channel: z
    .union([z.string(), z.null()])
    .optional()
    .transform((s) => (s ?? '').trim() || null),
  policy: z
    .union([z.string(), z.null()])
    .optional()
    .transform((s) => (s ?? '').trim() || null),
});

export const updateSchema = z.object({ text: required('The update', LIMITS.longText) });
export const reassignSchema = z.object({ owner: person('Choose the new owner.'), reason: optional('The reason', LIMITS.reason) });
export const dueSchema = z.object({
  due: instant('Give the new due time as a date and time.'),
  reason: required('The reason for the new due time', LIMITS.reason),
});
export const resolveSchema = z.object({ resolution: required('The decision or resolution', LIMITS.longText) });
export const cancelSchema = z.object({ reason: required('The reason for cancelling', LIMITS.reason) });
export const reopenSchema = z.object({ reason: required('The reason for reopening', LIMITS.reason), due: optionalInstant });

/** The raise form's hidden state: where the command was typed, and a draft made on someone's behalf. */
export const raiseStateSchema = z.object({ origin: z.string().max(500).optional(), draft: z.string().max(100).optional() });
