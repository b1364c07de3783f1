import { z } from 'zod';
import { addDays, fromLocal, isLocalDate } from '../core/zoned-time';
import type { EscalationQuery } from './escalation-queries';

/** One value of a query string: express gives arrays for repeated keys; the first counts, blank means none. */
const one = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().trim().optional()).transform((v) => (v === '' ? undefined : v));

const date = (name: string) =>
  one.refine((v) => v === undefined || isLocalDate(v), { error: `${name} must be a date written YYYY-MM-DD, such as 2026-11-30` });

export const STATUSES = ['active', 'open', 'acknowledged', 'resolved', 'cancelled'] as const;
export const SEVERITY_CHOICES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

/** The longest period one export covers. */
export const MAX_EXPORT_DAYS = 366;

const period = z
  .object({ from: date('"from"'), to: date('"to"') })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { error: '"from" must be on or before "to"' });

/** The escalations page's GET form. */
export const filtersSchema = z
  .object({
    status: one.refine((v) => v === undefined || (STATUSES as readonly string[]).includes(v), {
      error: `status must be one of ${STATUSES.join(', ')}`,
    }),
    severity: one.refine((v) => v === undefined || (SEVERITY_CHOICES as readonly string[]).includes(v), {
      error: `severity must be one of ${SEVERITY_CHOICES.join(', ')}`,
    }),
    owner: one.refine((v) => v === undefined || v.length <= 200, { error: 'owner is too long' }),
    from: date('"from"'),
    to: date('"to"'),
  })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { error: '"from" must be on or before "to"' });

export type Filters = z.output<typeof filtersSchema>;

/** An export's `from` and `to` (YYYY-MM-DD, the reader's days); see exportPeriod for the defaults. */
export const exportSchema = period;

export interface Period {
  readonly from: string;
  readonly to: string;
}

/**
 * The export's dates with the defaults filled in (to: today; from: `days` - 1 days before `to`,
 * 30 days in all unless told), or the sentence saying why they cannot be used.
 */
export function exportPeriod(p: { from?: string | undefined; to?: string | undefined }, today: string, days = 30): Period | string {
  const to = p.to ?? (p.from && p.from > today ? p.from : today);
  const from = p.from ?? addDays(to, -(days - 1));
  if (from > to) return '"from" must be on or before "to"';
  if (addDays(from, MAX_EXPORT_DAYS) <= to) return `an export covers at most ${MAX_EXPORT_DAYS} days: choose a shorter period`;
  return { from, to };
}

/** The first problem, as the sentence the 400 page shows. */
export function firstProblem(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'the request is not valid';
}

/** Dates are the reader's local days: from the start of `from` to the end of `to`. */
export function toQuery(
  workspaceId: string,
  f: {
    status?: string | undefined;
    severity?: string | undefined;
    owner?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
  zone: string,
): EscalationQuery {
  return {
    workspaceId,
    ...(f.status ? { status: f.status as NonNullable<EscalationQuery['status']> } : {}),
    ...(f.severity ? { severity: f.severity as NonNullable<EscalationQuery['severity']> } : {}),
    ...(f.owner ? { ownerId: f.owner } : {}),
    ...(f.from ? { from: fromLocal(f.from, '00:00', zone) } : {}),
    ...(f.to ? { before: fromLocal(addDays(f.to, 1), '00:00', zone) } : {}),
  };
}
