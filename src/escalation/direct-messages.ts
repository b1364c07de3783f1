import { createHash } from 'node:crypto';
import { PlatformError, errorMessage } from '../core/errors';
import { context, type Block, type Button, type Message } from '../core/message';
import type { MessageRef } from '../core/refs';
import type { Executor } from '../../db/schema';
import { bold, time, user, type Span } from '../core/rich-text';
import {
  forgetDirectMessage,
  listDirectMessagesBehind,
  markDirectMessageShown,
  rememberDirectMessage,
} from '../storage/escalation/direct-messages-repository';
import { findEvent } from '../storage/escalation/events-repository';
import { findEscalationById, lockEscalation } from '../storage/escalation/escalations-repository';
import { stateRefusal } from './actions';
import type { EscalationDeps } from './deps';
import { noticeMessage, pageMessage, reminderMessage } from './messages/notices';
import { ACTIONS } from './messages/parts';
import { isActive, type Escalation, type FollowedMessage, type Paged, type StoredDirectMessage, type StoredEvent } from './model';
import { permissionFor, type WorkAction } from './permissions';

/**
 * Direct messages with buttons (the owner's notice, reminders, pages) follow the escalation the way
 * its card does: each is stored when sent, and after every change of the escalation a durable job
 * draws the changed ones again with the buttons that still apply and a line saying where it stands
 * now. A resolved or cancelled escalation's messages are drawn once more and then forgotten.
 */

/** The notices that offer work buttons, so are worth following. */
export const FOLLOWED_NOTICES = ['assigned', 'due-changed', 'reopened', 'exhausted'] as const;
export type FollowedNotice = (typeof FOLLOWED_NOTICES)[number];

/** A notice that names a page carries its Acknowledge button, so is followed too. */
export function followedNotice(notice: string, paged: Paged | undefined): FollowedNotice | 'raised-for' | undefined {
  if ((FOLLOWED_NOTICES as readonly string[]).includes(notice)) return notice as FollowedNotice;
  return notice === 'raised-for' && paged ? notice : undefined;
}

interface DrawContext {
  /** The reader's zone. */
  readonly zone: string;
  /** When it was first drawn: what a reminder said about "in 2h" stays what it said. */
  readonly renderedAt: Date;
  /** The timeline event a notice is about. */
  readonly event?: StoredEvent;
}

/** The message as first sent, for the escalation as it is in `e`. */
export function drawDirectMessage(e: Escalation, m: FollowedMessage, c: DrawContext): Message {
  switch (m.kind) {
    case 'notice':
      if (!c.event) throw new Error(`the event of a ${m.notice} notice is needed to draw it`);
      return noticeMessage(m.notice, e, c.event, c.zone, m.paged);
    case 'reminder':
      // A reminder is about the due time it was sent for; the line under it says if that moved.
      return reminderMessage({ ...e, dueAt: m.dueAt }, m.phase, c.zone, c.renderedAt, { paged: m.paged, chase: m.n });
    case 'page':
      return pageMessage(e, { level: m.level, levels: m.levels, why: m.why, toChannel: false, zone: c.zone });
  }
}

const WORK: Readonly<Record<string, WorkAction>> = {
  [ACTIONS.ack]: 'acknowledge',
  [ACTIONS.update]: 'update',
  [ACTIONS.reassign]: 'reassign',
  [ACTIONS.due]: 'change-due',
  [ACTIONS.resolve]: 'resolve',
  [ACTIONS.cancel]: 'cancel',
  [ACTIONS.reopen]: 'reopen',
};

/** A button the reader could press now without being refused (View always can). */
function stillApplies(b: Button, e: Escalation, reader: string, now: Date): boolean {
  const action = WORK[b.actionId];
  if (!action) return true;
  return !stateRefusal(action, e, now, 'UTC') && permissionFor(action, e, reader, false).allowed;
}

/** Messages that were sent to the owner as the owner. */
const toTheOwner = (m: FollowedMessage): boolean =>
  m.kind === 'reminder' || (m.kind === 'notice' && m.notice !== 'exhausted' && m.notice !== 'raised-for');

/** Messages that asked the reader to acknowledge because a policy level paged them. */
const paging = (m: FollowedMessage): boolean =>
  m.kind === 'page' || ((m.kind === 'notice' || m.kind === 'reminder') && m.paged !== undefined);

/**
 * Why the message no longer asks anything of its reader, for its top line; undefined while it
 * still does. Someone who lost the escalation but was paged for it may still acknowledge it.
 */
export function noLongerLine(e: Escalation, m: FollowedMessage, reader: string): Span[] | undefined {
  if (e.status === 'resolved') return [bold('Resolved'), ' by ', user(e.resolvedBy ?? e.ownerId), ': nothing more to do here.'];
  if (e.status === 'cancelled') return [bold('Cancelled'), ' by ', user(e.cancelledBy ?? e.raiserId), ': nothing more to do here.'];
  if (toTheOwner(m) && reader !== e.ownerId) {
    const still = paging(m) && e.status === 'open' ? ' You may still acknowledge it: the escalation policy paged you.' : '';
    return [bold(`You no longer own ${e.reference}`), ': ', user(e.ownerId), ' does now.', still];
  }
  if (m.kind === 'page' && e.status === 'acknowledged') {
    const by = e.acknowledgedBy ?? e.ownerId;
    return by === reader ? [bold('Acknowledged'), ' by you.'] : [bold('No longer needed'), ': ', user(by), ' acknowledged it.'];
  }
  return undefined;
}

/** "Now: acknowledged by @dave · due …"; nothing while nothing moved. */
export function nowLine(e: Escalation, m: FollowedMessage, zone: string): Span[] | undefined {
  const parts: Span[][] = [];
  if (e.status === 'acknowledged') parts.push(['acknowledged by ', user(e.acknowledgedBy ?? e.ownerId)]);
  if (m.kind === 'reminder' && m.dueAt.getTime() !== e.dueAt.getTime()) parts.push(['due ', time(e.dueAt, zone)]);
  if (parts.length === 0) return undefined;
  return ['Now: ', ...parts.flatMap((p, i) => (i === 0 ? p : [' · ', ...p]))];
}

/**
 * The message drawn again for the escalation as it is now, as `reader` should see it. One that no
 * longer applies to them says so first and keeps only View (and Acknowledge while a page still
 * lets them); otherwise a line above the buttons says what moved, and only buttons that apply stay.
 */
export function followedMessage(e: Escalation, m: FollowedMessage, reader: string, c: DrawContext & { readonly now: Date }): Message {
  const drawn = drawDirectMessage(e, m, c);
  const gone = noLongerLine(e, m, reader);
  const line = gone ? undefined : nowLine(e, m, c.zone);
  const keep = (b: Button) =>
    stillApplies(b, e, reader, c.now) && (!gone || b.actionId === ACTIONS.view || (b.actionId === ACTIONS.ack && paging(m)));
  const blocks: Block[] = gone ? [context(gone)] : [];
  for (const block of drawn.blocks) {
    if (block.type !== 'actions') {
      blocks.push(block);
      continue;
    }
    if (line) blocks.push(context(line));
    const buttons = block.buttons.filter(keep);
    if (buttons.length) blocks.push({ type: 'actions', buttons });
  }
  if (line && !drawn.blocks.some((b) => b.type === 'actions')) blocks.push(context(line));
  return { ...drawn, blocks };
}

export function digestOf(msg: Message): string {
  return createHash('sha256').update(JSON.stringify(msg)).digest('base64url').slice(0, 22);
}

/**
 * Keeps a direct message just sent, drawn from `e`, to follow; in the transaction that records the
 * send. Under the escalation's lock: a change either commits first (and its follow-up may have run
 * without this message, so one is enqueued here) or after (and its follow-up finds this message).
 */
export async function rememberSent(
  deps: EscalationDeps,
  trx: Executor,
  e: Escalation,
  sent: {
    readonly userId: string;
    readonly ref: MessageRef;
    readonly message: FollowedMessage;
    readonly renderedAt: Date;
    readonly drawn: Message;
  },
): Promise<void> {
  if (!isActive(e.status)) return;
  const current = await lockEscalation(trx, e.id);
  if (!current) return;
  const id = await rememberDirectMessage(trx, {
    escalationId: e.id,
    userId: sent.userId,
    ref: sent.ref,
    message: sent.message,
    renderedAt: sent.renderedAt,
    cardVersion: e.cardVersion,
    digest: digestOf(sent.drawn),
  });
  if (id && current.cardVersion > e.cardVersion) await deps.planner.followDirectMessages(trx, current, `late:${id}`);
}

/**
 * Job `escalation.follow`: draws again each of the escalation's direct messages that shows an
 * older version. One that fails does not stop the others; the job is retried for those left.
 */
export async function followDirectMessages(deps: EscalationDeps, p: { escalationId: string; version: number }): Promise<void> {
  const { db, log } = deps.services;
  const e = await findEscalationById(db, p.escalationId);
  // A newer change has its own job, which draws the latest.
  if (!e || e.cardVersion > p.version) return;
  let failure: unknown;
  for (const dm of await listDirectMessagesBehind(db, e.id, e.cardVersion)) {
    try {
      await followOne(deps, e, dm);
    } catch (err) {
      log.warn(
        { escalation: e.id, directMessage: dm.id, code: err instanceof PlatformError ? err.code : undefined, err: errorMessage(err) },
        'could not update a direct message about an escalation',
      );
      failure ??= err;
    }
  }
  if (failure) throw failure;
}

async function followOne(deps: EscalationDeps, e: Escalation, dm: StoredDirectMessage): Promise<void> {
  const { db, people, outbox, clock } = deps.services;
  const event = dm.message.kind === 'notice' ? await findEvent(db, e.id, dm.message.eventId) : undefined;
  if (dm.message.kind === 'notice' && !event) return forgetDirectMessage(db, dm.id);
  const zone = await people.zoneOf(e.workspaceId, dm.userId);
  const msg = followedMessage(e, dm.message, dm.userId, { zone, renderedAt: dm.renderedAt, now: clock.now(), ...(event ? { event } : {}) });
  const digest = digestOf(msg);
  if (digest !== dm.digest) {
    const result = await outbox.update({ workspaceId: e.workspaceId, ref: dm.ref, message: msg });
    // The person deleted it (or left): nothing left to follow.
    if (!result.ok && result.code === 'NOT_FOUND') return forgetDirectMessage(db, dm.id);
    if (!result.ok) throw new PlatformError(result.code, result.reason);
  }
  if (isActive(e.status)) await markDirectMessageShown(db, dm.id, e.cardVersion, digest);
  else await forgetDirectMessage(db, dm.id);
}
