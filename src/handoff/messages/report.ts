import { formatDuration } from '../../core/duration';
import { context, header, message, section, type Block, type Message } from '../../core/message';
import { bold, time, user, type Span } from '../../core/rich-text';
import type { HandoffStats } from '../stats';
import type { Handoff } from '../model';
import { statusLabel } from './note';

/** History and stats, as a shift lead reads them. */

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : '—';
}

export function statsMessage(items: readonly { name: string; stats: HandoffStats }[], windowMs: number): Message {
  const blocks: Block[] = [header(`Handoff stats, last ${formatDuration(windowMs)}`)];
  for (const { name, stats: s } of items) {
    if (s.handoffs === 0) {
      blocks.push(section([bold(name), '\nNo handoffs in this period.']));
      continue;
    }
    blocks.push(
      section([
        bold(name),
        `\nHandoffs: ${s.handoffs}`,
        `\nNotes on time: ${s.notesOnTime} of ${s.handoffs} (${percent(s.notesOnTime, s.handoffs)}); late: ${s.notesLate}; missing: ${s.notesMissing}`,
        `\nConfirmation rate: ${s.confirmed} of ${s.delivered} delivered (${percent(s.confirmed, s.delivered)})`,
        `\nMedian time to confirm: ${s.medianTimeToConfirmMs === null ? '—' : formatDuration(s.medianTimeToConfirmMs)}`,
        `\nChased for a note: ${s.chased}; raised to the supervisor: ${s.raisedToSupervisor}`,
      ]),
    );
  }
  if (items.length === 0) blocks.push(section('There are no rotations yet.'));
  return message(blocks, 'Handoff stats');
}

function outcome(h: Handoff, zone: string): Span[] {
  if (h.skippedAt) return [`no handoff (${h.skipReason ?? 'skipped'})`];
  const parts: Span[] = [];
  if (!h.noteWrittenAt) parts.push('no note');
  else if (h.noteWrittenAt <= h.outgoingEnd) parts.push('note on time');
  else parts.push(`note ${formatDuration(h.noteWrittenAt.getTime() - h.outgoingEnd.getTime())} late`);
  if (h.note) parts.push(` (${statusLabel(h.note.status)})`);
  if (h.confirmedAt) parts.push(' · confirmed ', time(h.confirmedAt, zone, 'time'));
  else if (h.postedAt) parts.push(' · not confirmed');
  if (h.chasedAt) parts.push(' · chased');
  if (h.supervisorNoteAt || h.supervisorConfirmAt) parts.push(' · raised to supervisor');
  return parts;
}

export function historyMessage(args: {
  rotation: string;
  handoffs: readonly Handoff[];
  windowMs: number;
  zone: string;
  now: Date;
}): Message {
  const past = args.handoffs.filter((h) => h.incomingStart <= args.now);
  const blocks: Block[] = [header(`${args.rotation}: handoffs, last ${formatDuration(args.windowMs)}`)];
  if (past.length === 0) blocks.push(section('No shift changes in this period.'));
  for (const h of [...past].reverse()) {
    const summary = h.note?.sections
      .find((s) => s.text.trim())
      ?.text.trim()
      .split('\n')[0];
    const line: Span[] = [
      time(h.incomingStart, args.zone),
      ' · ',
      h.outgoingId ? user(h.outgoingId) : 'nobody',
      ' → ',
      h.incomingId ? user(h.incomingId) : 'nobody',
      ' · ',
      ...outcome(h, args.zone),
    ];
    if (summary) line.push(`\n${summary.length > 140 ? `${summary.slice(0, 139)}…` : summary}`);
    blocks.push(section(line));
  }
  if (past.length > 40) return message([...blocks.slice(0, 41), context(`…and ${past.length - 40} earlier ones.`)]);
  return message(blocks, `${args.rotation}: handoff history`);
}
