import { eventText } from '../escalation/messages/timeline';
import type { Escalation, StoredEvent } from '../escalation/model';
import { csv } from './csv';
import { richPlain, type Reader } from './rich-html';
import type { Period } from './filters';

/** One escalation as exported: its stored fields, names beside ids, and its whole timeline. */
export interface ExportedEscalation {
  readonly reference: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly raiserId: string;
  readonly raiserName: string;
  readonly impact: string;
  readonly options: string | null;
  readonly recommendation: string | null;
  readonly createdAt: string;
  readonly dueAt: string;
  readonly overdueAt: string | null;
  readonly firstAcknowledgedAt: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolution: string | null;
  readonly cancelledAt: string | null;
  readonly cancelledBy: string | null;
  readonly cancelReason: string | null;
  readonly source: string | null;
  readonly timeline: readonly { at: string; kind: string; actorId: string | null; text: string; data: unknown }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The timeline's sentences are the chat's own (`eventText`), with names, times in the reader's zone. */
export function exported(e: Escalation, events: readonly StoredEvent[], reader: Reader, zone: string): ExportedEscalation {
  const name = (id: string) => reader.names.get(id) ?? id;
  return {
    reference: e.reference,
    title: e.title,
    severity: e.severity,
    status: e.status,
    ownerId: e.ownerId,
    ownerName: name(e.ownerId),
    raiserId: e.raiserId,
    raiserName: name(e.raiserId),
    impact: e.impact,
    options: e.options,
    recommendation: e.recommendation,
    createdAt: e.createdAt.toISOString(),
    dueAt: e.dueAt.toISOString(),
    overdueAt: iso(e.overdueAt),
    firstAcknowledgedAt: iso(e.firstAcknowledgedAt),
    acknowledgedAt: iso(e.acknowledgedAt),
    acknowledgedBy: e.acknowledgedBy,
    resolvedAt: iso(e.resolvedAt),
    resolvedBy: e.resolvedBy,
    resolution: e.resolution,
    cancelledAt: iso(e.cancelledAt),
    cancelledBy: e.cancelledBy,
    cancelReason: e.cancelReason,
    source: e.source?.label ?? null,
    timeline: events.map((ev) => ({
      at: ev.at.toISOString(),
      kind: ev.kind,
      actorId: ev.actorId,
      text: richPlain(eventText(ev, zone), reader),
      data: ev.data,
    })),
  };
}

export function exportJson(items: readonly ExportedEscalation[], period: Period, zone: string, now: Date): string {
  return JSON.stringify({ exportedAt: now.toISOString(), period: { ...period, timeZone: zone }, escalations: items }, null, 2);
}

const COLUMNS: readonly [string, (x: ExportedEscalation) => string | null][] = [
  ['reference', (x) => x.reference],
  ['title', (x) => x.title],
  ['severity', (x) => x.severity],
  ['status', (x) => x.status],
  ['owner', (x) => x.ownerName],
  ['owner_id', (x) => x.ownerId],
  ['raised_by', (x) => x.raiserName],
  ['raised_by_id', (x) => x.raiserId],
  ['impact', (x) => x.impact],
  ['options', (x) => x.options],
  ['recommendation', (x) => x.recommendation],
  ['created_at', (x) => x.createdAt],
  ['due_at', (x) => x.dueAt],
  ['overdue_at', (x) => x.overdueAt],
  ['first_acknowledged_at', (x) => x.firstAcknowledgedAt],
  ['resolved_at', (x) => x.resolvedAt],
  ['resolution', (x) => x.resolution],
  ['cancelled_at', (x) => x.cancelledAt],
  ['cancel_reason', (x) => x.cancelReason],
  ['source', (x) => x.source],
  // One line per event ("2026-11-30T08:00:00.000Z Raised by @Alice: SEV1, …"); a line break inside
  // an event's text becomes " / " (its own column, such as resolution, keeps it as typed).
  ['timeline', (x) => x.timeline.map((t) => `${t.at} ${t.text.replace(/\s*\r?\n\s*/g, ' / ')}`).join('\n')],
];

export function exportCsv(items: readonly ExportedEscalation[]): string {
  return csv([COLUMNS.map(([name]) => name), ...items.map((x) => COLUMNS.map(([, read]) => read(x)))]);
}
