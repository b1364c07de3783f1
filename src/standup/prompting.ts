import type { Logger } from 'pino';
import { findParticipant, findStandup } from '../storage/standup/standups-repository';
import { touchDay } from '../storage/standup/days-repository';
import {
  datesAskedSince,
  findSession,
  lastAnswered,
  lockSessions,
  updateSession,
  type SessionPatch,
} from '../storage/standup/sessions-repository';
import type { StandupDeps } from './deps';
import { blockerOf, hasUnsettledAnswers, unansweredRequired, type Session } from './model';
import { reminderMessage, welcomeMessage } from './messages/prompt';
import { hintFrom, planQuestion } from './hints';
import { JOB, daysLabel, earliestToday, nextPromptAt, ownerOf } from './schedule';
import { LATE_CHAT_MS } from './chat-window';

/**
 * Each day, at each participant's time, after the prompt (asking.ts): the reminder, the cut-off. Every step checks
 * the day's state in the database before it sends anything, because jobs run at least once.
 */
export class Prompting {
  constructor(private readonly deps: StandupDeps) {}

  /** What the person planned last time, offered under "since last time" (the first question). */
  async hintFor(session: Session): Promise<string | undefined> {
    if (!planQuestion(session.questions)) return undefined;
    return hintFrom(session, await lastAnswered(this.deps.services.db, session.standupId, session.userId, session.date));
  }

  async remind(sessionId: string, log: Logger): Promise<void> {
    const { db, clock, outbox } = this.deps.services;
    const now = clock.now();
    const session = await findSession(db, sessionId);
    if (
      !session ||
      session.answeredAt ||
      session.skippedAt ||
      !session.promptedAt ||
      session.promptError ||
      session.abandonedAt ||
      session.remindedAt
    )
      return;
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
   * The participants' cut-offs, those due together taken together (a zone's worth of people, or
   * everyone asked by /standup now): answers given so far become final and are posted (an optional
   * question left open must not hide the required ones; a required one left open marks them
   * partial), and unanswered becomes "did not respond". All of them are closed in one transaction
   * with one publish job per day, so the day's message shows them all at once (the summary, not a
   * version per person) and is rendered and edited once a batch, not once a person. Late answers
   * may still come in chat; when that window ends, the same job runs again and posts whatever was
   * answered late.
   */
  async cutoff(sessionIds: readonly string[]): Promise<void> {
    const { db, clock, scheduler } = this.deps.services;
    await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const days = new Map<string, { standupId: string; date: string }>();
      for (const session of await lockSessions(trx, sessionIds)) {
        const owner = ownerOf(session.standupId);
        if (!session.closedAt) {
          await updateSession(
            trx,
            session.id,
            { closed_at: now, ...(hasUnsettledAnswers(session) ? settledAtCutoff(session, false, now) : {}) },
            now,
          );
          if (!hasUnsettledAnswers(session) && !session.answeredAt && !session.skippedAt && session.promptedAt) {
            const key = `${session.standupId}:${session.userId}:${session.date}`;
            const lateWindowEnds = new Date(session.cutoffAt.getTime() + LATE_CHAT_MS);
            await scheduler.enqueue(
              {
                kind: JOB.cutoff,
                payload: { sessionId: session.id },
                runAt: lateWindowEnds,
                dedupeKey: `standup-late-cutoff:${key}`,
                owner,
              },
              trx,
            );
          }
        } else if (hasUnsettledAnswers(session)) {
          await updateSession(trx, session.id, settledAtCutoff(session, true, now), now);
        } else {
          continue;
        }
        days.set(`${session.standupId}|${session.date}`, { standupId: session.standupId, date: session.date });
      }
      for (const { standupId, date } of days.values()) {
        const version = await touchDay(trx, standupId, date, now);
        await scheduler.enqueue(
          {
            kind: JOB.publish,
            payload: { standupId, date },
            runAt: now,
            dedupeKey: `standup-close:${standupId}:${date}:${version}`,
            owner: ownerOf(standupId),
          },
          trx,
        );
      }
    });
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
    const sent = await outbox.post({
      key: `standup-welcome:${standup.id}:${payload.userId}`,
      to: { workspaceId: standup.workspaceId, userId: payload.userId },
      message: msg,
    });
    // The first prompt will find the same problem and tell the stand-up's creator.
    if (!sent.ok) log.warn({ standup: standup.id, user: payload.userId, code: sent.code }, 'welcome message refused by the platform');
  }
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
