import type { Logger } from 'pino';
import type { Executor } from '../../db/schema';
import { errorMessage } from '../core/errors';
import type { Message } from '../core/message';
import type { UndeliverableProblem } from '../delivery/outbox';
import type { MessageRef } from '../core/refs';
import { bold, channel } from '../core/rich-text';
import { GiveUp, RetryLater } from '../scheduler/job';
import { findStandup, listParticipants } from '../storage/standup/standups-repository';
import { claimDay, findDay, releaseDay, setDayParent, touchDay } from '../storage/standup/days-repository';
import { sessionsOfDay, updateSession } from '../storage/standup/sessions-repository';
import { answersReply, dayMessage } from './messages/channel';
import type { StandupDeps } from './deps';
import type { Participant, Session, Standup } from './model';
import { JOB, isStandupDay, ownerOf, promptInstant } from './schedule';

const LEASE_MS = 60_000;
/** When a change was stored but not yet shown, the publish job shows it this much later. */
const SAFETY_DELAY_MS = 60_000;
/** A writer shows at most this many further versions that arrived while it held the day. */
const MAX_CATCH_UPS = 3;

const publishKey = (standupId: string, date: string, version: number) => `standup-publish:${standupId}:${date}:${version}`;

/**
 * Brings a stand-up day's messages in the report channel in line with the database: the parent
 * message (posted with the first answer, or as the summary at the last cut-off), one reply per
 * person (edited in place), the parent re-rendered after every change. It is idempotent, and one
 * writer at a time holds the day, so a retry or a second instance never posts anything twice.
 */
export class DayPublisher {
  constructor(private readonly deps: StandupDeps) {}

  /**
   * Records a change of a day in the caller's transaction, with a publish job as the safety net
   * (it runs if the immediate publish after the commit does not happen: a crash, a busy day).
   */
  async changed(trx: Executor, standupId: string, date: string): Promise<number> {
    const { clock, scheduler } = this.deps.services;
    const version = await touchDay(trx, standupId, date, clock.now());
    await scheduler.enqueue(
      {
        kind: JOB.publish,
        payload: { standupId, date },
        runAt: new Date(clock.now().getTime() + SAFETY_DELAY_MS),
        dedupeKey: publishKey(standupId, date, version),
        owner: ownerOf(standupId),
      },
      trx,
    );
    return version;
  }

  /** After a commit: show the change now; if that cannot happen, the safety job will. */
  async publishNow(standupId: string, date: string, version: number, log: Logger): Promise<void> {
    try {
      await this.publish(standupId, date);
      await this.deps.services.scheduler.cancel({ dedupeKey: publishKey(standupId, date, version) });
    } catch (err) {
      log.warn({ standup: standupId, date, err: errorMessage(err) }, 'stand-up day not published yet; the publish job will retry');
    }
  }

  async publish(standupId: string, date: string): Promise<void> {
    const { db } = this.deps.services;
    const first = await this.publishVersion(standupId, date);
    if (first === 'busy') throw new RetryLater('another writer holds this stand-up day', 5_000);
    // Changes made while this writer held the day were turned away as busy: it shows them before
    // leaving, so the day is never left a version behind until the safety job (the three cut-offs
    // of a stand-up land at once).
    let shown: number | 'busy' | undefined = first;
    for (let round = 0; typeof shown === 'number' && round < MAX_CATCH_UPS; round++) {
      const day = await findDay(db, standupId, date);
      if (!day || day.version <= shown) return;
      shown = await this.publishVersion(standupId, date);
    }
  }

  /** Shows the day as it is now, holding it meanwhile; returns the version shown ('busy': another writer holds it). */
  private async publishVersion(standupId: string, date: string): Promise<number | 'busy' | undefined> {
    const { db, clock } = this.deps.services;
    const now = clock.now();
    const day = await claimDay(db, standupId, date, now, new Date(now.getTime() + LEASE_MS));
    if (day === undefined || day === 'busy') return day;
    try {
      // Shown already: every change bumps the version, and a version counts as shown once its parent and replies are.
      if (day.parentRef && day.parentVersion >= day.version) return day.version;
      const standup = await findStandup(db, standupId);
      if (!standup) return undefined;
      const sessions = await sessionsOfDay(db, standupId, date);
      const participants = await listParticipants(db, standupId);
      const final = isDayFinal(standup, date, sessions, participants, now);
      const later = final ? [] : askedLater(standup, date, sessions, participants, now);
      const view = () => dayMessage({ standup, date, sessions, final, later, now });
      let parentRef = day.parentRef;
      const channel = day.parentChannel ?? standup.channel;
      let parentShown = false;
      if (!parentRef) {
        if (!sessions.some((s) => s.answeredAt) && !(final && sessions.length)) return day.version;
        parentRef = await this.place(standup, channel, null, view(), `standup-day:${standupId}:${date}:parent`, (trx, ref) =>
          setDayParent(trx, standupId, date, { parentRef: ref, parentChannel: channel }, now),
        );
        parentShown = true;
      }
      for (const session of sessions) {
        if (!session.answeredAt || session.replyVersion >= session.answerVersion) continue;
        const recordReply = (trx: Executor, ref: MessageRef) =>
          updateSession(trx, session.id, { reply_ref: ref, reply_version: session.answerVersion }, now);
        const replyRef = await this.place(
          standup,
          channel,
          session.replyRef,
          answersReply(session),
          `standup-reply:${session.id}`,
          recordReply,
          parentRef,
        );
        if (replyRef === session.replyRef) await recordReply(db, replyRef);
      }
      // The version counts as shown once its replies are placed too.
      if (parentShown) await setDayParent(db, standupId, date, { parentVersion: day.version }, now);
      else if (day.parentVersion < day.version) {
        const recordParent = (trx: Executor, ref: MessageRef) =>
          setDayParent(trx, standupId, date, { parentRef: ref, parentVersion: day.version }, now);
        const ref = await this.place(standup, channel, parentRef, view(), `standup-day:${standupId}:${date}:parent`, recordParent);
        if (ref === parentRef) await recordParent(db, ref);
      }
      return day.version;
    } finally {
      await releaseDay(db, standupId, date);
    }
  }

  /**
   * Shows a message of the day: edits it in place when it exists, else posts it (again, if it was
   * deleted: each post of a key's message has a key of its own, naming the message it replaces).
   * A channel the bot may not post in is told to the stand-up's creator once; the answers are kept.
   */
  private async place(
    standup: Standup,
    channel: string,
    ref: MessageRef | null,
    msg: Message,
    key: string,
    record: (trx: Executor, ref: MessageRef) => Promise<void>,
    threadOf?: MessageRef,
  ): Promise<MessageRef> {
    const { outbox } = this.deps.services;
    const problem = this.channelProblem(standup);
    if (ref) {
      const updated = await outbox.update({ workspaceId: standup.workspaceId, ref, message: msg, problem });
      if (updated.ok) return ref;
      if (updated.code !== 'NOT_FOUND') throw new GiveUp(`report channel refused: ${updated.code}`);
    }
    const posted = await outbox.post({
      key: ref ? `${key}:replacing:${ref}` : key,
      to: { workspaceId: standup.workspaceId, conversation: channel, ...(threadOf ? { threadOf } : {}) },
      message: msg,
      problem,
      record,
    });
    if (!posted.ok) throw new GiveUp(`report channel refused: ${posted.code}`);
    return posted.ref;
  }

  private channelProblem(standup: Standup): UndeliverableProblem {
    return {
      key: `standup:${standup.id}:channel`,
      workspaceId: standup.workspaceId,
      tell: standup.creatorId,
      text: (err) => [
        'I could not post ',
        bold(standup.name),
        "'s answers in ",
        channel(standup.channel),
        ` (${err.code === 'PERMISSION' ? 'I am not allowed to post there' : err.code === 'NOT_FOUND' ? 'the channel no longer exists' : err.message}). `,
        `Invite me to the channel, or choose another with /standup edit ${standup.name}. The answers are kept and will be posted once I can.`,
      ],
    };
  }
}

/** Participants not asked yet that date whose time in their zone is still ahead. */
export function askedLater(
  standup: Standup,
  date: string,
  sessions: readonly Session[],
  participants: readonly Participant[],
  now: Date,
): string[] {
  if (standup.paused || !isStandupDay(standup, date)) return [];
  const asked = new Set(sessions.map((s) => s.userId));
  return participants.filter((p) => !asked.has(p.userId) && promptInstant(standup, date, p.ruleZone) > now).map((p) => p.userId);
}

/**
 * The day is over when every session's cut-off was processed and nobody is still to be asked that
 * date (a participant whose time in their zone is still ahead).
 */
export function isDayFinal(
  standup: Standup,
  date: string,
  sessions: readonly Session[],
  participants: readonly Participant[],
  now: Date,
): boolean {
  return !sessions.some((s) => !s.closedAt) && askedLater(standup, date, sessions, participants, now).length === 0;
}
