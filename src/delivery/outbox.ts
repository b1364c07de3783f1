import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Executor } from '../../db/schema';
import type { Clock } from '../core/clock';
import { PlatformError, errorMessage, type PlatformErrorCode } from '../core/errors';
import type { Message } from '../core/message';
import type { ChatPlatform, Platforms, PostedWhere } from '../core/platform';
import type { ConversationRef, MessageRef, WorkspaceId } from '../core/refs';
import type { RichText } from '../core/rich-text';
import type { ProblemReports } from '../people/problem-reports';
import { z } from 'zod';
import { messageSchema, richTextSchema } from '../core/message-schema';
import { hasTimes, inReaderZone, type ReaderZone } from '../core/reader-zone';
import { GiveUp, LeaseLost, RetryLater, type JobContext, type JobKind } from '../scheduler/job';
import type { Scheduler } from '../scheduler/scheduler';
import {
  beginAttempt,
  beginAttempts,
  findOutboxEntry,
  recordNotSent,
  recordSentMany,
  type AttemptArgs,
  type OutboxRow,
} from '../storage/outbox-repository';
import { inTransaction } from '../storage/transactions';
import { Batcher } from './batcher';
import { pace, pauseLane, reserveMany, waitUntil, type PaceOptions } from './pacing';
import { isFormerMember } from '../core/former-member';

/** Where a message goes: a person's direct conversation with the bot, or a conversation (a thread in it). */
export type Destination =
  | { readonly workspaceId: WorkspaceId; readonly userId: string }
  | { readonly workspaceId: WorkspaceId; readonly conversation: ConversationRef; readonly threadOf?: MessageRef };

/** Who to tell, once, when something can never be delivered (and what to tell them, given the platform's refusal). */
export interface UndeliverableProblem {
  readonly key: string;
  readonly workspaceId: WorkspaceId;
  readonly tell: string;
  readonly text: RichText | ((refusal: PlatformError) => RichText);
}

export interface PostSpec {
  /** What the message is (a session's prompt, an event's notice to a person): it is posted once per key. */
  readonly key: string;
  readonly to: Destination;
  readonly message: Message;
  /** Stores the platform's reference where the workflow keeps it, in the transaction that records the send. */
  readonly record?: (trx: Executor, ref: MessageRef) => Promise<void>;
  readonly problem?: UndeliverableProblem;
  /** A direct message's reader's zone, when the caller knows it: spares looking it up. */
  readonly readerZone?: string;
  /** The job this post is for, when one run sends for several jobs (a batch): its lease fences the records. */
  readonly run?: JobContext;
}

export interface UpdateSpec {
  readonly workspaceId: WorkspaceId;
  readonly ref: MessageRef;
  readonly message: Message;
  readonly problem?: UndeliverableProblem;
}

/**
 * What became of a send. A retryable failure is not a result: it is thrown (a PlatformError, or a
 * RetryLater that does not use up an attempt), so the job is run again.
 */
export type Delivery =
  | { readonly ok: true; readonly ref: MessageRef /** Posted by an earlier attempt. */; readonly earlier: boolean }
  | { readonly ok: false; readonly code: PlatformErrorCode; readonly reason: string };

/** The reason of a Delivery to someone forgotten (`/steady forget`): nothing was attempted, and nothing is wrong. */
export const FORGOTTEN = 'a former member';

/** Keeps the references of several posts sent together, in the transaction that records them. */
export type RecordMany = (trx: Executor, sent: readonly { readonly spec: PostSpec; readonly ref: MessageRef }[]) => Promise<void>;

/** A post decided in a transaction, sent by a job that commits with the decision. */
export interface QueuedPost {
  readonly key: string;
  readonly to: Destination;
  readonly message: Message;
  /** Keeps the platform's reference: the recorder registered under `name`, given `id`. */
  readonly recordAs?: { readonly name: string; readonly id: string };
  readonly problem?: { readonly key: string; readonly workspaceId: WorkspaceId; readonly tell: string; readonly text: RichText };
}

export const OUTBOX_POST_JOB = 'outbox.post';

export interface OutboxOptions extends PaceOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly platforms: Platforms;
  readonly problems: ProblemReports;
  readonly scheduler: Pick<Scheduler, 'enqueue' | 'currentRun'>;
  /**
   * A direct message's reader's zone: its times are put in that zone before any platform sees it,
   * whoever built it, so every notification and text fallback reads right.
   */
  readonly readerZone: ReaderZone;
  /**
   * An attempt neither recorded as sent nor as failed after this long is in doubt: it cannot still
   * be on its way (a platform call times out well before), so its successor may look, then send.
   */
  readonly doubtAfterMs?: number;
}

/** How far before an attempt's recorded start a look-up searches, for clocks a little apart. */
const LOOKBACK_MS = 120_000;

/**
 * Every message Steady sends to a platform goes through here, with one rule for what a failure
 * means. A post is exactly-once per key: an outbox row records that an attempt begins (fenced by the
 * job's lease) before anything is sent and records the platform's reference after; an attempt that
 * ended in doubt (the process died, the database or the answer was lost) is looked up on the
 * platform before anything is sent again. Sends are paced by the platform's declared limits, across
 * instances; a "slow down" pauses the workspace's sends for every instance and costs no attempt.
 * A refusal that retrying cannot fix (a channel the bot is not in, a person who left) is told once
 * to whoever can fix it, and returned.
 */
export class Outbox {
  private readonly doubtAfterMs: number;
  private readonly recorders = new Map<string, (trx: Executor, ref: MessageRef, id: string) => Promise<void>>();

  constructor(private readonly options: OutboxOptions) {
    this.doubtAfterMs = options.doubtAfterMs ?? 60_000;
  }

  /**
   * Decides a post in the caller's transaction: the job that sends it commits with the decision (and
   * runs at once after the request that made it). What the person sees after the request is the
   * message, or, if the platform is down, the message a little later: never a change without it.
   */
  async enqueue(trx: Executor, post: QueuedPost): Promise<void> {
    await this.options.scheduler.enqueue(
      { kind: OUTBOX_POST_JOB, payload: post, runAt: this.options.clock.now(), dedupeKey: `post:${post.key}` },
      trx,
    );
  }

  /** Names a way to keep a queued post's reference (`recordAs`), e.g. a swap request's message. */
  registerRecorder(name: string, record: (trx: Executor, ref: MessageRef, id: string) => Promise<void>): void {
    if (this.recorders.has(name)) throw new Error(`outbox recorder "${name}" is registered twice`);
    this.recorders.set(name, record);
  }

  /** The job that sends a queued post. */
  postJob(): JobKind<QueuedPost> {
    return {
      kind: OUTBOX_POST_JOB,
      payload: queuedPostSchema,
      run: async (post, ctx) => {
        const recordAs = post.recordAs;
        const recorder = recordAs ? this.recorders.get(recordAs.name) : undefined;
        if (recordAs && !recorder) throw new GiveUp(`no outbox recorder "${recordAs.name}" in this version of Steady`);
        const sent = await this.post({
          key: post.key,
          to: post.to,
          message: post.message,
          ...(post.problem ? { problem: post.problem } : {}),
          ...(recorder && recordAs ? { record: (trx, ref) => recorder(trx, ref, recordAs.id) } : {}),
        });
        if (!sent.ok) ctx.log.warn({ key: post.key, code: sent.code }, 'a queued post could not be delivered');
      },
    };
  }

  async post(spec: PostSpec): Promise<Delivery> {
    const [result] = await this.postMany([spec]);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  /**
   * Posts several messages at once (a wave of stand-up prompts): their places in the lanes, the
   * records that their attempts begin and the records that they were sent take a few statements in
   * all, whatever their number. Each is still once per key with an outcome of its own: a Delivery,
   * or the error that makes its job try again. `recordMany` keeps the references of those sent, in
   * the transaction that records them.
   */
  async postMany(specs: readonly PostSpec[], recordMany?: RecordMany): Promise<PromiseSettledResult<Delivery>[]> {
    // Someone forgotten (/steady forget) is nobody to write to: no attempt, no record, no problem report.
    const forgotten = specs.map((spec) => 'userId' in spec.to && isFormerMember(spec.to.userId));
    if (forgotten.some(Boolean)) {
      const others = forgotten.every(Boolean)
        ? []
        : await this.postMany(
            specs.filter((_, i) => !forgotten[i]),
            recordMany,
          );
      let next = 0;
      return specs.map(
        (_, i): PromiseSettledResult<Delivery> =>
          forgotten[i] ? { status: 'fulfilled', value: { ok: false, code: 'NOT_FOUND', reason: FORGOTTEN } } : others[next++]!,
      );
    }
    // A key twice over is one message: the first goes with the others, the repeat after it (and finds it sent).
    const seen = new Set<string>();
    const repeats = specs.map((spec) => {
      const repeat = seen.has(spec.key);
      seen.add(spec.key);
      return repeat;
    });
    if (repeats.some(Boolean)) {
      const firsts = await this.postMany(
        specs.filter((_, i) => !repeats[i]),
        recordMany,
      );
      let next = 0;
      const results: PromiseSettledResult<Delivery>[] = [];
      for (const [i, spec] of specs.entries()) results.push(repeats[i] ? (await this.postMany([spec], recordMany))[0]! : firsts[next++]!);
      return results;
    }
    const results: PromiseSettledResult<Delivery>[] = new Array(specs.length);
    const settle = (i: number, outcome: Delivery | { error: unknown }) =>
      (results[i] = 'error' in outcome ? { status: 'rejected', reason: outcome.error } : { status: 'fulfilled', value: outcome });
    const attempts = specs.map((spec) => {
      const run = spec.run ?? this.options.scheduler.currentRun();
      const platform = this.options.platforms.for('conversation' in spec.to ? spec.to.conversation : spec.to.workspaceId);
      return { spec, run, platform, token: run?.leaseToken ?? randomUUID() };
    });
    const places = await reserveMany(
      this.options,
      'post',
      attempts.map((a) => ({ platform: a.platform, workspaceId: a.spec.to.workspaceId, conversation: conversationKeyOf(a.spec.to) })),
    );
    const ready = attempts
      .map((a, i) => ({ ...a, i }))
      .filter((a) => {
        const place = places[a.i]!;
        if (place instanceof RetryLater) settle(a.i, { error: place });
        return !(place instanceof RetryLater);
      });
    const latest = Math.max(0, ...ready.map((a) => (places[a.i] as Date).getTime()));
    if (latest > 0) await waitUntil(this.options, new Date(latest), ready[0]?.run?.signal);
    const begun = await beginAttempts(
      this.options.db,
      ready.map((a) => ({
        key: a.spec.key,
        workspaceId: a.spec.to.workspaceId,
        target: targetOf(a.spec.to),
        token: a.token,
        ...(a.run ? { lease: { jobId: a.run.job.id, token: a.run.leaseToken } } : {}),
      })),
      this.options.clock.now(),
    );
    // Each send is recorded as soon as it is taken, together with those taken in the same moment: a
    // slow one does not leave the others in doubt meanwhile.
    const records = new Batcher<{ spec: PostSpec; token: string; ref: MessageRef }>((sent) => this.recordSending(sent, recordMany));
    await Promise.all(
      ready.map(async (a) => {
        let ref: MessageRef;
        try {
          // Nearly always the first attempt, begun above; otherwise the row says why not.
          if (!begun.has(a.spec.key)) {
            const settled = await this.afterEarlierAttempt(a.platform, a.spec, a.run, recordMany);
            if (settled.delivered) return settle(a.i, settled.delivered);
            if (!(await this.begin(a.spec, a.token, a.run, settled.supersedes))) return settle(a.i, await this.notBegun(a.spec.key, a.run));
          }
          if (a.run?.signal.aborted) throw new LeaseLost('the job lost its lease before the message was sent');
          ref = await this.send(a.platform, a.spec);
        } catch (err) {
          try {
            return settle(a.i, await this.afterFailure(a.spec, a.platform, a.token, err));
          } catch (failure) {
            return settle(a.i, { error: failure });
          }
        }
        try {
          await records.add({ spec: a.spec, token: a.token, ref });
          settle(a.i, { ok: true, ref, earlier: false });
        } catch (err) {
          // Sent, but not recorded: in doubt until the retry looks.
          settle(a.i, { error: err });
        }
      }),
    );
    return results;
  }

  private begin(spec: PostSpec, token: string, run: JobContext | undefined, supersedes?: AttemptArgs['supersedes']): Promise<boolean> {
    return beginAttempt(this.options.db, {
      key: spec.key,
      workspaceId: spec.to.workspaceId,
      target: targetOf(spec.to),
      token,
      now: this.options.clock.now(),
      ...(supersedes ? { supersedes } : {}),
      ...(run ? { lease: { jobId: run.job.id, token: run.leaseToken } } : {}),
    });
  }

  /**
   * The key has a row: sent already (nothing to do), another attempt under way (come back when it
   * cannot be), or an attempt that ended in doubt, settled here.
   */
  private async afterEarlierAttempt(
    platform: ChatPlatform,
    spec: PostSpec,
    run: JobContext | undefined,
    recordMany?: RecordMany,
  ): Promise<{ delivered?: Delivery; supersedes?: AttemptArgs['supersedes'] }> {
    const row = await findOutboxEntry(this.options.db, spec.key);
    if (row?.state === 'sent') return { delivered: { ok: true, ref: row.ref!, earlier: true } };
    if (row?.state !== 'attempting') return { delivered: await this.notBegun(spec.key, run) };
    const found = await this.settleDoubt(platform, spec, row, recordMany);
    if (found) return { delivered: found };
    if (!platform.findSent)
      this.options.log.warn(
        { key: spec.key, platform: platform.name },
        'an attempt ended in doubt and this platform cannot be asked: sending again',
      );
    return { supersedes: { token: row.attempt_token, resend: !platform.findSent } };
  }

  /** Edits a message in place. An edit is idempotent, so it needs no outbox row, only the pacing and the failure rule. */
  async update(spec: UpdateSpec): Promise<Delivery> {
    const platform = this.options.platforms.for(spec.ref);
    await pace(this.options, 'update', platform, spec.workspaceId, undefined, this.options.scheduler.currentRun()?.signal);
    try {
      await platform.update(spec.ref, spec.message);
    } catch (err) {
      return this.refused(spec, platform, 'update', err);
    }
    if (spec.problem) await this.options.problems.resolved(spec.problem.key);
    return { ok: true, ref: spec.ref, earlier: false };
  }

  private async send(platform: ChatPlatform, spec: PostSpec): Promise<MessageRef> {
    const to = spec.to;
    if ('conversation' in to)
      return platform.post(to.conversation, spec.message, { key: spec.key, ...(to.threadOf ? { threadOf: to.threadOf } : {}) });
    const message = hasTimes(spec.message)
      ? inReaderZone(spec.message, spec.readerZone ?? (await this.options.readerZone(to.workspaceId, to.userId)))
      : spec.message;
    return platform.postDirect(to.workspaceId, to.userId, message, { key: spec.key });
  }

  /** The platform took them: their references and the workflow's records of them commit together. */
  private async recordSending(
    sent: readonly { readonly spec: PostSpec; readonly token: string; readonly ref: MessageRef }[],
    recordMany?: RecordMany,
    found = false,
  ): Promise<void> {
    const { db, clock, log } = this.options;
    const now = clock.now();
    const rows = sent.map(({ spec, token, ref }) => ({
      key: spec.key,
      token,
      ref,
      ...(spec.problem ? { problemKey: spec.problem.key } : {}),
    }));
    const keepsRecords = recordMany !== undefined || sent.some((s) => s.spec.record);
    const recorded = keepsRecords
      ? await inTransaction(db, async (trx) => {
          const done = await recordSentMany(trx, rows, now, found);
          const kept = sent.filter((s) => done.has(s.spec.key));
          for (const s of kept) await s.spec.record?.(trx, s.ref);
          if (kept.length) await recordMany?.(trx, kept);
          return done;
        })
      : await recordSentMany(db, rows, now, found);
    for (const s of sent) {
      if (!recorded.has(s.spec.key))
        log.warn({ key: s.spec.key }, 'sent, but a later attempt took the message over before this one was recorded; that one settles it');
    }
  }

  /**
   * An earlier attempt ended in doubt. Once it cannot still be on its way, ask the platform whether
   * the message arrived: found, it is recorded and not sent again; without a way to ask, the caller
   * sends again (counted: README says which platform this can happen on).
   */
  private async settleDoubt(
    platform: ChatPlatform,
    spec: PostSpec,
    existing: OutboxRow,
    recordMany?: RecordMany,
  ): Promise<Delivery | undefined> {
    const now = this.options.clock.now().getTime();
    const began = existing.attempt_at?.getTime() ?? 0;
    if (now - began < this.doubtAfterMs) {
      throw new RetryLater('an earlier attempt at this message may still be on its way', this.doubtAfterMs - (now - began), {
        uncounted: true,
      });
    }
    if (!platform.findSent) return undefined;
    const ref = await platform.findSent(postedWhere(spec.to), spec.key, new Date(began - LOOKBACK_MS));
    if (!ref) {
      this.options.log.info({ key: spec.key }, 'an attempt that ended in doubt did not arrive; sending');
      return undefined;
    }
    this.options.log.info({ key: spec.key }, 'an attempt that ended in doubt did arrive; not sent again');
    await this.recordSending([{ spec, token: existing.attempt_token ?? '', ref }], recordMany, true);
    return { ok: true, ref, earlier: true };
  }

  /** The attempt could not begin, though nothing stood in its way a moment ago: someone else moved first, or the lease went. */
  private async notBegun(key: string, run: JobContext | undefined): Promise<Delivery> {
    const row = await findOutboxEntry(this.options.db, key);
    if (row?.state === 'sent') return { ok: true, ref: row.ref!, earlier: true };
    if (row?.state === 'attempting')
      throw new RetryLater('another attempt at this message is under way', this.doubtAfterMs, { uncounted: true });
    throw new LeaseLost(`job ${run?.job.id ?? '?'} no longer holds its lease; the message was not sent`);
  }

  /** After a post failed: the one rule for what a failure means. */
  private async afterFailure(spec: PostSpec, platform: ChatPlatform, token: string, err: unknown): Promise<Delivery> {
    const { db, clock } = this.options;
    if (err instanceof PlatformError && !isInDoubt(err)) {
      await recordNotSent(db, {
        key: spec.key,
        token,
        state: err.code === 'RATE_LIMITED' ? 'retry' : 'failed',
        error: err.message,
        now: clock.now(),
      });
    }
    // An outage, a timeout, a lost answer: the platform may have the message. The row stays
    // "attempting"; the next attempt waits out the doubt, then looks before it sends.
    return this.refused(spec, platform, 'post', err);
  }

  private async refused(spec: PostSpec | UpdateSpec, platform: ChatPlatform, op: 'post' | 'update', err: unknown): Promise<Delivery> {
    if (!(err instanceof PlatformError) || err.retryable) {
      if (err instanceof PlatformError && err.code === 'RATE_LIMITED') {
        const waitMs = err.retryAfterMs ?? 1_000;
        const where =
          'to' in spec
            ? { workspaceId: spec.to.workspaceId, conversation: conversationKeyOf(spec.to) }
            : { workspaceId: spec.workspaceId, conversation: undefined };
        await pauseLane(this.options, op, platform, where.workspaceId, where.conversation, waitMs);
        throw new RetryLater(`${platform.name} asked to slow down`, waitMs, { uncounted: true });
      }
      throw err;
    }
    const reason = errorMessage(err);
    this.options.log.warn(
      { code: err.code, platformCode: err.platformCode, key: 'key' in spec ? spec.key : undefined },
      `the platform refused a ${op}`,
    );
    // Nobody is told that they themselves cannot be reached; with no valid token, nobody can be told.
    const unreachable = 'to' in spec && 'userId' in spec.to ? spec.to.userId : undefined;
    if (spec.problem && err.code !== 'AUTH' && spec.problem.tell !== unreachable) {
      const { key, workspaceId, tell, text } = spec.problem;
      await this.options.problems.reportOnce({ key, workspaceId, userId: tell, text: typeof text === 'function' ? text(err) : text });
    }
    return { ok: false, code: err.code, reason };
  }
}

/** A failure after which the platform may or may not have the message. */
function isInDoubt(err: PlatformError): boolean {
  return err.code === 'UNAVAILABLE';
}

function targetOf(to: Destination): string {
  return 'conversation' in to ? to.conversation : `@${to.userId}`;
}

function conversationKeyOf(to: Destination): string {
  return 'conversation' in to ? to.conversation : `${to.workspaceId}:@${to.userId}`;
}

function postedWhere(to: Destination): PostedWhere {
  return 'conversation' in to
    ? { conversation: to.conversation, ...(to.threadOf ? { threadOf: to.threadOf } : {}) }
    : { workspaceId: to.workspaceId, userId: to.userId };
}

const queuedPostSchema: z.ZodType<QueuedPost> = z.object({
  key: z.string().min(1),
  to: z.union([
    z.object({ workspaceId: z.string().min(1), conversation: z.string().min(1), threadOf: z.string().min(1).optional() }),
    z.object({ workspaceId: z.string().min(1), userId: z.string().min(1) }),
  ]),
  message: messageSchema,
  recordAs: z.object({ name: z.string().min(1), id: z.string().min(1) }).optional(),
  problem: z.object({ key: z.string().min(1), workspaceId: z.string().min(1), tell: z.string().min(1), text: richTextSchema }).optional(),
}) as z.ZodType<QueuedPost>;
