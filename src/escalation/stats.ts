import type { EscalationFacts } from '../storage/escalation/escalations-repository';
import type { Severity } from './api';
import { SEVERITIES, isActive } from './model';
import { repeatGroups } from './similarity';
import { DAY_MS } from '../core/duration';

/**
 * `/escalate stats`: what happened over a window ending now. Each figure counts the escalations for
 * which that thing happened inside the window: raised in it, acknowledged in it (time to
 * acknowledge, from raising to the first acknowledgement), resolved in it (time to resolve, from
 * raising to resolution; "late" when after the due time). Open and overdue are as of now.
 * Percentiles are nearest-rank.
 */
export interface Figures {
  readonly raised: number;
  readonly resolved: number;
  readonly open: number;
  readonly overdue: number;
  readonly resolvedLate: number;
  readonly acknowledged: number;
  readonly ackMedianMs: number | null;
  readonly ackP90Ms: number | null;
  readonly resolveMedianMs: number | null;
  readonly resolveP90Ms: number | null;
}

export interface Stats {
  readonly since: Date;
  readonly until: Date;
  readonly all: Figures;
  readonly bySeverity: Readonly<Record<Severity, Figures>>;
  /** Groups of escalations with similar titles within 30 days, at least one raised in the window. */
  readonly repeats: readonly (readonly { number: number; title: string }[])[];
}

export const REPEAT_WINDOW_MS = 30 * DAY_MS;

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function figures(facts: readonly EscalationFacts[], since: Date, until: Date): Figures {
  const inWindow = (d: Date | null) => d !== null && d >= since && d <= until;
  const raised = facts.filter((f) => inWindow(f.createdAt));
  const acked = facts.filter((f) => inWindow(f.firstAcknowledgedAt));
  const resolved = facts.filter((f) => f.status === 'resolved' && inWindow(f.resolvedAt));
  const active = facts.filter((f) => isActive(f.status));
  const ackTimes = acked.map((f) => f.firstAcknowledgedAt!.getTime() - f.createdAt.getTime());
  const resolveTimes = resolved.map((f) => f.resolvedAt!.getTime() - f.createdAt.getTime());
  return {
    raised: raised.length,
    resolved: resolved.length,
    open: active.length,
    overdue: active.filter((f) => f.dueAt < until).length,
    resolvedLate: resolved.filter((f) => f.resolvedAt! > f.dueAt).length,
    acknowledged: acked.length,
    ackMedianMs: percentile(ackTimes, 50),
    ackP90Ms: percentile(ackTimes, 90),
    resolveMedianMs: percentile(resolveTimes, 50),
    resolveP90Ms: percentile(resolveTimes, 90),
  };
}

export function computeStats(facts: readonly EscalationFacts[], since: Date, until: Date): Stats {
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [
      s,
      figures(
        facts.filter((f) => f.severity === s),
        since,
        until,
      ),
    ]),
  ) as Record<Severity, Figures>;
  const repeats = repeatGroups(facts, since, REPEAT_WINDOW_MS).map((g) => g.map((f) => ({ number: f.number, title: f.title })));
  return { since, until, all: figures(facts, since, until), bySeverity, repeats };
}
