import { actions, button, context, header, message, section, textMessage, type Block, type Message } from '../../core/message';
import { bold, channel, italic, time, type Span } from '../../core/rich-text';
import type { Question, Session, Standup } from '../model';
import { dateLabel } from '../schedule';

/** What the bot says to a participant in their direct messages. */

export const ACTION = {
  answer: 'standup.answer',
  skip: 'standup.skip',
  escalate: 'standup.escalate',
  delete: 'standup.delete',
} as const;

const answerButtons = (sessionId: string, answerLabel = 'Answer in a form') =>
  actions(button(answerLabel, ACTION.answer, sessionId, 'primary'), button('Skip today', ACTION.skip, sessionId));

/** "Daily stand-up · question 2 of 3": which stand-up a question belongs to, always said. */
export function questionBlocks(standupName: string, questions: readonly Question[], index: number, hint?: string): Block[] {
  const q = questions[index]!;
  const how = q.required ? '' : ' (optional: reply "skip" to leave it blank)';
  const blocks: Block[] = [section([bold(standupName), ` · question ${index + 1} of ${questions.length}${how}\n`, q.text])];
  if (hint) blocks.push(context(['Last time you planned: ', italic(hint)]));
  return blocks;
}

export function questionMessage(standupName: string, questions: readonly Question[], index: number, hint?: string, lead?: string): Message {
  const blocks = questionBlocks(standupName, questions, index, hint);
  return message(lead ? [section(lead), ...blocks] : blocks);
}

/**
 * The day's prompt. When another stand-up's questions are still being answered in this chat, its
 * questions wait their turn (the form is always there).
 */
export function promptMessage(args: {
  readonly standup: Standup;
  readonly session: Session;
  /** The stand-up whose questions this chat is busy with, if any. */
  readonly busyWith?: string;
  readonly hint?: string;
}): Message {
  const { standup, session } = args;
  const due: Span[] = [' Answers are due by ', time(session.cutoffAt, session.zone, 'time'), '.'];
  const intro: Span[] = args.busyWith
    ? [
        'It is time for ',
        bold(standup.name),
        ' (answers go to ',
        channel(standup.channel),
        '). I will ask its questions here once you finish ',
        bold(args.busyWith),
        ', or answer them all now in the form.',
        ...due,
      ]
    : [
        'It is time for ',
        bold(standup.name),
        ' (answers go to ',
        channel(standup.channel),
        '). Reply here, one message per question, or answer them all in the form.',
        ...due,
      ];
  const blocks: Block[] = [header(`${standup.name} · ${dateLabel(session.date)}`), section(intro), answerButtons(session.id)];
  if (!args.busyWith) blocks.push(...questionBlocks(standup.name, session.questions, 0, args.hint));
  return message(blocks, `${standup.name}: time for your stand-up`);
}

export function reminderMessage(standup: Standup, session: Session, hint?: string): Message {
  const blocks: Block[] = [
    section([
      'Reminder: ',
      bold(standup.name),
      ` (${dateLabel(session.date)}) is waiting for your answers. They are due by `,
      time(session.cutoffAt, session.zone, 'time'),
      '.',
    ]),
    answerButtons(session.id),
  ];
  if (session.chatQuestion !== null)
    blocks.push(...questionBlocks(standup.name, session.questions, session.chatQuestion, session.chatQuestion === 0 ? hint : undefined));
  return message(blocks, `Reminder: ${standup.name}`);
}

/** The prompt, once answered or skipped: no stale buttons left in the chat. */
export function settledPromptMessage(standup: Standup, session: Session, now: Date): Message {
  const blocks: Block[] = [header(`${standup.name} · ${dateLabel(session.date)}`)];
  if (session.answeredAt) {
    blocks.push(section(session.late ? 'Answered after the cut-off (marked late). Thank you.' : 'Answered. Thank you.'));
    if (now < session.cutoffAt) blocks.push(actions(button('Edit answers', ACTION.answer, session.id)));
  } else {
    blocks.push(section(session.skipReason === 'away' ? 'Skipped: you are out of office.' : 'Skipped today.'));
    blocks.push(actions(button('Answer anyway', ACTION.answer, session.id)));
  }
  return message(blocks, `${standup.name}: ${session.answeredAt ? 'answered' : 'skipped'}`);
}

export function thanksMessage(standup: Standup, session: Session, now: Date, edited = false): Message {
  const where: Span[] = [
    edited ? 'Updated: your ' : 'Thanks! Your ',
    bold(standup.name),
    ' answers are in ',
    channel(standup.channel),
    '.',
  ];
  if (session.late) return textMessage([...where, ' The cut-off had passed, so they are marked late.']);
  if (now >= session.cutoffAt) return textMessage(where);
  return message([
    section([...where, ' You can change them until ', time(session.cutoffAt, session.zone, 'time'), '.']),
    actions(button('Edit answers', ACTION.answer, session.id)),
  ]);
}

export function skippedMessage(standup: Standup, session: Session): Message {
  return message([
    section(['Skipped: nobody will chase you for ', bold(standup.name), ` today (${dateLabel(session.date)}).`]),
    actions(button('Answer anyway', ACTION.answer, session.id)),
  ]);
}

export function welcomeMessage(args: { standup: Standup; addedBy: string; zone: string; next: Date | null; days: string }): Message {
  const { standup } = args;
  const when: Span[] = args.next ? [' The first is on ', time(args.next, args.zone), '.'] : [];
  return message([
    section([
      bold(standup.name),
      `: you have been added by `,
      { kind: 'user', userId: args.addedBy },
      `. I will ask you ${standup.questions.length} question${standup.questions.length === 1 ? '' : 's'} here ${args.days} at ${standup.time} `,
      standup.zoneMode === 'fixed' ? `${args.zone} time` : `your time (${args.zone})`,
      '; answers go to ',
      channel(standup.channel),
      '.',
      ...when,
    ]),
    context(
      standup.zoneMode === 'fixed'
        ? `Away? /standup skip until YYYY-MM-DD. Not for you? /standup leave ${standup.name}`
        : `Not in ${args.zone}? Set your zone with /steady tz <Area/City>. Away? /standup skip until YYYY-MM-DD. Not for you? /standup leave ${standup.name}`,
    ),
  ]);
}
