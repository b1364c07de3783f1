import type { Question, Session } from './model';

/** The question about today's plan: its last answer is the hint for "since last time". */
export function planQuestion(questions: readonly Question[]): Question | undefined {
  return questions.find((q) => !q.blocker && /\btoday\b/i.test(q.text));
}

/** What the person planned last time (`last`, their latest answered session), offered under the first question. */
export function hintFrom(session: Session, last: Session | undefined): string | undefined {
  const plan = planQuestion(session.questions);
  if (!plan || plan === session.questions[0] || !last) return undefined;
  const text = last.answers[last.questions.find((q) => q.text === plan.text)?.id ?? plan.id]?.trim();
  return text ? (text.length > 300 ? `${text.slice(0, 299)}…` : text) : undefined;
}
