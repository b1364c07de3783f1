import { formatDuration } from '../../core/duration';
import { actions, button, context, header, message, section, fields, type Block, type Message } from '../../core/message';
import { bold, time, user, type RichText, type Span } from '../../core/rich-text';
import type { Handoff, HandoffNote } from '../model';
import { NOTE_STATUSES } from '../model';

/** What the bot says about one shift change: reminders, the note itself, chases, alarms. */

export const ACTIONS = {
  write: 'handoff.write',
  confirm: 'handoff.confirm',
  ask: 'handoff.ask',
  answer: 'handoff.answer',
  swapAccept: 'handoff.swap-accept',
  swapDecline: 'handoff.swap-decline',
  deleteRotation: 'handoff.rotation-delete',
  cancelOverride: 'handoff.override-cancel',
} as const;

export const writeButton = (h: Pick<Handoff, 'id'>) => button('Write handoff', ACTIONS.write, h.id, 'primary');
export const confirmButton = (h: Pick<Handoff, 'id'>) => button('Confirm', ACTIONS.confirm, h.id, 'primary');
export const askButton = (h: Pick<Handoff, 'id'>) => button('Ask a question', ACTIONS.ask, h.id);

const who = (id: string | null): Span => (id ? user(id) : 'nobody');

export function noteReminder(args: { rotation: string; h: Handoff; zone: string; openEscalations: number; overdue: number }): Message {
  const { h, zone } = args;
  const blocks: Block[] = [
    header(`Handoff due: ${args.rotation}`),
    section([
      'Your shift ends at ',
      time(h.outgoingEnd, zone, 'time'),
      '. Write your handoff note for ',
      who(h.incomingId),
      ', who takes over ',
      time(h.incomingStart, zone),
      '.',
    ]),
  ];
  if (args.openEscalations) {
    const overdue = args.overdue ? ` (${args.overdue} overdue)` : '';
    blocks.push(
      context(
        `The form is pre-filled with your ${plural(args.openEscalations, 'open escalation')}${overdue} and today's stand-up blockers.`,
      ),
    );
  }
  blocks.push(actions(writeButton(h)));
  return message(blocks, `Your ${args.rotation} shift ends soon: write your handoff note.`);
}

export function noteChase(args: { rotation: string; h: Handoff; zone: string }): Message {
  const { h, zone } = args;
  return message(
    [
      section([
        'Your ',
        bold(args.rotation),
        ' shift ended at ',
        time(h.outgoingEnd, zone, 'time'),
        ' and there is no handoff note yet. ',
        who(h.incomingId),
        ' is waiting for it: please write it now.',
      ]),
      actions(writeButton(h)),
    ],
    `Your ${args.rotation} handoff note is overdue.`,
  );
}

export function noNoteYet(args: { rotation: string; h: Handoff; zone: string }): Message {
  const { h, zone } = args;
  return message([
    section([
      'Your ',
      bold(args.rotation),
      ' shift started at ',
      time(h.incomingStart, zone, 'time'),
      '. ',
      who(h.outgoingId),
      " hasn't written the handoff note yet; I have asked for it and will send it to you as soon as it is written.",
    ]),
  ]);
}

export function noteMissingAlarm(args: { rotation: string; h: Handoff; zone: string }): Message {
  const { h, zone } = args;
  const parts: Span[] = [
    who(h.outgoingId),
    ' went off shift at ',
    time(h.outgoingEnd, zone, 'time'),
    ' with no handoff note for ',
    who(h.incomingId),
    '.',
  ];
  if (h.chasedAt) parts.push(' I chased them at ', time(h.chasedAt, zone, 'time'), '.');
  return message(
    [header(`Handoff note missing: ${args.rotation}`), section(parts), context("You get this as the rotation's supervisor.")],
    `No ${args.rotation} handoff note from the outgoing shift.`,
  );
}

export function confirmReminder(args: { rotation: string; h: Handoff; zone: string }): Message {
  const { h, zone } = args;
  return message(
    [
      section([
        'Please confirm the ',
        bold(args.rotation),
        ' handoff from ',
        who(h.outgoingId),
        ': it reached you at ',
        time(h.postedAt && h.postedAt > h.incomingStart ? h.postedAt : h.incomingStart, zone, 'time'),
        ' and is not confirmed yet.',
      ]),
      actions(confirmButton(h), askButton(h)),
    ],
    `Please confirm the ${args.rotation} handoff.`,
  );
}

export function confirmMissingAlarm(args: { rotation: string; h: Handoff; zone: string }): Message {
  const { h, zone } = args;
  const parts: Span[] = [
    who(h.incomingId),
    " hasn't confirmed the handoff from ",
    who(h.outgoingId),
    ' (shift started ',
    time(h.incomingStart, zone, 'time'),
    ').',
  ];
  if (h.confirmRemindedAt) parts.push(' I reminded them at ', time(h.confirmRemindedAt, zone, 'time'), '.');
  return message(
    [header(`Handoff not confirmed: ${args.rotation}`), section(parts), context("You get this as the rotation's supervisor.")],
    `The ${args.rotation} handoff is not confirmed.`,
  );
}

export function statusLabel(status: HandoffNote['status']): string {
  return NOTE_STATUSES.find((s) => s.value === status)?.label ?? status;
}

/**
 * The note as the incoming person and the handoff channel see it. `buttons` for the incoming
 * person's copy until they confirm; once confirmed both copies say so.
 */
export function noteCard(args: { rotation: string; h: Handoff; note: HandoffNote; zone: string; buttons: boolean; now: Date }): Message {
  const { h, note, zone } = args;
  // Overdue as the incoming person took it over: when the note was delivered.
  const handedAt = h.postedAt ?? args.now;
  const blocks: Block[] = [
    header(`Handoff · ${args.rotation}`),
    section(['From ', who(h.outgoingId), ' to ', who(h.incomingId), ' · shift change ', time(h.incomingStart, zone)]),
    fields(
      { label: 'Status', value: statusLabel(note.status) },
      { label: 'Written', value: h.noteWrittenAt ? [time(h.noteWrittenAt, zone, 'time'), lateness(h)] : '—' },
    ),
  ];
  for (const s of note.sections) if (s.text.trim()) blocks.push(section([bold(s.label), '\n', s.text.trim()]));
  if (note.escalations.length) {
    blocks.push(
      section([
        bold('Open escalations'),
        ...note.escalations.flatMap((e) => ['\n• ', `${e.reference} ${e.title} · `, ...dueSpans(new Date(e.dueAt), handedAt, zone)]),
      ]),
    );
  }
  if (note.blockers.length) {
    blocks.push(
      section([
        bold('Stand-up blockers'),
        ...note.blockers.flatMap((b) => [
          '\n• ',
          user(b.userId),
          `: ${b.text} (${b.standupName}${b.escalationReference ? `, ${b.escalationReference}` : ''})`,
        ]),
      ]),
    );
  }
  blocks.push(context(footer(h, note, zone)));
  if (args.buttons && !h.confirmedAt) blocks.push(actions(confirmButton(h), askButton(h)));
  return message(blocks, `Handoff note for ${args.rotation}: ${statusLabel(note.status)}`);
}

/** "due …", or "overdue since …" when the due time had passed by `at`. */
export function dueSpans(dueAt: Date, at: Date, zone: string): Span[] {
  return dueAt <= at ? [bold('overdue'), ' since ', time(dueAt, zone)] : ['due ', time(dueAt, zone)];
}

function lateness(h: Handoff): string {
  if (!h.noteWrittenAt || h.noteWrittenAt <= h.outgoingEnd) return '';
  return ` (${formatDuration(h.noteWrittenAt.getTime() - h.outgoingEnd.getTime())} after the shift ended)`;
}

function footer(h: Handoff, note: HandoffNote, zone: string): RichText {
  if (h.confirmedAt) {
    const parts: Span[] = ['Confirmed by ', who(h.confirmedBy), ' at ', time(h.confirmedAt, zone, 'time'), '.'];
    const handed = (h.transfers ?? []).filter((t) => t.ok).map((t) => t.reference);
    const failed = (h.transfers ?? []).filter((t) => !t.ok);
    if (handed.length) parts.push(` Handed over: ${handed.join(', ')}.`);
    for (const f of failed) parts.push(` Not handed over: ${f.reference} (${f.error ?? 'refused'}).`);
    return parts;
  }
  if (note.transfer && note.escalations.length) {
    return [
      'Confirming hands ',
      who(h.incomingId),
      ` ${note.escalations.length === 1 ? 'this escalation' : `these ${note.escalations.length} escalations`}.`,
    ];
  }
  return ['Waiting for ', who(h.incomingId), ' to confirm.'];
}

export function confirmedReply(args: { rotation: string; h: Handoff; zone: string; transferring: readonly string[] }): RichText {
  const parts: Span[] = [
    'Handoff confirmed at ',
    time(args.h.confirmedAt ?? new Date(), args.zone, 'time'),
    '. You are on shift for ',
    bold(args.rotation),
    '.',
  ];
  if (args.transferring.length)
    parts.push(` ${joinList(args.transferring)} ${args.transferring.length === 1 ? 'is' : 'are'} being handed to you.`);
  return parts;
}

export function confirmedToOutgoing(args: { rotation: string; h: Handoff; zone: string }): Message {
  const { h } = args;
  const parts: Span[] = [
    who(h.confirmedBy),
    ' confirmed your ',
    bold(args.rotation),
    ' handoff at ',
    time(h.confirmedAt!, args.zone, 'time'),
    '.',
  ];
  const handed = (h.transfers ?? []).filter((t) => t.ok).map((t) => t.reference);
  if (handed.length) parts.push(` ${joinList(handed)} ${handed.length === 1 ? 'is' : 'are'} now theirs.`);
  return message([section(parts)]);
}

export function questionToOutgoing(args: { rotation: string; askerId: string; question: string; questionId: string }): Message {
  return message(
    [
      section([user(args.askerId), ' asks about your ', bold(args.rotation), ' handoff:\n', args.question]),
      actions(button('Answer', ACTIONS.answer, args.questionId, 'primary')),
    ],
    `A question about your ${args.rotation} handoff`,
  );
}

export function answerToAsker(args: { rotation: string; answererId: string; question: string; answer: string }): Message {
  return message([
    section([
      user(args.answererId),
      ' answered your question about the ',
      bold(args.rotation),
      ' handoff.\n',
      bold('You asked: '),
      args.question,
      '\n',
      bold('Answer: '),
      args.answer,
    ]),
  ]);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
