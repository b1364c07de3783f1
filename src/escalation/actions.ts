import type { Executor } from '../../db/schema';
import type { Actor } from '../core/refs';
import { time, user, type Span } from '../core/rich-text';
import { appendEvent } from '../storage/escalation/events-repository';
import { findEscalation, lockEscalation, updateEscalation } from '../storage/escalation/escalations-repository';
import type { EscalationDeps } from './deps';
import { dueFromRule } from './due-rules';
import { planPolicyStart, startPolicy } from './engine';
import { REOPEN_WINDOW_MS, REOPEN_WINDOW_WORDS, isActive, mayStillReopen, type Escalation } from './model';
import { ACTION_VERBS, permissionFor, type WorkAction } from './permissions';
import { UserError } from '../core/errors';
import { loadSettings } from './settings';

/**
 * Working an escalation: acknowledge, add an update, reassign, change the due time, resolve,
 * cancel, reopen. Each change happens under the escalation's row lock in one transaction that also
 * records it on the timeline, enqueues who to tell and the card update, and cancels what it makes
 * moot (acknowledging stops the policy; resolving or cancelling stops every page and reminder).
 * Anyone who may not, or an escalation in the wrong state, gets a refusal and nothing changes.
 */
type Apply = (trx: Executor, e: Escalation, now: Date) => Promise<Escalation>;

/** Why the escalation's state does not allow the action, or undefined when it does. */
export function stateRefusal(action: WorkAction | 'transfer', e: Escalation, now: Date, zone: string): Span[] | undefined {
  if (action === 'reopen') {
    if (isActive(e.status)) return [`${e.reference} is still ${e.status}; there is nothing to reopen.`];
    if (e.status === 'cancelled')
      return [
        `${e.reference} was cancelled, and only resolved escalations can be reopened. Raise a new escalation if the problem is back.`,
      ];
    if (!mayStillReopen(e, now)) {
      return [
        `${e.reference} was resolved on `,
        time(e.resolvedAt ?? now, zone),
        `, more than ${REOPEN_WINDOW_WORDS} ago, so it can no longer be reopened. Raise a new escalation instead.`,
      ];
    }
    return undefined;
  }
  if (e.status === 'cancelled')
    return [
      `${e.reference} was cancelled by `,
      user(e.cancelledBy ?? e.raiserId),
      ', so nothing more can be done with it. Raise a new escalation if the problem is back.',
    ];
  if (e.status === 'resolved')
    return [
      `${e.reference} is already resolved (by `,
      user(e.resolvedBy ?? e.ownerId),
      `). Reopen it first if it needs more work; that is possible within ${REOPEN_WINDOW_WORDS} of resolving.`,
    ];
  if (action === 'acknowledge' && e.status === 'acknowledged')
    return [`${e.reference} is already acknowledged by `, user(e.acknowledgedBy ?? e.ownerId), '.'];
  return undefined;
}

export class EscalationActions {
  constructor(private readonly deps: EscalationDeps) {}

  private async change(actor: Actor, id: string, action: WorkAction | 'transfer', apply: Apply): Promise<Escalation> {
    const { db, clock, admins, people } = this.deps.services;
    // Asked before the transaction: PGlite is one connection, and the platform may be asked.
    const [isAdmin, zone] = await Promise.all([admins.isAdmin(actor), people.zoneOf(actor.workspaceId, actor.userId)]);
    const now = clock.now();
    const after = await db.transaction().execute(async (trx) => {
      const e = await lockEscalation(trx, id);
      if (!e || e.workspaceId !== actor.workspaceId)
        throw new UserError('That escalation does not exist in this workspace. /escalate list shows the open ones.');
      const refusal = stateRefusal(action, e, now, zone);
      if (refusal) throw new UserError([...refusal, ' Nothing was changed.']);
      if (action !== 'transfer') {
        const permission = permissionFor(action, e, actor.userId, isAdmin);
        if (!permission.allowed)
          throw new UserError(['Only ', ...permission.who, ` can ${ACTION_VERBS[action]} ${e.reference}. Nothing was changed.`]);
      }
      const updated = await apply(trx, e, now);
      await this.deps.planner.card(trx, updated);
      return updated;
    });
    return after;
  }

  acknowledge(actor: Actor, id: string): Promise<Escalation> {
    const { planner } = this.deps;
    return this.change(actor, id, 'acknowledge', async (trx, e, now) => {
      const updated = await updateEscalation(
        trx,
        e.id,
        { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actor.userId, firstAcknowledgedAt: e.firstAcknowledgedAt ?? now },
        now,
      );
      const eventId = await appendEvent(trx, e.id, { kind: 'acknowledged', data: {} }, actor.userId, now);
      await planner.stopChain(trx, updated);
      await planner.notify(trx, updated, eventId, 'thread', 'thread');
      await planner.notifyPeople(trx, updated, eventId, 'acknowledged', [e.ownerId], actor.userId);
      return updated;
    });
  }

  addUpdate(actor: Actor, id: string, text: string): Promise<Escalation> {
    const { planner } = this.deps;
    return this.change(actor, id, 'update', async (trx, e, now) => {
      const updated = await updateEscalation(trx, e.id, {}, now);
      const eventId = await appendEvent(trx, e.id, { kind: 'updated', data: { text } }, actor.userId, now);
      await planner.notify(trx, updated, eventId, 'thread', 'thread');
      return updated;
    });
  }

  /** `to` must already be checked to be a person of the workspace. */
  reassign(actor: Actor, id: string, to: string, reason: string | null, via?: 'handoff'): Promise<Escalation> {
    const { planner } = this.deps;
    return this.change(actor, id, via ? 'transfer' : 'reassign', async (trx, e, now) => {
      if (e.ownerId === to) throw new UserError([user(to), ` already owns ${e.reference}. Nothing was changed.`]);
      const updated = await updateEscalation(trx, e.id, { ownerId: to }, now);
      const data = { from: e.ownerId, to, ...(reason ? { reason } : {}), ...(via ? { via } : {}) };
      const eventId = await appendEvent(trx, e.id, { kind: 'reassigned', data }, actor.userId, now);
      await planner.notify(trx, updated, eventId, 'thread', 'thread');
      const except = via ? null : actor.userId;
      await planner.notifyPeople(trx, updated, eventId, 'assigned', [to], except);
      await planner.notifyPeople(trx, updated, eventId, 'unassigned', [e.ownerId], except);
      return updated;
    });
  }

  /** `dueAt` must already be checked to be in the future. */
  changeDue(actor: Actor, id: string, dueAt: Date, reason: string): Promise<Escalation> {
    const { planner } = this.deps;
    return this.change(actor, id, 'change-due', async (trx, e, now) => {
      const updated = await updateEscalation(
        trx,
        e.id,
        { dueAt, dueSetAt: now, dueVersion: e.dueVersion + 1, remindedVersion: null, overdueAt: null, chaseCount: 0 },
        now,
      );
      await planner.stopDueTimes(trx, updated);
      await planner.dueTimes(trx, updated);
      const eventId = await appendEvent(
        trx,
        e.id,
        { kind: 'due-changed', data: { from: e.dueAt.toISOString(), to: dueAt.toISOString(), reason } },
        actor.userId,
        now,
      );
      await planner.notify(trx, updated, eventId, 'thread', 'thread');
      await planner.notifyPeople(trx, updated, eventId, 'due-changed', [updated.ownerId], actor.userId);
      return updated;
    });
  }

  resolve(actor: Actor, id: string, resolution: string): Promise<Escalation> {
    const { planner } = this.deps;
    return this.change(actor, id, 'resolve', async (trx, e, now) => {
      const updated = await updateEscalation(trx, e.id, { status: 'resolved', resolvedAt: now, resolvedBy: actor.userId, resolution }, now);
      await planner.stopEverything(trx, updated);
      const eventId = await appendEvent(trx, e.id, { kind: 'resolved', data: { resolution, late: now > e.dueAt } }, actor.userId, now);
      await planner.notify(trx, updated, eventId, 'thread', 'thread');
      await planner.notifyPeople(trx, updated, eventId, 'resolved', [updated.ownerId, updated.raiserId], actor.userId);
      // The Reopen button goes when the window closes.
      await planner.card(trx, updated, {
        at: new Date(now.getTime() + REOPEN_WINDOW_MS + 60_000),
        key: `${updated.cardVersion}:reopen-window`,
      });
      return updated;
    });
  }

  cancel(actor: Actor, id: string, reason: string): Promise<Escalation> {
    const { planner } = this.deps;
    return this.change(actor, id, 'cancel', async (trx, e, now) => {
      const updated = await updateEscalation(
        trx,
        e.id,
        { status: 'cancelled', cancelledAt: now, cancelledBy: actor.userId, cancelReason: reason },
        now,
      );
      await planner.stopEverything(trx, updated);
      const eventId = await appendEvent(trx, e.id, { kind: 'cancelled', data: { reason } }, actor.userId, now);
      await planner.notify(trx, updated, eventId, 'thread', 'thread');
      await planner.notifyPeople(trx, updated, eventId, 'cancelled', [updated.ownerId, updated.raiserId], actor.userId);
      return updated;
    });
  }

  /** Open again, acknowledged by nobody, with a new due time (default by severity) and the policy from its first level. */
  async reopen(actor: Actor, id: string, reason: string, dueAt: Date | null): Promise<Escalation> {
    const { planner, services } = this.deps;
    // The default due time needs the owner's zone, looked up before the transaction.
    const current = await findEscalation(services.db, actor.workspaceId, id);
    const settings = await loadSettings(services.db, actor.workspaceId);
    const ownerZone = current ? await services.people.zoneOf(actor.workspaceId, current.ownerId) : 'UTC';
    const firstLevel = current ? await planPolicyStart(this.deps, actor.workspaceId, current.policy, services.clock.now()) : undefined;
    return this.change(actor, id, 'reopen', async (trx, e, now) => {
      const due = dueAt ?? dueFromRule(settings.dueRules[e.severity], now, ownerZone);
      const updated = await updateEscalation(
        trx,
        e.id,
        {
          status: 'open',
          resolvedAt: null,
          resolvedBy: null,
          resolution: null,
          acknowledgedAt: null,
          acknowledgedBy: null,
          dueAt: due,
          dueSetAt: now,
          dueVersion: e.dueVersion + 1,
          remindedVersion: null,
          overdueAt: null,
          chaseCount: 0,
          policyRun: e.policyRun + 1,
          policyStep: -1,
          notifiedUserIds: [],
          channelNotified: false,
        },
        now,
      );
      await planner.stopEverything(trx, updated);
      const eventId = await appendEvent(trx, e.id, { kind: 'reopened', data: { reason, dueAt: due.toISOString() } }, actor.userId, now);
      await planner.dueTimes(trx, updated);
      await planner.notify(trx, updated, eventId, 'thread', 'thread');
      // The owner hears that the policy pages them again in the reopened notice, not in a page too.
      const told = new Set([updated.ownerId].filter((person) => person !== actor.userId));
      const started = await startPolicy(this.deps, trx, updated, firstLevel, told, now);
      await planner.notifyPeople(trx, started.escalation, eventId, 'reopened', [updated.ownerId], actor.userId, started.paged);
      return started.escalation;
    });
  }
}
