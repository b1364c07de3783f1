import type { StoredQuestion, ZoneMode } from '../../db/tables/standup';

/** What a stand-up is: who is asked what, when, in which zone, and where the answers go. */
export type Question = StoredQuestion;
export type { ZoneMode };

/** A stand-up as stored: the settings chosen for it (its participants are kept apart), and who made it. */
export interface Standup extends Omit<StandupSettings, 'participants'> {
  readonly id: string;
  readonly workspaceId: string;
  readonly creatorId: string;
  readonly paused: boolean;
}

export interface Participant {
  readonly userId: string;
  readonly ruleZone: string;
}

/** One participant's stand-up on one of their local dates. */
export interface Session {
  readonly id: string;
  readonly standupId: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly date: string;
  readonly zone: string;
  readonly questions: readonly Question[];
  readonly promptAt: Date;
  readonly cutoffAt: Date;
  readonly promptedAt: Date | null;
  readonly promptRef: string | null;
  readonly promptError: string | null;
  readonly chatQuestion: number | null;
  readonly answers: Readonly<Record<string, string>>;
  readonly answeredAt: Date | null;
  readonly editedAt: Date | null;
  readonly late: boolean;
  readonly skippedAt: Date | null;
  readonly skipReason: string | null;
  readonly remindedAt: Date | null;
  readonly closedAt: Date | null;
  readonly abandonedAt: Date | null;
  readonly blocker: string | null;
  readonly escalationId: string | null;
  readonly escalationRef: string | null;
  readonly answerVersion: number;
  readonly replyRef: string | null;
  readonly replyVersion: number;
}

/** The settings a person chooses in the set-up form, checked. */
export interface StandupSettings {
  readonly name: string;
  readonly channel: string;
  readonly participants: readonly string[];
  readonly questions: readonly Question[];
  /** ISO weekdays, Monday 1 … Sunday 7, ascending. */
  readonly days: readonly number[];
  /** HH:MM */
  readonly time: string;
  readonly zoneMode: ZoneMode;
  readonly fixedZone: string | null;
  /** 0: no reminder. */
  readonly reminderMinutes: number;
  readonly cutoffMinutes: number;
  readonly holidays: readonly string[];
  readonly adminIds: readonly string[];
}

export const DEFAULT_QUESTIONS: readonly Question[] = [
  { id: 'q1', text: 'What did you get done since the last stand-up?', required: true, blocker: false },
  { id: 'q2', text: 'What will you do today?', required: true, blocker: false },
  { id: 'q3', text: 'Anything blocking you?', required: false, blocker: true },
];

export const LIMITS = {
  questions: 10,
  questionLength: 200,
  answerLength: 2000,
  nameLength: 80,
  participants: 200,
  holidays: 100,
  maxCutoffHours: 12,
} as const;

export const DEFAULTS = {
  days: [1, 2, 3, 4, 5],
  time: '09:30',
  reminderMinutes: 60,
  cutoffHours: 3,
} as const;

/** What a person has done with one day's stand-up, as summaries and reports count it. */
export type Outcome = 'answered' | 'late' | 'skipped' | 'missed' | 'unreachable' | 'waiting';

export function outcomeOf(session: Session, now: Date): Outcome {
  if (session.answeredAt) return session.late ? 'late' : 'answered';
  if (session.skippedAt) return 'skipped';
  if (session.promptError) return 'unreachable';
  if (session.closedAt || now >= session.cutoffAt) return 'missed';
  return 'waiting';
}

/** Required questions without an answer: a session posted at the cut-off with some is partial. */
export function unansweredRequired(session: Pick<Session, 'questions' | 'answers'>): Question[] {
  return session.questions.filter((q) => q.required && !session.answers[q.id]?.trim());
}

/** Answers given but not yet final: what the cut-off (or the end of the late window) posts. */
export function hasUnsettledAnswers(session: Session): boolean {
  return !session.answeredAt && !session.skippedAt && Object.values(session.answers).some((a) => a.trim());
}

/** Answers that mean "no blocker" are not highlighted. */
const NO_BLOCKER = /^(no|none|nope|nothing|n\/?a|-+|no blockers?|not really|all good|nothing blocking( me)?)[.!]*$/i;

export function blockerOf(questions: readonly Question[], answers: Readonly<Record<string, string>>): string | null {
  const question = questions.find((q) => q.blocker);
  const text = question ? answers[question.id]?.trim() : undefined;
  if (!text || NO_BLOCKER.test(text)) return null;
  return text;
}

export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
