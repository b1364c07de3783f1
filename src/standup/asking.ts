import type { Logger } from 'pino';
import { MINUTE_MS } from '../core/duration';
import { bold, user } from '../core/rich-text';
import type { PostSpec, UndeliverableProblem } from '../delivery/outbox';
import type { BatchItem, JobSpec } from '../scheduler/job';
import { awayOn } from '../storage/standup/absences-repository';
import { findDay } from '../storage/standup/days-repository';
import { findParticipants, findStandup } from '../storage/standup/standups-repository';
import {
  abandonOlderSessions,
  ensureSessions,
  lastAnsweredMany,
  markPrompted,
  openSessionsOfMany,
  updateSession,
  type NewSession,
} from '../storage/standup/sessions-repository';
import { openForChat } from './chat-window';
import type { StandupDeps } from './deps';
import type { Session, Standup } from './model';
import { promptMessage } from './messages/prompt';
import { hintFrom } from './hints';
import type { DayPublisher } from './publisher';
import { putParticipantRule } from './rules';
import { JOB, cutoffMs, isStandupDay, localDate, ownerOf, promptInstant, ruleKey, zoneFor } from './schedule';

/** A reminder this close to the prompt (a prompt sent late) would only nag. */
const MIN_REMINDER_GAP_MS = 10 * MINUTE_MS;

export interface PromptPayload {
  readonly standupId: string;
  readonly userId: string;
  /** When the prompt was due (the rule's occurrence, or the moment of `/standup now`). */
  readonly occurrence: string;
  /** `/standup now`: asked whatever the day, holidays included. */
  readonly manual?: boolean | undefined;
}

type Item = BatchItem<PromptPayload>;

/** One participant's day, decided: their session is made (if it is not there) and they are asked. */
interface Day {
  readonly item: Item;
  readonly zone: string;
  readonly date: string;
  readonly occurrence: Date;
  readonly cutoffAt: Date;
}

/**
 * The prompt step: a participant's time has come, so their day's session is made and they are
 * asked. It runs for one participant or for a wave of them together (a stand-up's 09:30 in one zone,
 * `/standup now` for everyone), reading and writing for all of them in a few statements, because a
 * wave of thousands must go out at the platform's pace, not the database's. Each job still has its
 * own outcome, and every step is checked against the database first: jobs run at least once.
 */
export class Asking {
  constructor(
    private readonly deps: StandupDeps,
    private readonly publisher: DayPublisher,
  ) {}

  /** Asks each participant of these jobs; returns the jobs that failed, with why. */
  async ask(items: readonly Item[]): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    const byStandup = new Map<string, Item[]>();
    for (const item of items) byStandup.set(item.payload.standupId, [...(byStandup.get(item.payload.standupId) ?? []), item]);
    for (const [standupId, group] of byStandup) {
      try {
        await this.askIn(standupId, group, failures);
      } catch (err) {
        for (const item of group) if (!failures.has(item.ctx.job.id)) failures.set(item.ctx.job.id, err);
      }
    }
    return failures;
  }

  private async askIn(standupId: string, items: readonly Item[], failures: Map<string, unknown>): Promise<void> {
    const { db, scheduler } = this.deps.services;
    const standup = await findStandup(db, standupId);
    if (!standup) {
      await scheduler.removeRules({ owner: ownerOf(standupId) });
      return;
    }
    const participants = await findParticipants(
      db,
      standup.id,
      items.map((i) => i.payload.userId),
    );
    const zones = await this.zonesOf(
      standup,
      items.map((i) => i.payload.userId),
    );
    const days: Day[] = [];
    for (const item of items) {
      const participant = participants.get(item.payload.userId);
      if (!participant) {
        await scheduler.removeRules({ key: ruleKey(standup.id, item.payload.userId) });
        continue;
      }
      const day = await this.dayOf(standup, item, participant.ruleZone, zones.get(item.payload.userId)!);
      if (day) days.push(day);
    }
    const sessions = await this.sessionsFor(standup, days);
    // One session a person and day, however many of their jobs came together.
    const seen = new Set<string>();
    const toAsk = sessions.filter(
      ({ session }) =>
        !(session.promptedAt || session.skippedAt || session.answeredAt || session.promptError) &&
        !seen.has(session.id) &&
        !!seen.add(session.id),
    );
    await this.send(standup, toAsk, failures);
  }

  /** Zones people are asked in: their own (stored, else looked up), or the stand-up's. */
  private async zonesOf(standup: Standup, userIds: readonly string[]): Promise<Map<string, string>> {
    const { people } = this.deps.services;
    if (standup.zoneMode === 'fixed') return new Map(userIds.map((u) => [u, zoneFor(standup, 'UTC')]));
    const known = await people.known(standup.workspaceId, userIds);
    const zones = new Map<string, string>();
    for (const u of userIds) zones.set(u, zoneFor(standup, known.get(u)?.timeZone ?? (await people.zoneOf(standup.workspaceId, u))));
    return zones;
  }

  /** The participant's day, if they are to be asked now; undefined when not (and why is logged). */
  private async dayOf(standup: Standup, item: Item, ruleZone: string, zone: string): Promise<Day | undefined> {
    const { db, clock } = this.deps.services;
    const { payload, ctx } = item;
    const now = clock.now();
    let occurrence = new Date(payload.occurrence);
    if (zone !== ruleZone) {
      // The person set another zone since their rule was put: ask in the new zone from now on.
      await db.transaction().execute((trx) => putParticipantRule(this.deps.services, standup, payload.userId, zone, trx));
      ctx.log.info({ standup: standup.id, user: payload.userId, from: ruleZone, to: zone }, 'participant moved zone; rule re-put');
      if (!payload.manual) {
        const target = promptInstant(standup, localDate(occurrence, zone), zone);
        if (target > now) return undefined; // the re-put rule asks them then
        occurrence = target;
      }
    }
    const date = localDate(occurrence, zone);
    if (!payload.manual && (standup.paused || !isStandupDay(standup, date))) {
      ctx.log.info({ standup: standup.id, user: payload.userId, date, paused: standup.paused }, 'no stand-up for this participant today');
      return undefined;
    }
    const cutoffAt = new Date(occurrence.getTime() + cutoffMs(standup));
    if (now >= cutoffAt) {
      ctx.log.warn({ standup: standup.id, user: payload.userId, date }, 'prompt is past its cut-off; not sent late');
      await this.nudgeDay(standup.id, date, ctx.log);
      return undefined;
    }
    return { item, zone, date, occurrence, cutoffAt };
  }

  /**
   * Each day's session, made where it is not there yet, in one transaction for all: with it, the
   * reminder and the cut-off, and the end of older unfinished days. Someone out of office gets a
   * session that starts skipped, and is not asked.
   */
  private async sessionsFor(standup: Standup, days: readonly Day[]): Promise<{ day: Day; session: Session }[]> {
    if (days.length === 0) return [];
    const { db, clock, scheduler } = this.deps.services;
    const now = clock.now();
    const away = await awayOn(
      db,
      standup.workspaceId,
      days.map((d) => ({ userId: d.item.payload.userId, date: d.date })),
    );
    const isAway = (d: Day) => away.has(`${d.item.payload.userId}|${d.date}`);
    const made = await db.transaction().execute(async (trx) => {
      const wanted: NewSession[] = days.map((d) => ({
        standupId: standup.id,
        workspaceId: standup.workspaceId,
        userId: d.item.payload.userId,
        date: d.date,
        zone: d.zone,
        questions: standup.questions,
        promptAt: d.occurrence,
        cutoffAt: d.cutoffAt,
        ...(isAway(d) ? { skippedAs: 'away' } : {}),
      }));
      const sessions = await ensureSessions(trx, wanted, now);
      const created = days.filter((_, i) => sessions[i]!.created);
      await abandonOlderSessions(
        trx,
        standup.id,
        created.map((d) => ({ userId: d.item.payload.userId, date: d.date })),
        now,
      );
      const owner = ownerOf(standup.id);
      const jobs: JobSpec[] = [];
      for (const d of created) {
        const session = sessions[days.indexOf(d)]!.session;
        const key = `${standup.id}:${d.item.payload.userId}:${d.date}`;
        const remindAt = Math.max(d.occurrence.getTime() + standup.reminderMinutes * MINUTE_MS, now.getTime() + MIN_REMINDER_GAP_MS);
        if (!isAway(d) && standup.reminderMinutes > 0 && remindAt < d.cutoffAt.getTime()) {
          jobs.push({
            kind: JOB.remind,
            payload: { sessionId: session.id },
            runAt: new Date(remindAt),
            dedupeKey: `standup-remind:${key}`,
            owner,
          });
        }
        jobs.push({ kind: JOB.cutoff, payload: { sessionId: session.id }, runAt: d.cutoffAt, dedupeKey: `standup-cutoff:${key}`, owner });
      }
      await scheduler.enqueueMany(jobs, trx);
      for (const date of new Set(created.filter(isAway).map((d) => d.date))) await this.publisher.changed(trx, standup.id, date);
      return sessions;
    });
    return days.map((day, i) => {
      const { session, created } = made[i]!;
      if (created && session.skippedAt)
        day.item.ctx.log.info({ standup: standup.id, user: session.userId, date: session.date }, 'participant is out of office; not asked');
      return { day, session };
    });
  }

  /** The prompts, through the outbox together; each person's own outcome (refused, or to try again). */
  private async send(standup: Standup, toAsk: readonly { day: Day; session: Session }[], failures: Map<string, unknown>): Promise<void> {
    if (toAsk.length === 0) return;
    const { db, clock, outbox } = this.deps.services;
    const now = clock.now();
    const userIds = toAsk.map(({ session }) => session.userId);
    const open = await openSessionsOfMany(db, standup.workspaceId, userIds, openForChat(now));
    const names = new Map<string, string | undefined>();
    const busyWith = async (session: Session): Promise<string | undefined> => {
      const other = (open.get(session.userId) ?? []).find((s) => s.id !== session.id && s.promptAt <= session.promptAt);
      if (!other) return undefined;
      if (!names.has(other.standupId)) names.set(other.standupId, (await findStandup(db, other.standupId))?.name);
      return names.get(other.standupId);
    };
    const last = await lastAnsweredMany(
      db,
      standup.id,
      toAsk.map(({ session }) => ({ userId: session.userId, date: session.date })),
    );
    const specs: PostSpec[] = [];
    const chat = new Map<string, number | null>();
    for (const { day, session } of toAsk) {
      const busy = await busyWith(session);
      const hint = busy ? undefined : hintFrom(session, last.get(session.userId));
      chat.set(session.id, busy ? null : 0);
      specs.push({
        key: `standup-prompt:${session.id}`,
        to: { workspaceId: session.workspaceId, userId: session.userId },
        message: promptMessage({ standup, session, ...(busy ? { busyWith: busy } : {}), ...(hint ? { hint } : {}) }),
        problem: unreachableProblem(standup, session.userId),
        run: day.item.ctx,
        // Asked in their own zone unless the stand-up keeps one for everyone.
        ...(standup.zoneMode === 'fixed' ? {} : { readerZone: session.zone }),
      });
    }
    const sessionOf = new Map(toAsk.map(({ session }) => [`standup-prompt:${session.id}`, session]));
    const results = await outbox.postMany(specs, async (trx, sent) => {
      const marked = await markPrompted(
        trx,
        sent.map(({ spec, ref }) => ({ id: sessionOf.get(spec.key)!.id, ref, chatQuestion: chat.get(sessionOf.get(spec.key)!.id)! })),
        now,
      );
      // A day's message already in the channel lists these people under "to be asked later" until redrawn.
      for (const date of new Set(marked.filter((m) => m.dayShown).map((m) => m.date))) await this.publisher.changed(trx, standup.id, date);
    });
    for (const [i, result] of results.entries()) {
      const { day, session } = toAsk[i]!;
      const log = day.item.ctx.log;
      if (result.status === 'rejected') failures.set(day.item.ctx.job.id, result.reason);
      else if (!result.value.ok) {
        log.warn({ standup: standup.id, user: session.userId, code: result.value.code }, 'prompt refused by the platform');
        const code = result.value.code;
        await db.transaction().execute(async (trx) => {
          await updateSession(trx, session.id, { prompt_error: code }, now);
          await this.publisher.changed(trx, standup.id, session.date);
        });
      } else if (!result.value.earlier) log.info({ standup: standup.id, user: session.userId, date: session.date }, 'stand-up prompt sent');
    }
  }

  /** A day that already has a message is re-checked: it may be over now that nobody else is to be asked. */
  private async nudgeDay(standupId: string, date: string, log: Logger): Promise<void> {
    const { db } = this.deps.services;
    if (!(await findDay(db, standupId, date))) return;
    const version = await db.transaction().execute((trx) => this.publisher.changed(trx, standupId, date));
    await this.publisher.publishNow(standupId, date, version, log);
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
