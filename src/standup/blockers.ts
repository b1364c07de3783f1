import type { Logger } from 'pino';
import type { EscalationSource, EscalationSummary } from '../escalation/api';
import { UserError, errorMessage } from '../core/errors';
import type { HandlerContext } from '../core/workflow';
import { findStandup } from '../storage/standup/standups-repository';
import { findDay } from '../storage/standup/days-repository';
import { findSession, latestAnsweredSince, updateSession } from '../storage/standup/sessions-repository';
import type { ReportedBlocker } from './api';
import type { StandupDeps } from './deps';
import type { DayPublisher } from './publisher';
import { dateLabel } from './schedule';

const TITLE_LENGTH = 120;

function titleOf(blocker: string): string {
  const firstLine = blocker.split(/\r?\n/)[0]!.trim();
  return firstLine.length > TITLE_LENGTH ? `${firstLine.slice(0, TITLE_LENGTH - 1)}…` : firstLine;
}

/**
 * Blockers: escalated in one click from the day's summary (the escalation form opens pre-filled,
 * raised on behalf of the participant), then shown with the escalation's reference.
 */
export class Blockers {
  constructor(
    private readonly deps: StandupDeps,
    private readonly publisher: DayPublisher,
  ) {}

  async escalate(ctx: HandlerContext, sessionId: string): Promise<void> {
    const { db } = this.deps.services;
    const session = await findSession(db, sessionId);
    if (!session || session.workspaceId !== ctx.actor.workspaceId) throw new UserError('That stand-up answer no longer exists.');
    if (!session.blocker) throw new UserError('That blocker was removed from the answers; there is nothing to escalate.');
    if (session.escalationRef) throw new UserError(`That blocker is already escalated as ${session.escalationRef}.`);
    const standup = await findStandup(db, session.standupId);
    if (!standup) throw new UserError('That stand-up was deleted.');
    const day = await findDay(db, session.standupId, session.date);
    const label = `Blocker from ${standup.name}, ${dateLabel(session.date)}`;
    ctx.log.info({ standup: standup.id, session: session.id }, 'escalating a stand-up blocker');
    await this.deps.apis.escalations.openRaiseForm(ctx, {
      title: titleOf(session.blocker),
      impact: `Blocks ${await this.deps.services.people.displayName(session.workspaceId, session.userId)} (reported in ${standup.name} on ${dateLabel(session.date)}): ${session.blocker}`,
      raiserId: session.userId,
      source: { kind: 'standup-blocker', id: session.id, label, ...(day?.parentRef ? { message: day.parentRef } : {}) },
    });
  }

  /** The escalation workflow stored an escalation raised from a blocker: the summary shows its reference. */
  async raised(source: EscalationSource, escalation: EscalationSummary, log: Logger): Promise<void> {
    if (source.kind !== 'standup-blocker') return;
    const { db, clock } = this.deps.services;
    const session = await findSession(db, source.id);
    if (!session || session.workspaceId !== escalation.workspaceId) return;
    const version = await db.transaction().execute(async (trx) => {
      await updateSession(trx, session.id, { escalation_id: escalation.id, escalation_ref: escalation.reference }, clock.now());
      return this.publisher.changed(trx, session.standupId, session.date);
    });
    log.info({ standup: session.standupId, session: session.id, escalation: escalation.reference }, 'stand-up blocker escalated');
    await this.publisher.publishNow(session.standupId, session.date, version, log);
  }

  /**
   * For handoffs: each person's blocker in their latest answers since `since`, per stand-up (a later
   * answer without a blocker means it was cleared), unless its escalation is closed. The escalation
   * is looked up by id: it may have changed owner (reassigned, handed over at a shift change) since.
   */
  async unresolved(workspaceId: string, userIds: readonly string[], since: Date, log: Logger): Promise<ReportedBlocker[]> {
    const latest = (await latestAnsweredSince(this.deps.services.db, workspaceId, userIds, since)).filter(({ session }) => session.blocker);
    const closed = await this.closedEscalations(
      workspaceId,
      latest.flatMap(({ session }) => (session.escalationId ? [session.escalationId] : [])),
      log,
    );
    const out: ReportedBlocker[] = [];
    for (const { session, standupName } of latest) {
      if (session.escalationId && closed.has(session.escalationId)) continue;
      out.push({
        standupId: session.standupId,
        standupName,
        userId: session.userId,
        text: session.blocker!,
        date: session.date,
        reportedAt: session.answeredAt!,
        ...(session.escalationRef ? { escalationReference: session.escalationRef } : {}),
      });
    }
    return out.sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime());
  }

  /** Which of these escalations are resolved or cancelled; none when escalations cannot be read (the blockers are kept). */
  private async closedEscalations(workspaceId: string, ids: readonly string[], log: Logger): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    try {
      const found = await this.deps.apis.escalations.byIds(workspaceId, ids);
      return new Set(found.filter((e) => e.status === 'resolved' || e.status === 'cancelled').map((e) => e.id));
    } catch (err) {
      log.warn({ err: errorMessage(err) }, 'could not read escalations; keeping escalated blockers');
      return new Set();
    }
  }
}
