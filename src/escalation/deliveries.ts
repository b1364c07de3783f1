import { PlatformError, errorMessage } from '../core/errors';
import { textMessage } from '../core/message';
import { channel, user, type RichText } from '../core/rich-text';
import { RetryLater } from '../scheduler/job';
import { findEscalationById, markCardFailed, setCardRef } from '../storage/escalation-repository';
import { findEvent, latestEvent } from '../storage/escalation-events-repository';
import type { EscalationDeps } from './deps';
import { escalationCard } from './messages/card';
import { drawDirectMessage, followedNotice, rememberSent } from './direct-messages';
import { noticeMessage, pageMessage, type NoticeKind, type ReminderPhase } from './messages/notices';
import { isActive, levelIndexOf, type Escalation, type Paged } from './model';

/**
 * Delivery jobs: each sends one thing, after checking it still applies (the escalation may have
 * been acknowledged or resolved since it was enqueued). A platform that is down or rate-limiting
 * makes the job retry; a permanent failure (a channel the bot cannot post in, a person it cannot
 * message) is reported once to whoever can fix it, and the job fails.
 */
async function reportingFailure<T>(deps: EscalationDeps, e: Escalation, what: RichText, target: string, tell: string, send: () => Promise<T>): Promise<T> {
  // One report per broken target, not one per escalation: a policy's channel fails for all of them.
  const key = `escalation:${e.workspaceId}:undeliverable:${target}`;
  let result: T;
  try {
    result = await send();
  } catch (err) {
    if (err instanceof PlatformError && !err.retryable) {
      await deps.services.problems.reportOnce({
        key,
        workspaceId: e.workspaceId,
        userId: tell,
        message: textMessage([
          `Steady could not deliver something about ${e.reference} (${e.title}): `,
          ...(typeof what === 'string' ? [what] : what),
          ` (${err.code.toLowerCase().replace('_', ' ')}: ${err.message}). Check that Steady is in that conversation and may write there; the escalation itself is kept, see /escalate show ${e.reference}. You are told once until a delivery there works again.`,
        ]),
      });
    }
    throw err;
  }
  await deps.services.problems.resolved(key);
  return result;
}

const zoneOf = (deps: EscalationDeps, e: Escalation, userId: string) => deps.services.people.zoneOf(e.workspaceId, userId);

export async function deliverPage(
  deps: EscalationDeps,
  p: { escalationId: string; run: number; step: number; why: 'policy' | 'overdue'; user?: string | undefined; channel?: string | undefined },
): Promise<void> {
  const e = await findEscalationById(deps.services.db, p.escalationId);
  if (!e || !e.policy || e.policyRun !== p.run) return;
  if (p.why === 'policy' ? e.status !== 'open' : !isActive(e.status)) return;
  const platform = deps.services.platforms.for(e.workspaceId);
  const args = { level: levelIndexOf(e.policy, p.step) + 1, levels: e.policy.levels.length, why: p.why };
  const tell = e.policy.updatedBy;
  if (p.user) {
    const page = { kind: 'page' as const, level: args.level, levels: args.levels, why: p.why };
    const msg = drawDirectMessage(e, page, { zone: await zoneOf(deps, e, p.user), renderedAt: deps.services.clock.now() });
    const ref = await reportingFailure(deps, e, ['a page to ', user(p.user)], p.user, tell, () => platform.postDirect(e.workspaceId, p.user!, msg));
    await rememberSent(deps, e, { userId: p.user, ref, message: page, renderedAt: deps.services.clock.now(), drawn: msg });
  } else if (p.channel) {
    const msg = pageMessage(e, { ...args, toChannel: true, zone: await zoneOf(deps, e, e.ownerId) });
    await reportingFailure(deps, e, ['a page to ', channel(p.channel)], p.channel, tell, () => platform.post(p.channel!, msg));
  }
}

export async function deliverReminder(deps: EscalationDeps, p: { escalationId: string; dueVersion: number; phase: ReminderPhase; n: number; paged?: Paged | undefined }): Promise<void> {
  const e = await findEscalationById(deps.services.db, p.escalationId);
  if (!e || !isActive(e.status) || e.dueVersion !== p.dueVersion) return;
  // Late after an outage: "due soon" is no longer true, and the overdue reminder says what is.
  if (p.phase === 'before' && deps.services.clock.now() >= e.dueAt) return;
  const now = deps.services.clock.now();
  const reminder = { kind: 'reminder' as const, phase: p.phase, dueAt: e.dueAt, ...(p.paged ? { paged: p.paged } : {}), ...(p.phase === 'chase' ? { n: p.n } : {}) };
  const msg = drawDirectMessage(e, reminder, { zone: await zoneOf(deps, e, e.ownerId), renderedAt: now });
  const ref = await reportingFailure(deps, e, 'a due-time reminder to its owner', e.ownerId, e.raiserId, () => deps.services.platforms.for(e.workspaceId).postDirect(e.workspaceId, e.ownerId, msg));
  await rememberSent(deps, e, { userId: e.ownerId, ref, message: reminder, renderedAt: now, drawn: msg });
}

export async function deliverNotice(deps: EscalationDeps, p: { escalationId: string; eventId: string; notice: NoticeKind; to: string; paged?: Paged | undefined }): Promise<void> {
  const { db, platforms } = deps.services;
  const e = await findEscalationById(db, p.escalationId);
  const event = e && (await findEvent(db, e.id, p.eventId));
  if (!e || !event) return;
  const platform = platforms.for(e.workspaceId);
  if (p.to === 'thread') {
    if (!e.cardRef) {
      if (e.cardFailed) return;
      throw new RetryLater('the card is not posted yet', 10_000);
    }
    const msg = noticeMessage('thread', e, event, await zoneOf(deps, e, e.ownerId));
    await platform.post(e.conversation, msg, { threadOf: e.cardRef });
    return;
  }
  const msg = noticeMessage(p.notice, e, event, await zoneOf(deps, e, p.to), p.paged);
  const ref = await reportingFailure(deps, e, ['a message to ', user(p.to)], p.to, e.raiserId, () => platform.postDirect(e.workspaceId, p.to, msg));
  const followed = followedNotice(p.notice, p.paged);
  if (followed) {
    const notice = { kind: 'notice' as const, notice: followed, eventId: event.id, ...(p.paged ? { paged: p.paged } : {}) };
    await rememberSent(deps, e, { userId: p.to, ref, message: notice, renderedAt: deps.services.clock.now(), drawn: msg });
  }
}

/**
 * Posts the card the first time, and otherwise updates it in place to the current state. An update
 * older than the escalation's card version does nothing: the newer one's job renders the latest.
 */
export async function deliverCard(deps: EscalationDeps, p: { escalationId: string; version: number; post: boolean }): Promise<void> {
  const { db, platforms, clock, log } = deps.services;
  const e = await findEscalationById(db, p.escalationId);
  if (!e) return;
  const platform = platforms.for(e.workspaceId);
  const render = async (x: Escalation) =>
    escalationCard(x, { zone: await zoneOf(deps, x, x.ownerId), now: clock.now(), ...(await lastUpdate(deps, x)) });
  if (p.post) {
    if (e.cardRef) return;
    let ref: string;
    try {
      ref = await reportingFailure(deps, e, ['its card in ', channel(e.conversation)], e.conversation, e.raiserId, async () => platform.post(e.conversation, await render(e)));
    } catch (err) {
      if (err instanceof PlatformError && !err.retryable) {
        await markCardFailed(db, e.id);
        log.warn({ escalation: e.id, err: errorMessage(err) }, 'the card cannot be posted; the escalation goes on without it');
      }
      throw err;
    }
    const after = await setCardRef(db, e.id, ref);
    // Something changed while the card was being posted: show it.
    if (after && after.cardVersion > e.cardVersion) await deps.planner.card(db, after, { key: `${after.cardVersion}:after-post` });
    return;
  }
  if (!e.cardRef || e.cardVersion > p.version) return;
  await platform.update(e.cardRef, await render(e));
}

async function lastUpdate(deps: EscalationDeps, e: Escalation) {
  const event = await latestEvent(deps.services.db, e.id, ['updated']);
  return event ? { lastUpdate: event } : {};
}
