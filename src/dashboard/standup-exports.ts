import type { Session, Standup } from '../standup/model';
import { csv } from './csv';
import type { Period } from './filters';
import type { Reader } from './rich-html';

/** One answer as exported: a question of a posted stand-up with what the person wrote. */
export interface ExportedAnswer {
  readonly standup: string;
  readonly standupId: string;
  readonly personId: string;
  readonly personName: string;
  /** The person's local date of that stand-up. */
  readonly date: string;
  readonly questionId: string;
  readonly question: string;
  readonly answer: string;
  readonly answeredAt: string;
  readonly editedAt: string | null;
  /** Posted after the cut-off. */
  readonly late: boolean;
  /** This is the blocker question and the answer is a blocker (not "none", "no", …). */
  readonly blocker: boolean;
  /** The escalation the blocker was raised as, on its row only. */
  readonly escalation: string | null;
}

/** An answer counts when it has more than white space (the SQL count in countAnswersBetween says the same). */
const given = (text: string | undefined): text is string => text !== undefined && /\S/.test(text);

/**
 * One row per answer, in the order of the questions as that day asked them (each session keeps the
 * questions it was asked). Only posted answers (answered on time or late): what the channel shows.
 */
export function exportedAnswers(standup: Standup, sessions: readonly Session[], reader: Reader): ExportedAnswer[] {
  const rows: ExportedAnswer[] = [];
  for (const s of sessions) {
    if (!s.answeredAt || s.standupId !== standup.id) continue;
    for (const q of s.questions) {
      const answer = s.answers[q.id];
      if (!given(answer)) continue;
      const blocker = q.blocker && s.blocker !== null;
      rows.push({
        standup: standup.name,
        standupId: standup.id,
        personId: s.userId,
        personName: reader.names.get(s.userId) ?? s.userId,
        date: s.date,
        questionId: q.id,
        question: q.text,
        answer,
        answeredAt: s.answeredAt.toISOString(),
        editedAt: s.editedAt ? s.editedAt.toISOString() : null,
        late: s.late,
        blocker,
        escalation: blocker ? s.escalationRef : null,
      });
    }
  }
  return rows;
}

/** The period's dates are each person's own local stand-up dates, so it names no time zone; times are UTC. */
export function standupAnswersJson(rows: readonly ExportedAnswer[], period: Period, now: Date): string {
  return JSON.stringify({ exportedAt: now.toISOString(), period: { from: period.from, to: period.to }, answers: rows }, null, 2);
}

const yes = (b: boolean) => (b ? 'yes' : 'no');

const COLUMNS: readonly [string, (x: ExportedAnswer) => string | null][] = [
  ['standup', (x) => x.standup],
  ['person', (x) => x.personName],
  ['person_id', (x) => x.personId],
  ['date', (x) => x.date],
  ['question', (x) => x.question],
  ['answer', (x) => x.answer],
  ['answered_at', (x) => x.answeredAt],
  ['late', (x) => yes(x.late)],
  ['blocker', (x) => yes(x.blocker)],
  ['escalation', (x) => x.escalation],
  ['edited_at', (x) => x.editedAt],
];

/** RFC 4180 with the formula guard (csv.ts): an answer such as "=1+1" or "-fixed it" opens as text. */
export function standupAnswersCsv(rows: readonly ExportedAnswer[]): string {
  return csv([COLUMNS.map(([name]) => name), ...rows.map((x) => COLUMNS.map(([, read]) => read(x)))]);
}
