import type { Executor } from '../../../db/schema';
import type { Scheduler } from '../../scheduler/scheduler';
import { newestPendingKey } from '../../storage/jobs-repository';
import { reminderLeadMs } from '../due-rules';
import type { Escalation, Paged } from '../model';
import type { NoticeKind, ReminderPhase } from '../messages/notices';

/**
 * Every time-driven or outgoing step of an escalation is a durable job, enqueued in the transaction
 * of the change that caused it, with a dedupe key (so it is enqueued once however often that change
 * is retried) and the owner `escalation:<id>` (so acknowledging, resolving or cancelling cancels
 * what is pending). "Decision" jobs (`level`, `due`) change the escalation and enqueue "delivery"
 * jobs (`page`, `remind`, `notify`, `card`, `follow`), which re-check the escalation before they send.
 */
export const JOB_KINDS = {
  level: 'escalation.level',
  due: 'escalation.due',
  page: 'escalation.page',
  remind: 'escalation.remind',
  notify: 'escalation.notify',
  card: 'escalation.card',
  follow: 'escalation.follow',
} as const;

export const ownerOf = (escalationId: string): string => `escalation:${escalationId}`;

export type PageTarget = { readonly user: string } | { readonly channel: string };

type Ref = Pick<Escalation, 'id'>;

/**
 * What each step and message is, as a key: a job's dedupe key, and for a message the outbox key
 * that makes it go out once.
 */
export const keys = {
  level: (e: Ref, run: number, step: number) => `esc:${e.id}:run:${run}:step:${step}`,
  page: (e: Ref, run: number, step: number, target: PageTarget) =>
    `esc:${e.id}:run:${run}:step:${step}:page:${'user' in target ? `u:${target.user}` : `c:${target.channel}`}`,
  due: (e: Ref, dueVersion: number, phase: ReminderPhase, n: number) =>
    `esc:${e.id}:due:${dueVersion}:${phase}${phase === 'chase' ? `:${n}` : ''}`,
  reminder: (e: Ref, dueVersion: number, phase: ReminderPhase, n: number) => `${keys.due(e, dueVersion, phase, n)}:remind`,
  notice: (e: Ref, eventId: string, notice: NoticeKind, to: string) => `esc:${e.id}:event:${eventId}:${notice}:${to}`,
  card: (e: Ref, suffix = 'post') => `esc:${e.id}:card:${suffix}`,
  follow: (e: Ref, suffix: string) => `esc:${e.id}:follow:${suffix}`,
};

export class Planner {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly now: () => Date,
  ) {}

  /** Runs policy step `step` (or, at the step after the last, records that nobody acknowledged). */
  async level(trx: Executor, e: Escalation, step: number, at: Date): Promise<void> {
    await this.scheduler.enqueue(
      {
        kind: JOB_KINDS.level,
        payload: { escalationId: e.id, run: e.policyRun, step },
        runAt: at,
        dedupeKey: keys.level(e, e.policyRun, step),
        owner: ownerOf(e.id),
      },
      trx,
    );
  }

  async page(trx: Executor, e: Escalation, step: number, why: 'policy' | 'overdue', target: PageTarget): Promise<void> {
    await this.scheduler.enqueue(
      {
        kind: JOB_KINDS.page,
        payload: { escalationId: e.id, run: e.policyRun, step, why, ...target },
        runAt: this.now(),
        dedupeKey: keys.page(e, e.policyRun, step, target),
        owner: ownerOf(e.id),
      },
      trx,
    );
  }

  /** The reminder before the due time (when there is time for one) and the overdue step at it. */
  async dueTimes(trx: Executor, e: Escalation): Promise<void> {
    const now = this.now();
    const before = new Date(e.dueAt.getTime() - reminderLeadMs(e.dueAt, e.dueSetAt));
    if (before > now) await this.due(trx, e, 'before', 0, before);
    await this.due(trx, e, 'due', 0, e.dueAt);
  }

  /** Chase `n` at `at` (see chasing.ts); `deferred`: moved there from outside the owner's working hours. */
  async chase(trx: Executor, e: Escalation, n: number, at: Date, deferred = false): Promise<void> {
    await this.due(trx, e, 'chase', n, at, deferred ? `:until:${at.getTime()}` : '');
  }

  private async due(trx: Executor, e: Escalation, phase: ReminderPhase, n: number, at: Date, keySuffix = ''): Promise<void> {
    await this.scheduler.enqueue(
      {
        kind: JOB_KINDS.due,
        payload: { escalationId: e.id, dueVersion: e.dueVersion, phase, n },
        runAt: at,
        dedupeKey: `${keys.due(e, e.dueVersion, phase, n)}${keySuffix}`,
        owner: ownerOf(e.id),
      },
      trx,
    );
  }

  /** A reminder to the owner; `paged`: the level the same step paged them at, named in it. */
  async remind(trx: Executor, e: Escalation, phase: ReminderPhase, n: number, paged?: Paged): Promise<void> {
    await this.scheduler.enqueue(
      {
        kind: JOB_KINDS.remind,
        payload: { escalationId: e.id, dueVersion: e.dueVersion, phase, n, ...(paged ? { paged } : {}) },
        runAt: this.now(),
        dedupeKey: keys.reminder(e, e.dueVersion, phase, n),
        owner: ownerOf(e.id),
      },
      trx,
    );
  }

  /**
   * Tells a person, or the card's thread (`to: 'thread'`), about a timeline event; `paged`: the
   * level the same event paged them at, named in this message instead of a page of its own. Thread
   * replies go out in the timeline's order: each waits for the card's post and for the reply before it.
   */
  async notify(trx: Executor, e: Escalation, eventId: string, notice: NoticeKind, to: string, paged?: Paged): Promise<void> {
    const after =
      to === 'thread'
        ? ((await newestPendingKey(trx, { owner: ownerOf(e.id), kind: JOB_KINDS.notify, keyEnding: ':thread:thread' })) ?? keys.card(e))
        : undefined;
    await this.scheduler.enqueue(
      {
        kind: JOB_KINDS.notify,
        payload: { escalationId: e.id, eventId, notice, to, ...(paged ? { paged } : {}) },
        runAt: this.now(),
        dedupeKey: keys.notice(e, eventId, notice, to),
        owner: ownerOf(e.id),
        ...(after ? { after } : {}),
      },
      trx,
    );
  }

  /** Tells each of these people once, leaving out whoever caused the event (they were answered directly). */
  async notifyPeople(
    trx: Executor,
    e: Escalation,
    eventId: string,
    notice: NoticeKind,
    people: readonly string[],
    except: string | null,
    paged?: ReadonlyMap<string, Paged>,
  ): Promise<void> {
    for (const person of new Set(people)) if (person !== except) await this.notify(trx, e, eventId, notice, person, paged?.get(person));
  }

  /** Posts the card (first time) or updates it to the escalation's current version. */
  async card(trx: Executor, e: Escalation, options: { post?: boolean; at?: Date; key?: string } = {}): Promise<void> {
    const suffix = options.key ?? (options.post ? 'post' : String(e.cardVersion));
    await this.scheduler.enqueue(
      {
        kind: JOB_KINDS.card,
        payload: { escalationId: e.id, version: e.cardVersion, post: options.post ?? false },
        runAt: options.at ?? this.now(),
        dedupeKey: keys.card(e, suffix),
        owner: ownerOf(e.id),
      },
      trx,
    );
    // Its direct messages follow each change the card shows (not the first post, nor a later refresh).
    if (!options.post && !options.at) await this.followDirectMessages(trx, e);
  }

  /** Draws the escalation's direct messages with buttons again, for its current version. */
  async followDirectMessages(trx: Executor, e: Escalation, key: string = String(e.cardVersion)): Promise<void> {
    await this.scheduler.enqueue(
      {
        kind: JOB_KINDS.follow,
        payload: { escalationId: e.id, version: e.cardVersion },
        runAt: this.now(),
        dedupeKey: keys.follow(e, key),
        owner: ownerOf(e.id),
      },
      trx,
    );
  }

  /** Acknowledged: the policy chain stops. */
  async stopChain(trx: Executor, e: Escalation): Promise<void> {
    await this.scheduler.cancel({ owner: ownerOf(e.id), kinds: [JOB_KINDS.level, JOB_KINDS.page] }, trx);
  }

  /** The pending policy step, when the chain moves on from somewhere else (an overdue escalation moves up). */
  async stopLevels(trx: Executor, e: Escalation): Promise<void> {
    await this.scheduler.cancel({ owner: ownerOf(e.id), kinds: [JOB_KINDS.level] }, trx);
  }

  /** A new due time: the reminders for the old one go. */
  async stopDueTimes(trx: Executor, e: Escalation): Promise<void> {
    await this.scheduler.cancel({ owner: ownerOf(e.id), kinds: [JOB_KINDS.due, JOB_KINDS.remind] }, trx);
  }

  /** Resolved or cancelled: every pending page and reminder goes; notices and the card still go out. */
  async stopEverything(trx: Executor, e: Escalation): Promise<void> {
    await this.scheduler.cancel({ owner: ownerOf(e.id), kinds: [JOB_KINDS.level, JOB_KINDS.page, JOB_KINDS.due, JOB_KINDS.remind] }, trx);
  }
}
