import type { Logger } from 'pino';
import { UserError, errorMessage } from '../core/errors';
import { FORM_DONE, invalid, type FormOutcome, type FormValues } from '../core/form';
import { bold } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { findStandup } from '../storage/standup/standups-repository';
import { findSession, openSessionsOf, updateSession, type SessionPatch } from '../storage/standup/sessions-repository';
import { answersForm, readAnswers } from './forms/answers';
import { openForChat } from './chat-window';
import type { StandupDeps } from './deps';
import { LIMITS, blockerOf, type Session, type Standup } from './model';
import { questionMessage, settledPromptMessage, skippedMessage, thanksMessage } from './messages/prompt';
import type { Prompting } from './prompting';
import type { DayPublisher } from './publisher';
import { dateLabel } from './schedule';

const SKIP_QUESTION = /^(skip|-)$/i;
const SKIP_DAY = /^skip (today|the day|this one)[.!]?$/i;

/** Answers as they become final: first completion, or a change before the cut-off. */
function completion(session: Session, answers: Record<string, string>, now: Date): SessionPatch {
  return {
    answers,
    answered_at: now,
    late: now > session.cutoffAt,
    blocker: blockerOf(session.questions, answers),
    answer_version: session.answerVersion + 1,
    chat_question: null,
    skipped_at: null,
    skip_reason: null,
  };
}

/**
 * A participant answering: one question at a time in chat (the conversation's state is the
 * session row, so a restart or two stand-ups the same morning never confuse it), or all at once in
 * the form, which also edits answers before the cut-off; or skipping the day.
 */
export class Answering {
  constructor(
    private readonly deps: StandupDeps,
    private readonly publisher: DayPublisher,
    private readonly prompting: Prompting,
  ) {}

  /** A direct message: the answer to the current question of the oldest open stand-up, if any. */
  async chat(ctx: HandlerContext, text: string): Promise<boolean> {
    const { db, clock } = this.deps.services;
    const { workspaceId, userId } = ctx.actor;
    const now = clock.now();
    if ((await openSessionsOf(db, workspaceId, userId, openForChat(now))).length === 0) return false;
    const answer = text.trim();
    const outcome = await db.transaction().execute(async (trx) => {
      const [session] = await openSessionsOf(trx, workspaceId, userId, { ...openForChat(now), lock: true });
      if (!session) return { kind: 'gone' as const };
      if (SKIP_DAY.test(answer)) {
        await updateSession(trx, session.id, { skipped_at: now, skip_reason: 'chat', chat_question: null }, now);
        return { kind: 'skipped' as const, session, version: await this.publisher.changed(trx, session.standupId, session.date) };
      }
      const index = Math.min(session.chatQuestion ?? 0, session.questions.length - 1);
      const question = session.questions[index]!;
      const skipping = SKIP_QUESTION.test(answer);
      if (!answer || (skipping && question.required)) return { kind: 'refused' as const, session, index, reason: 'required' as const };
      if (answer.length > LIMITS.answerLength) return { kind: 'refused' as const, session, index, reason: 'long' as const };
      const answers = { ...session.answers };
      if (skipping) delete answers[question.id];
      else answers[question.id] = answer;
      if (index + 1 < session.questions.length) {
        await updateSession(trx, session.id, { answers, chat_question: index + 1 }, now);
        return { kind: 'next' as const, session, index: index + 1 };
      }
      await updateSession(trx, session.id, completion(session, answers, now), now);
      return { kind: 'done' as const, session, version: await this.publisher.changed(trx, session.standupId, session.date) };
    });
    if (outcome.kind === 'gone') return false;
    const standup = await this.standupOf(outcome.session);
    switch (outcome.kind) {
      case 'refused': {
        const why =
          outcome.reason === 'long'
            ? `That answer is ${answer.length} characters; keep it to ${LIMITS.answerLength}, or use the form.`
            : 'This question needs an answer. To skip the whole stand-up today, reply "skip today".';
        await ctx.reply(questionMessage(standup.name, outcome.session.questions, outcome.index, undefined, why));
        return true;
      }
      case 'next':
        await ctx.reply(questionMessage(standup.name, outcome.session.questions, outcome.index));
        return true;
      case 'skipped':
      case 'done':
        await this.settled(ctx, standup, outcome.session.id, outcome.version, ctx.log, false);
        return true;
    }
  }

  /** The prompt's form button: every question at once, pre-filled when editing. */
  async openAnswers(ctx: HandlerContext, sessionId: string): Promise<void> {
    const now = this.deps.services.clock.now();
    const session = await this.ownSession(ctx, sessionId);
    if (session.answeredAt && now >= session.cutoffAt) {
      throw new UserError(`The cut-off for this stand-up (${dateLabel(session.date)}) has passed, so your answers are final now.`);
    }
    const standup = await this.standupOf(session);
    const hint = await this.prompting.hintFor(session);
    await ctx.openForm(answersForm({ standupName: standup.name, session, now, ...(hint ? { hint } : {}) }));
  }

  async submitAnswers(ctx: HandlerContext, sessionId: string | undefined, values: FormValues): Promise<FormOutcome> {
    const { db, clock } = this.deps.services;
    const first = await this.ownSession(ctx, sessionId ?? '');
    const read = readAnswers(first.questions, values);
    if (!read.ok) return invalid(read.errors);
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const session = (await findSession(trx, first.id, { lock: true }))!;
      const editing = session.answeredAt !== null;
      if (editing && now >= session.cutoffAt) return { refused: true as const, session };
      const patch: SessionPatch = editing
        ? {
            answers: read.answers,
            edited_at: now,
            blocker: blockerOf(session.questions, read.answers),
            answer_version: session.answerVersion + 1,
          }
        : completion(session, read.answers, now);
      await updateSession(trx, session.id, patch, now);
      return { refused: false as const, session, editing, version: await this.publisher.changed(trx, session.standupId, session.date) };
    });
    if (result.refused) {
      throw new UserError(
        `The cut-off for this stand-up (${dateLabel(result.session.date)}) has passed, so your answers are final now; your changes were not saved.`,
      );
    }
    const standup = await this.standupOf(result.session);
    await this.settled(ctx, standup, result.session.id, result.version, ctx.log, result.editing);
    return FORM_DONE;
  }

  /** The prompt's Skip-today button. */
  async skip(ctx: HandlerContext, sessionId: string): Promise<void> {
    const { db, clock } = this.deps.services;
    const now = clock.now();
    const first = await this.ownSession(ctx, sessionId);
    const result = await db.transaction().execute(async (trx) => {
      const session = (await findSession(trx, first.id, { lock: true }))!;
      if (session.answeredAt || session.skippedAt) return { session, version: undefined };
      await updateSession(trx, session.id, { skipped_at: now, skip_reason: 'button', chat_question: null }, now);
      return { session, version: await this.publisher.changed(trx, session.standupId, session.date) };
    });
    const standup = await this.standupOf(result.session);
    if (result.version === undefined) {
      await ctx.reply(
        result.session.answeredAt
          ? ['You already answered ', bold(standup.name), ' today; there is nothing to skip.']
          : ['You already skipped ', bold(standup.name), ' today.'],
      );
      return;
    }
    await this.settled(ctx, standup, result.session.id, result.version, ctx.log, false);
  }

  /** After answers or a skip are stored: the channel, the prompt's buttons, a word to the person, the next stand-up. */
  private async settled(
    ctx: HandlerContext,
    standup: Standup,
    sessionId: string,
    version: number,
    log: Logger,
    edited: boolean,
  ): Promise<void> {
    const { db, clock, outbox } = this.deps.services;
    const now = clock.now();
    const session = (await findSession(db, sessionId))!;
    await this.publisher.publishNow(standup.id, session.date, version, log);
    if (session.promptRef) {
      // Cosmetic (the prompt loses its buttons): a failure is logged, never in the person's way.
      await outbox
        .update({ workspaceId: session.workspaceId, ref: session.promptRef, message: settledPromptMessage(standup, session, now) })
        .then((r) => (r.ok ? undefined : log.warn({ code: r.code }, 'could not update the stand-up prompt')))
        .catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'could not update the stand-up prompt'));
    }
    await ctx.reply(session.answeredAt ? thanksMessage(standup, session, now, edited) : skippedMessage(standup, session));
    await this.continueChat(ctx, now);
  }

  /** When one stand-up's questions are done, the next waiting one starts in the chat. */
  private async continueChat(ctx: HandlerContext, now: Date): Promise<void> {
    const { db } = this.deps.services;
    const [next] = await openSessionsOf(db, ctx.actor.workspaceId, ctx.actor.userId, openForChat(now));
    if (!next || next.chatQuestion !== null) return;
    await updateSession(db, next.id, { chat_question: 0 }, now);
    const standup = await this.standupOf(next);
    const hint = await this.prompting.hintFor(next);
    await ctx.reply(questionMessage(standup.name, next.questions, 0, hint, `Next: ${standup.name} (${dateLabel(next.date)}).`));
  }

  private async ownSession(ctx: HandlerContext, sessionId: string): Promise<Session> {
    const session = await findSession(this.deps.services.db, sessionId);
    if (!session || session.workspaceId !== ctx.actor.workspaceId) throw new UserError('That stand-up no longer exists.');
    if (session.userId !== ctx.actor.userId)
      throw new UserError("Those are someone else's stand-up answers; only they can give or change them.");
    return session;
  }

  private async standupOf(session: Session): Promise<Standup> {
    const standup = await findStandup(this.deps.services.db, session.standupId);
    if (!standup) throw new UserError('That stand-up was deleted.');
    return standup;
  }
}
