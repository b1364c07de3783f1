import { actions, button, context, header, message, section, type Block, type Message } from '../../core/message';
import { bold, italic, joinRich, user, type RichText, type Span } from '../../core/rich-text';
import { outcomeOf, unansweredRequired, type Outcome, type Session, type Standup } from '../model';
import { ACTION } from './prompt';
import { dateLabel, daysLabel } from '../schedule';

/** What the bot posts in a stand-up's report channel: one parent a day, each person's answers under it. */

/** Blocks a summary may spend on blockers (each takes two); the platforms cap a message near 50. */
const MAX_BLOCKERS_SHOWN = 20;

export function announcementMessage(standup: Pick<Standup, 'name' | 'days' | 'time' | 'zoneMode' | 'fixedZone'>, by: string): Message {
  const zone = standup.zoneMode === 'fixed' ? `${standup.fixedZone} time` : "each participant's own time";
  return message([
    section([bold(standup.name), ` reports here: ${daysLabel(standup.days)} at ${standup.time} ${zone}. Set up by `, user(by), '.']),
    context('Each day gets one message; the answers go in its thread and it becomes the summary at the cut-off.'),
  ]);
}

/** One person's answers, as a reply under the day's message. Edits replace it in place. */
export function answersReply(session: Session): Message {
  const missing = new Set(unansweredRequired(session).map((q) => q.id));
  const marks: string[] = [];
  if (session.late) marks.push('answered late');
  if (missing.size) marks.push('partial');
  if (session.editedAt) marks.push('edited');
  const blocks: Block[] = [section([user(session.userId), marks.length ? ` · ${marks.join(' · ')}` : ''])];
  for (const q of session.questions) {
    const answer = session.answers[q.id];
    if (missing.has(q.id)) blocks.push(section([bold(q.text), '\n', italic('no answer')]));
    if (!answer || q.blocker) continue;
    blocks.push(section([bold(q.text), '\n', answer]));
  }
  const blockerQuestion = session.questions.find((q) => q.blocker);
  if (session.blocker) blocks.push(section(['🚧 ', bold('Blocker: '), session.blocker]));
  else if (blockerQuestion && session.answers[blockerQuestion.id])
    blocks.push(section([bold(blockerQuestion.text), '\n', session.answers[blockerQuestion.id]!]));
  return message(blocks, `${session.userId}'s stand-up answers`);
}

export interface DayView {
  readonly standup: Standup;
  readonly date: string;
  readonly sessions: readonly Session[];
  /** Every cut-off of the day has passed: the message is the day's summary. */
  readonly final: boolean;
  /** Participants whose time that day is still ahead in their zone. */
  readonly later: readonly string[];
  readonly now: Date;
}

const people = (sessions: readonly Session[], note?: (s: Session) => string | undefined): Span[] =>
  joinRich(
    sessions.map((s) => {
      const extra = note?.(s);
      return extra ? [user(s.userId), ` (${extra})`] : [user(s.userId)];
    }),
    ', ',
  );

function line(label: string, sessions: readonly Session[], note?: (s: Session) => string | undefined): RichText[] {
  return sessions.length ? [[bold(`${label} (${sessions.length}):`), ' ', ...people(sessions, note)]] : [];
}

/**
 * The day's parent message: while the day is open, who answered and who is still to; at the last
 * cut-off, the summary (who answered on time or late, skipped, did not respond) with the blockers.
 */
export function dayMessage(view: DayView): Message {
  const { standup, date, sessions, final, now } = view;
  const by = (o: Outcome[]) => sessions.filter((s) => o.includes(outcomeOf(s, now)));
  const answered = by(['answered', 'late']);
  const lines: RichText[] = [
    ...line(
      'Answered',
      answered,
      (s) => [s.late ? 'late' : '', unansweredRequired(s).length ? 'partial' : ''].filter(Boolean).join(', ') || undefined,
    ),
    ...line('Skipped', by(['skipped']), (s) => (s.skipReason === 'away' ? 'out of office' : undefined)),
    ...line('Not answered yet', by(['waiting'])),
    ...line('Did not respond', by(['missed'])),
    ...line('Could not be reached', by(['unreachable'])),
    ...(view.later.length
      ? [
          [
            bold(`To be asked later (${view.later.length}):`),
            ' ',
            ...joinRich(
              view.later.map((id) => [user(id)]),
              ', ',
            ),
          ],
        ]
      : []),
  ];
  const blocks: Block[] = [header(`${standup.name} · ${dateLabel(date)}${final ? ' · summary' : ''}`)];
  blocks.push(section(lines.length ? joinRich(lines, '\n') : 'Nobody was asked.'));
  const blockers = sessions.filter((s) => s.answeredAt && s.blocker);
  if (blockers.length) {
    blocks.push(section(['🚧 ', bold(`Blockers (${blockers.length})`)]));
    for (const s of blockers.slice(0, MAX_BLOCKERS_SHOWN)) {
      const text: Span[] = [user(s.userId), ': ', s.blocker!];
      if (s.escalationRef) {
        blocks.push(section([...text, ' · ', bold(`escalated as ${s.escalationRef}`)]));
      } else {
        blocks.push(section(text), actions(button('Escalate', ACTION.escalate, s.id, 'danger')));
      }
    }
    if (blockers.length > MAX_BLOCKERS_SHOWN)
      blocks.push(context(`${blockers.length - MAX_BLOCKERS_SHOWN} more blockers are in the thread.`));
  }
  blocks.push(
    context(answered.length ? 'Answers are in the thread.' : final ? 'Nobody answered today.' : 'Answers will appear in the thread.'),
  );
  const fallback = `${standup.name} ${dateLabel(date)}: ${answered.length} of ${sessions.length} answered${final ? ' (summary)' : ''}`;
  return message(blocks, fallback);
}
