import type { Logger } from 'pino';
import { bold, user } from '../core/rich-text';
import type { UndeliverableProblem } from '../delivery/outbox';
import { MINUTE_MS } from '../core/duration';
import { findParticipant, findStandup } from '../storage/standup-repository';
import { absenceOn } from '../storage/standup-absence-repository';
import { findDay, touchDay } from '../storage/standup-day-repository';
import { abandonOlderSessions, datesAskedSince, ensureSession, findSession, lastAnswered, openSessionsOf, updateSession, type SessionPatch } from '../storage/standup-session-repository';
import type { StandupDeps } from './deps';
import { blockerOf, hasUnsettledAnswers, unansweredRequired, type Question, type Session, type Standup } from './model';
import { promptMessage, reminderMessage, welcomeMessage } from './prompt-messages';
import type { DayPublisher } from './publisher';
import { putParticipantRule } from './rules';
import { JOB, cutoffMs, daysLabel, earliestToday, isStandupDay, localDate, nextPromptAt, ownerOf, promptInstant, ruleKey, zoneFor } from './schedule';
import { LATE_CHAT_MS, openForChat } from './chat-window';

/** A reminder this close to the prompt (a prompt sent late) would only nag. */
const MIN_REMINDER_GAP_MS = 10 * MINUTE_MS;

export interface PromptPayload {
  readonly standupId: string;
  readonly userId: string;
  /** When the prompt was due (the rule's occurrence, or the moment of `/standup now`). */
  readonly occurrence: string;
  /** `/standup now`: asked whatever the day, holidays included. */
  readonly manual?: boolean;
}

/**
 * Each day, at each participant's time: the prompt, the reminder, the cut-off. Every step checks
 * the day's state in the database before it sends anything, because jobs run at least once.
 */
export class Prompting {
  constructor(
    private readonly deps: StandupDeps,
    private readonly publisher: DayPublisher,
  ) {}

  async prompt(payload: PromptPayload, log: Logger): Promise<void> {
    const { db, clock, people, scheduler } = this.deps.services;
    const now = clock.now();
    const standup = await findStandup(db, payload.standupId);
    if (!standup) {
      await scheduler.removeRules({ owner: ownerOf(payload.standupId) });
      return;
    }
    const participant = await findParticipant(db, standup.id, payload.userId);
    if (!participant) {
      await scheduler.removeRules({ key: ruleKey(standup.id, payload.userId) });
      return;
    }
    let occurrence = new Date(payload.occurrence);
    const zone = zoneFor(standup, standup.zoneMode === 'fixed' ? 'UTC' : await people.zoneOf(standup.workspaceId, payload.userId));
    if (zone !== participant.ruleZone) {
      // The person set another zone since their rule was put: ask in the new zone from now on.
      await db.transaction().execute((trx) => putParticipantRule(this.deps.services, standup, payload.userId, zone, trx));
      log.info({ standup: standup.id, user: payload.userId, from: participant.ruleZone, to: zone }, 'participant moved zone; rule re-put');
      if (!payload.manual) {
        const target = promptInstant(standup, localDate(occurrence, zone), zone);
        if (target > now) return; // the re-put rule asks them then
        occurrence = target;
      }
    }
    const date = localDate(occurrence, zone);
    if (!payload.manual && (standup.paused || !isStandupDay(standup, date))) {
      log.info({ standup: standup.id, user: payload.userId, date, paused: standup.paused }, 'no stand-up for this participant today');
      return;
    }
    const cutoffAt = new Date(occurrence.getTime() + cutoffMs(standup));
    if (now >= cutoffAt) {
      log.warn({ standup: standup.id, user: payload.userId, date }, 'prompt is past its cut-off; not sent late');
      await this.nudgeDay(standup.id, date, log);
      return;
    }
    const away = await absenceOn(db, standup.workspaceId, payload.userId, date);
    const { session, created } = await db.transaction().execute(async (trx) => {
      const made = await ensureSession(
        trx,
        { standupId: standup.id, workspaceId: standup.workspaceId, userId: payload.userId, date, zone, questions: standup.questions, promptAt: occurrence, cutoffAt, ...(away ? { skippedAs: 'away' } : {}) },
        now,
      );
      if (!made.created) return { ...made, version: undefined };
      await abandonOlderSessions(trx, standup.id, payload.userId, date, now);
      const owner = ownerOf(standup.id);
      const key = `${standup.id}:${payload.userId}:${date}`;
      const remindAt = Math.max(occurrence.getTime() + standup.reminderMinutes * MINUTE_MS, now.getTime() + MIN_REMINDER_GAP_MS);
      if (!away && standup.reminderMinutes > 0 && remindAt < cutoffAt.getTime()) {
        await scheduler.enqueue({ kind: JOB.remind, payload: { sessionId: made.session.id }, runAt: new Date(remindAt), dedupeKey: `standup-remind:${key}`, owner }, trx);
      }
      await scheduler.enqueue({ kind: JOB.cutoff, payload: { sessionId: made.session.id }, runAt: cutoffAt, dedupeKey: `standup-cutoff:${key}`, owner }, trx);
      const version = away ? await this.publisher.changed(trx, standup.id, date) : undefined;
      return { ...made, version };
    });
    if (created && session.skippedAt) log.info({ standup: standup.id, user: payload.userId, date }, 'participant is out of office; not asked');
    if (session.promptedAt || session.skippedAt || session.answeredAt || session.promptError) return;
    await this.sendPrompt(standup, session, log);
  }

  private async sendPrompt(standup: Standup, session: Session, log: Logger): Promise<void> {
    const { db, clock, outbox } = this.deps.services;
    const now = clock.now();
    const others = (await openSessionsOf(db, session.workspaceId, session.userId, openForChat(now))).filter((s) => s.id !== session.id && s.promptAt <= session.promptAt);
    const busyWith = others.length ? (await findStandup(db, others[0]!.standupId))?.name : undefined;
    const hint = busyWith ? undefined : await this.hintFor(session);
    const sent = await outbox.post({
      key: `standup-prompt:${session.id}`,
      to: { workspaceId: session.workspaceId, userId: session.userId },
      message: promptMessage({ standup, session, ...(busyWith ? { busyWith } : {}), ...(hint ? { hint } : {}) }),
      problem: unreachableProblem(standup, session.userId),
      record: async (trx, ref) => {
        await updateSession(trx, session.id, { prompted_at: now, prompt_ref: ref, chat_question: busyWith ? null : 0 }, now);
        // The day's message, once posted, lists this person under "to be asked later" until redrawn.
        if ((await findDay(trx, standup.id, session.date))?.parentRef) await this.publisher.changed(trx, standup.id, session.date);
      },
    });
    if (!sent.ok) {
      log.warn({ standup: standup.id, user: session.userId, code: sent.code }, 'prompt refused by the platform');
      await db.transaction().execute(async (trx) => {
        await updateSession(trx, session.id, { prompt_error: sent.code }, now);
        await this.publisher.changed(trx, standup.id, session.date);
      });
      return;
    }
    if (!sent.earlier) log.info({ standup: standup.id, user: session.userId, date: session.date }, 'stand-up prompt sent');
  }

  /** What the person planned last time, offered under "since last time" (the first question). */
  async hintFor(session: Session): Promise<string | undefined> {
    const plan = planQuestion(session.questions);
    if (!plan || plan === session.questions[0]) return undefined;
    const last = await lastAnswered(this.deps.services.db, session.standupId, session.userId, session.date);
    const text = last?.answers[last.questions.find((q) => q.text === plan.text)?.id ?? plan.id]?.trim();
    return text ? (text.length > 300 ? `${text.slice(0, 299)}…` : text) : undefined;
  }

  async remind(sessionId: string, log: Logger): Promise<void> {
    const { db, clock, outbox } = this.deps.services;
    const now = clock.now();
    const session = await findSession(db, sessionId);
    if (!session || session.answeredAt || session.skippedAt || !session.promptedAt || session.promptError || session.abandonedAt || session.remindedAt) return;
    if (now >= session.cutoffAt) return;
    // Only optional questions left: the answers are posted at the cut-off, nothing to chase.
    if (hasUnsettledAnswers(session) && unansweredRequired(session).length === 0) return;
    const standup = await findStandup(db, session.standupId);
    if (!standup || standup.paused) return;
    const hint = await this.hintFor(session);
    const sent = await outbox.post({
      key: `standup-remind:${session.id}`,
      to: { workspaceId: session.workspaceId, userId: session.userId },
      message: reminderMessage(standup, session, hint),
      record: (trx) => updateSession(trx, session.id, { reminded_at: now }, now),
    });
    if (!sent.ok) log.warn({ standup: standup.id, user: session.userId, code: sent.code }, 'reminder refused by the platform');
    else if (!sent.earlier) log.info({ standup: standup.id, user: session.userId, date: session.date }, 'stand-up reminder sent');
  }

  /**
   * The participant's cut-off: answers given so far become final and are posted (an optional
   * question left open must not hide the required ones; a required one left open marks them
   * partial), and unanswered becomes "did not respond". Everyone whose cut-off falls at the same
   * instant (a zone's worth of people) shares one publish job, so the day's message is rendered
   * and edited once, not once per person. Late answers may still come in chat; when that window
   * ends, the same job runs again and posts whatever was answered late.
   */
  async cutoff(sessionId: string): Promise<void> {
    const { db, clock, scheduler } = this.deps.services;
    await db.transaction().execute(async (trx) => {
      const session = await findSession(trx, sessionId, { lock: true });
      if (!session) return;
      const now = clock.now();
      const owner = ownerOf(session.standupId);
      const key = `${session.standupId}:${session.userId}:${session.date}`;
      let publishKey: string;
      if (!session.closedAt) {
        await updateSession(trx, session.id, { closed_at: now, ...(hasUnsettledAnswers(session) ? settledAtCutoff(session, false, now) : {}) }, now);
        if (!hasUnsettledAnswers(session) && !session.answeredAt && !session.skippedAt && session.promptedAt) {
          const lateWindowEnds = new Date(session.cutoffAt.getTime() + LATE_CHAT_MS);
          await scheduler.enqueue({ kind: JOB.cutoff, payload: { sessionId: session.id }, runAt: lateWindowEnds, dedupeKey: `standup-late-cutoff:${key}`, owner }, trx);
        }
        publishKey = `standup-close:${session.standupId}:${session.date}:${session.cutoffAt.toISOString()}`;
      } else if (hasUnsettledAnswers(session)) {
        await updateSession(trx, session.id, settledAtCutoff(session, true, now), now);
        publishKey = `standup-late-publish:${key}`;
      } else {
        return;
      }
      await touchDay(trx, session.standupId, session.date, now);
      await scheduler.enqueue({ kind: JOB.publish, payload: { standupId: session.standupId, date: session.date }, runAt: now, dedupeKey: publishKey, owner }, trx);
    });
  }

  /** A day that already has a message is re-checked: it may be over now that nobody else is to be asked. */
  private async nudgeDay(standupId: string, date: string, log: Logger): Promise<void> {
    const { db } = this.deps.services;
    if (!(await findDay(db, standupId, date))) return;
    const version = await db.transaction().execute((trx) => this.publisher.changed(trx, standupId, date));
    await this.publisher.publishNow(standupId, date, version, log);
  }

  async welcome(payload: { standupId: string; userId: string; addedBy: string }, log: Logger): Promise<void> {
    const { db, clock, outbox } = this.deps.services;
    const standup = await findStandup(db, payload.standupId);
    const participant = standup && (await findParticipant(db, standup.id, payload.userId));
    if (!standup || !participant) return;
    const now = clock.now();
    const asked = await datesAskedSince(db, standup.id, earliestToday(now), payload.userId);
    const next = nextPromptAt(standup, participant.ruleZone, now, asked.get(payload.userId));
    const msg = welcomeMessage({ standup, addedBy: payload.addedBy, zone: participant.ruleZone, next, days: daysLabel(standup.days) });
    const sent = await outbox.post({ key: `standup-welcome:${standup.id}:${payload.userId}`, to: { workspaceId: standup.workspaceId, userId: payload.userId }, message: msg });
    // The first prompt will find the same problem and tell the stand-up's creator.
    if (!sent.ok) log.warn({ standup: standup.id, user: payload.userId, code: sent.code }, 'welcome message refused by the platform');
  }
}

/** What the stand-up's creator is told, once, when a participant cannot be messaged. */
function unreachableProblem(standup: Standup, userId: string): UndeliverableProblem {
  return {
    key: `standup:${standup.id}:unreachable:${userId}`,
    workspaceId: standup.workspaceId,
    tell: standup.creatorId,
    text: (err) => [
      'I could not send ',
      bold(standup.name),
      ' to ',
      user(userId),
      ` (${err.code === 'NOT_FOUND' ? 'the person or their direct messages cannot be found' : err.code === 'PERMISSION' ? 'I am not allowed to message them' : err.message}). `,
      `The others are asked as usual. If they have left, remove them with /standup edit ${standup.name}.`,
    ],
  };
}

/** Answers left unfinished become final as they are: on time at the cut-off, late at the end of the late window. */
function settledAtCutoff(session: Session, late: boolean, now: Date): SessionPatch {
  return {
    answered_at: late ? now : session.cutoffAt,
    late,
    blocker: blockerOf(session.questions, session.answers),
    answer_version: session.answerVersion + 1,
    chat_question: null,
  };
}

/** The question about today's plan: its last answer is the hint for "since last time". */
export function planQuestion(questions: readonly Question[]): Question | undefined {
  return questions.find((q) => !q.blocker && /\btoday\b/i.test(q.text));
}
