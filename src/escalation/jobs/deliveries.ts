import type { Executor } from '../../../db/schema';
import type { Message } from '../../core/message';
import { channel, user, type RichText } from '../../core/rich-text';
import { FORGOTTEN, type Delivery, type Destination, type UndeliverableProblem } from '../../delivery/outbox';
import { GiveUp, RetryLater } from '../../scheduler/job';
import { findEscalationById, markCardFailed, setCardRef } from '../../storage/escalation/escalations-repository';
import { findEvent, latestEvent } from '../../storage/escalation/events-repository';
import type { EscalationDeps } from '../deps';
import { escalationCard } from '../messages/card';
import { drawDirectMessage, followedNotice, rememberSent } from '../direct-messages';
import { noticeMessage, pageMessage, type NoticeKind, type ReminderPhase } from '../messages/notices';
import { keys } from './planner';
import { isActive, levelIndexOf, type Escalation, type FollowedMessage, type Paged } from '../model';

/**
 * Delivery jobs: each sends one thing through the outbox (once per key), after checking it still
 * applies (the escalation may have been acknowledged or resolved since it was enqueued). A refusal
 * that retrying cannot fix (a channel the bot cannot post in, a person it cannot message) is told
 * once to whoever can fix it, and the job fails; outages and rate limits are retried.
 */
function problemFor(e: Escalation, what: RichText, target: string, tell: string): UndeliverableProblem {
  // One report per broken target, not one per escalation: a policy's channel fails for all of them.
  return {
    key: `escalation:${e.workspaceId}:undeliverable:${target}`,
    workspaceId: e.workspaceId,
    tell,
    text: (err) => [
      `Steady could not deliver something about ${e.reference} (${e.title}): `,
      ...(typeof what === 'string' ? [what] : what),
      ` (${err.code.toLowerCase().replace('_', ' ')}: ${err.message}). Check that Steady is in that conversation and may write there; the escalation itself is kept, see /escalate show ${e.reference}. You are told once until a delivery there works again.`,
    ],
  };
}

/** A refusal ends the job as failed (it was reported); anything else was delivered, or was for someone forgotten. */
function delivered(result: Delivery): void {
  if (!result.ok && result.reason !== FORGOTTEN) throw new GiveUp(`undeliverable (${result.code}): ${result.reason}`);
}

const zoneOf = (deps: EscalationDeps, e: Escalation, userId: string) => deps.services.people.zoneOf(e.workspaceId, userId);

/** A direct message that follows the escalation: kept with the send, so it is redrawn after each change. */
async function followedDirect(
  deps: EscalationDeps,
  e: Escalation,
  args: { key: string; userId: string; message: FollowedMessage; drawn: Message; problem: UndeliverableProblem },
): Promise<void> {
  const renderedAt = deps.services.clock.now();
  const result = await deps.services.outbox.post({
    key: args.key,
    to: { workspaceId: e.workspaceId, userId: args.userId },
    message: args.drawn,
    problem: args.problem,
    record: (trx, ref) => rememberSent(deps, trx, e, { userId: args.userId, ref, message: args.message, renderedAt, drawn: args.drawn }),
  });
  delivered(result);
}

/** A page job's payload: one step of a policy run (or an overdue chase), to a person or a channel. */
export interface PagePayload {
  escalationId: string;
  run: number;
  step: number;
  why: 'policy' | 'overdue';
  user?: string | undefined;
  channel?: string | undefined;
}

export async function deliverPage(deps: EscalationDeps, p: PagePayload): Promise<void> {
  const e = await findEscalationById(deps.services.db, p.escalationId);
  if (!e?.policy || e.policyRun !== p.run) return;
  if (p.why === 'policy' ? e.status !== 'open' : !isActive(e.status)) return;
  const args = { level: levelIndexOf(e.policy, p.step) + 1, levels: e.policy.levels.length, why: p.why };
  const tell = e.policy.updatedBy;
  const key = keys.page(e, p.run, p.step, p.user ? { user: p.user } : { channel: p.channel! });
  if (p.user) {
    const page = { kind: 'page' as const, level: args.level, levels: args.levels, why: p.why };
    const drawn = drawDirectMessage(e, page, { zone: await zoneOf(deps, e, p.user), renderedAt: deps.services.clock.now() });
    await followedDirect(deps, e, {
      key,
      userId: p.user,
      message: page,
      drawn,
      problem: problemFor(e, ['a page to ', user(p.user)], p.user, tell),
    });
  } else if (p.channel) {
    const msg = pageMessage(e, { ...args, toChannel: true, zone: await zoneOf(deps, e, e.ownerId) });
    const to: Destination = { workspaceId: e.workspaceId, conversation: p.channel };
    delivered(
      await deps.services.outbox.post({
        key,
        to,
        message: msg,
        problem: problemFor(e, ['a page to ', channel(p.channel)], p.channel, tell),
      }),
    );
  }
}

export async function deliverReminder(
  deps: EscalationDeps,
  p: { escalationId: string; dueVersion: number; phase: ReminderPhase; n: number; paged?: Paged | undefined },
): Promise<void> {
  const e = await findEscalationById(deps.services.db, p.escalationId);
  if (!e || !isActive(e.status) || e.dueVersion !== p.dueVersion) return;
  // Late after an outage: "due soon" is no longer true, and the overdue reminder says what is.
  if (p.phase === 'before' && deps.services.clock.now() >= e.dueAt) return;
  const reminder = {
    kind: 'reminder' as const,
    phase: p.phase,
    dueAt: e.dueAt,
    ...(p.paged ? { paged: p.paged } : {}),
    ...(p.phase === 'chase' ? { n: p.n } : {}),
  };
  const drawn = drawDirectMessage(e, reminder, { zone: await zoneOf(deps, e, e.ownerId), renderedAt: deps.services.clock.now() });
  await followedDirect(deps, e, {
    key: keys.reminder(e, p.dueVersion, p.phase, p.n),
    userId: e.ownerId,
    message: reminder,
    drawn,
    problem: problemFor(e, 'a due-time reminder to its owner', e.ownerId, e.raiserId),
  });
}

export async function deliverNotice(
  deps: EscalationDeps,
  p: { escalationId: string; eventId: string; notice: NoticeKind; to: string; paged?: Paged | undefined },
): Promise<void> {
  const { db, outbox } = deps.services;
  const e = await findEscalationById(db, p.escalationId);
  const event = e && (await findEvent(db, e.id, p.eventId));
  if (!e || !event) return;
  const key = keys.notice(e, p.eventId, p.notice, p.to);
  if (p.to === 'thread') {
    // The notice waits for the card's post (`after`); a card that could not be posted has no thread.
    if (!e.cardRef) {
      if (e.cardFailed) return;
      throw new RetryLater('the card is not posted yet', 10_000);
    }
    const msg = noticeMessage('thread', e, event, await zoneOf(deps, e, e.ownerId));
    delivered(
      await outbox.post({ key, to: { workspaceId: e.workspaceId, conversation: e.conversation, threadOf: e.cardRef }, message: msg }),
    );
    return;
  }
  const msg = noticeMessage(p.notice, e, event, await zoneOf(deps, e, p.to), p.paged);
  const problem = problemFor(e, ['a message to ', user(p.to)], p.to, e.raiserId);
  const followed = followedNotice(p.notice, p.paged);
  if (followed) {
    const notice = { kind: 'notice' as const, notice: followed, eventId: event.id, ...(p.paged ? { paged: p.paged } : {}) };
    await followedDirect(deps, e, { key, userId: p.to, message: notice, drawn: msg, problem });
    return;
  }
  delivered(await outbox.post({ key, to: { workspaceId: e.workspaceId, userId: p.to }, message: msg, problem }));
}

/**
 * Posts the card the first time, and otherwise updates it in place to the current state. An update
 * older than the escalation's card version does nothing: the newer one's job renders the latest.
 */
export async function deliverCard(deps: EscalationDeps, p: { escalationId: string; version: number; post: boolean }): Promise<void> {
  const { db, clock, log, outbox } = deps.services;
  const e = await findEscalationById(db, p.escalationId);
  if (!e) return;
  const render = async (x: Escalation) =>
    escalationCard(x, { zone: await zoneOf(deps, x, x.ownerId), now: clock.now(), ...(await lastUpdate(deps, x)) });
  const problem = problemFor(e, ['its card in ', channel(e.conversation)], e.conversation, e.raiserId);
  if (p.post) {
    if (e.cardRef) return;
    const result = await outbox.post({
      key: keys.card(e),
      to: { workspaceId: e.workspaceId, conversation: e.conversation },
      message: await render(e),
      problem,
      record: (trx, ref) => cardPosted(deps, trx, e, ref),
    });
    if (!result.ok) {
      await markCardFailed(db, e.id);
      log.warn({ escalation: e.id, code: result.code }, 'the card cannot be posted; the escalation goes on without it');
    }
    delivered(result);
    return;
  }
  if (!e.cardRef || e.cardVersion > p.version) return;
  delivered(await outbox.update({ workspaceId: e.workspaceId, ref: e.cardRef, message: await render(e), problem }));
}

/** The card's reference is kept; something that changed while it was being posted is shown. */
async function cardPosted(deps: EscalationDeps, trx: Executor, e: Escalation, ref: string): Promise<void> {
  const after = await setCardRef(trx, e.id, ref);
  if (after && after.cardVersion > e.cardVersion) await deps.planner.card(trx, after, { key: `${after.cardVersion}:after-post` });
}

async function lastUpdate(deps: EscalationDeps, e: Escalation) {
  const event = await latestEvent(deps.services.db, e.id, ['updated']);
  return event ? { lastUpdate: event } : {};
}
