import type { Handoff, HandoffNote } from '../handoff/model';
import { statusLabel } from '../handoff/messages/note';
import { csv } from './csv';
import type { Period } from './filters';
import { noteTiming } from './handoffs-data';
import type { Reader } from './rich-html';

/** One handoff as exported: the shift change, who handed to whom, the note as written, and each step's time. */
export interface ExportedHandoff {
  readonly rotation: string;
  readonly outgoingShiftStart: string;
  readonly outgoingShiftEnd: string;
  readonly incomingShiftStart: string;
  readonly incomingShiftEnd: string;
  readonly outgoingId: string | null;
  readonly outgoingName: string | null;
  readonly incomingId: string | null;
  readonly incomingName: string | null;
  readonly noteTiming: 'on time' | 'late' | 'missing';
  /** The note's sections, open escalations and blockers as one text; null with no note. */
  readonly noteText: string | null;
  /** The note as stored (status, sections, escalations, blockers), for JSON. */
  readonly note: HandoffNote | null;
  readonly writtenAt: string | null;
  readonly writtenBy: string | null;
  readonly deliveredAt: string | null;
  readonly confirmedAt: string | null;
  readonly confirmedBy: string | null;
  readonly chasedAt: string | null;
  /** When the supervisor was told of a missing note. */
  readonly raisedNoNoteAt: string | null;
  /** When the supervisor was told the handoff was not confirmed. */
  readonly raisedNotConfirmedAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The note as a person reads it: its status, each filled-in section under its label, then what it carried. */
export function noteText(note: HandoffNote, reader: Reader): string {
  const lines = [`Status: ${statusLabel(note.status)}`];
  for (const s of note.sections) if (s.text.trim()) lines.push(`${s.label}: ${s.text.trim()}`);
  for (const e of note.escalations) lines.push(`Open escalation: ${e.reference} ${e.title} (due ${e.dueAt})`);
  for (const b of note.blockers)
    lines.push(
      `Stand-up blocker: ${reader.names.get(b.userId) ?? b.userId}: ${b.text} (${b.standupName}${b.escalationReference ? `, ${b.escalationReference}` : ''})`,
    );
  return lines.join('\n');
}

export function exportedHandoff(rotation: string, h: Handoff, reader: Reader): ExportedHandoff {
  const name = (id: string | null) => (id ? (reader.names.get(id) ?? id) : null);
  return {
    rotation,
    outgoingShiftStart: h.outgoingStart.toISOString(),
    outgoingShiftEnd: h.outgoingEnd.toISOString(),
    incomingShiftStart: h.incomingStart.toISOString(),
    incomingShiftEnd: h.incomingEnd.toISOString(),
    outgoingId: h.outgoingId,
    outgoingName: name(h.outgoingId),
    incomingId: h.incomingId,
    incomingName: name(h.incomingId),
    noteTiming: noteTiming(h),
    noteText: h.note ? noteText(h.note, reader) : null,
    note: h.note,
    writtenAt: iso(h.noteWrittenAt),
    writtenBy: h.noteWrittenBy,
    deliveredAt: iso(h.postedAt),
    confirmedAt: iso(h.confirmedAt),
    confirmedBy: h.confirmedBy,
    chasedAt: iso(h.chasedAt),
    raisedNoNoteAt: iso(h.supervisorNoteAt),
    raisedNotConfirmedAt: iso(h.supervisorConfirmAt),
  };
}

export function handoffsJson(items: readonly ExportedHandoff[], period: Period, zone: string, now: Date): string {
  return JSON.stringify({ exportedAt: now.toISOString(), period: { ...period, timeZone: zone }, handoffs: items }, null, 2);
}

const COLUMNS: readonly [string, (x: ExportedHandoff) => string | null][] = [
  ['rotation', (x) => x.rotation],
  ['outgoing_shift_start', (x) => x.outgoingShiftStart],
  ['outgoing_shift_end', (x) => x.outgoingShiftEnd],
  ['incoming_shift_start', (x) => x.incomingShiftStart],
  ['incoming_shift_end', (x) => x.incomingShiftEnd],
  ['outgoing', (x) => x.outgoingName],
  ['outgoing_id', (x) => x.outgoingId],
  ['incoming', (x) => x.incomingName],
  ['incoming_id', (x) => x.incomingId],
  ['note', (x) => x.noteTiming],
  ['note_text', (x) => x.noteText],
  ['written_at', (x) => x.writtenAt],
  ['delivered_at', (x) => x.deliveredAt],
  ['confirmed_at', (x) => x.confirmedAt],
  ['confirmed_by', (x) => x.confirmedBy],
  ['chased_at', (x) => x.chasedAt],
  ['raised_to_supervisor_no_note_at', (x) => x.raisedNoNoteAt],
  ['raised_to_supervisor_not_confirmed_at', (x) => x.raisedNotConfirmedAt],
];

/** One row per handoff; every cell through csv()'s formula guard. */
export function handoffsCsv(items: readonly ExportedHandoff[]): string {
  return csv([COLUMNS.map(([name]) => name), ...items.map((x) => COLUMNS.map(([, read]) => read(x)))]);
}
