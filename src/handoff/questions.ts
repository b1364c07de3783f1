import { z } from 'zod';
import { UserError } from '../core/errors';
import { FORM_DONE, invalid, validateForm, type FormOutcome, type FormValues } from '../core/form';
import { bold, user } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { answerQuestion, findQuestion, insertQuestion } from '../storage/handoff/handoffs-repository';
import type { HandoffDeps } from './deps';
import { answerToAsker, questionToOutgoing } from './messages/note';
import { loadHandoff } from './notes';

/** "Ask a question": the incoming person asks the one who wrote the note, who can answer back. */

export const ASK_FORM = 'handoff.ask';
export const ANSWER_FORM = 'handoff.answer';

const questionSchema = z.object({
  question: z.preprocess((v) => v ?? '', z.string().trim().min(1, 'Write your question.').max(2000, 'Keep it under 2000 characters.')),
});
const answerSchema = z.object({
  answer: z.preprocess((v) => v ?? '', z.string().trim().min(1, 'Write your answer.').max(2000, 'Keep it under 2000 characters.')),
});

export async function openAskForm(deps: HandoffDeps, ctx: HandlerContext, handoffId: string): Promise<void> {
  const { h, state } = await loadHandoff(deps, handoffId);
  if (h.incomingId !== ctx.actor.userId) throw new UserError('Only the person taking over can ask about this handoff.');
  if (!h.outgoingId) throw new UserError('Nobody was on the outgoing shift to ask.');
  await ctx.openForm({
    formId: ASK_FORM,
    title: 'Ask about the handoff',
    submitLabel: 'Send',
    intro: ['Your question goes to ', user(h.outgoingId), ', who wrote the ', bold(state.rotation.name), ' note.'],
    fields: [{ kind: 'text', id: 'question', label: 'Question', required: true, multiline: true, maxLength: 2000 }],
    state: h.id,
  });
}

export async function submitQuestion(deps: HandoffDeps, ctx: HandlerContext, handoffId: string, values: FormValues): Promise<FormOutcome> {
  const checked = validateForm(questionSchema, values);
  if (!checked.ok) return invalid(checked.errors);
  const { h, state } = await loadHandoff(deps, handoffId);
  if (h.incomingId !== ctx.actor.userId || !h.outgoingId) throw new UserError('Only the person taking over can ask about this handoff.');
  const { db, clock, outbox } = deps.services;
  const outgoing = h.outgoingId;
  await db.transaction().execute(async (trx) => {
    const questionId = await insertQuestion(trx, {
      handoffId,
      askerId: ctx.actor.userId,
      question: checked.value.question,
      now: clock.now(),
    });
    await outbox.enqueue(trx, {
      key: `handoff-question:${questionId}`,
      to: { workspaceId: h.workspaceId, userId: outgoing },
      message: questionToOutgoing({
        rotation: state.rotation.name,
        askerId: ctx.actor.userId,
        question: checked.value.question,
        questionId,
      }),
    });
  });
  await ctx.reply(['Sent to ', user(h.outgoingId), '. Their answer will come to you here.']);
  return FORM_DONE;
}

export async function openAnswerForm(deps: HandoffDeps, ctx: HandlerContext, questionId: string): Promise<void> {
  const question = await findQuestion(deps.services.db, questionId);
  if (!question) throw new UserError('That question no longer exists.');
  const { h } = await loadHandoff(deps, String(question.handoff_id));
  if (h.outgoingId !== ctx.actor.userId) throw new UserError('Only the person who wrote the handoff note can answer this.');
  await ctx.openForm({
    formId: ANSWER_FORM,
    title: 'Answer the question',
    submitLabel: 'Send',
    intro: [user(question.asker_id), ' asked: ', question.question],
    fields: [
      {
        kind: 'text',
        id: 'answer',
        label: 'Answer',
        required: true,
        multiline: true,
        maxLength: 2000,
        ...(question.answer ? { initial: question.answer } : {}),
      },
    ],
    state: questionId,
  });
}

export async function submitAnswer(deps: HandoffDeps, ctx: HandlerContext, questionId: string, values: FormValues): Promise<FormOutcome> {
  const checked = validateForm(answerSchema, values);
  if (!checked.ok) return invalid(checked.errors);
  const question = await findQuestion(deps.services.db, questionId);
  if (!question) throw new UserError('That question no longer exists.');
  const { h, state } = await loadHandoff(deps, String(question.handoff_id));
  if (h.outgoingId !== ctx.actor.userId) throw new UserError('Only the person who wrote the handoff note can answer this.');
  const { db, clock, outbox } = deps.services;
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await answerQuestion(trx, questionId, checked.value.answer, now);
    await outbox.enqueue(trx, {
      key: `handoff-answer:${questionId}@${now.toISOString()}`,
      to: { workspaceId: h.workspaceId, userId: question.asker_id },
      message: answerToAsker({
        rotation: state.rotation.name,
        answererId: ctx.actor.userId,
        question: question.question,
        answer: checked.value.answer,
      }),
    });
  });
  await ctx.reply(['Sent to ', user(question.asker_id), '.']);
  return FORM_DONE;
}
