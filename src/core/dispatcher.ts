import type { Logger } from 'pino';
import { cleanInboundEvent } from './clean-text';
import { splitFirstWord } from './command-text';
import { Slots } from './slots';
import { PlatformError, UserError, errorMessage, type PlatformErrorCode } from './errors';
import { FORM_DONE, FORM_PROBLEM, type FormOutcome } from './form';
import type { InboundEvent, Interaction, StoredRoute } from './inbound';
import { homeView } from './home-view';
import { textMessage, type Message } from './message';
import type { Actor } from './refs';
import type { PlatformWording } from './platform';
import type { RichText } from './rich-text';
import type { HandlerContext, Workflow } from './workflow';

/** What to tell a person when the platform refused something Steady did for them, in their platform's words. */
const PLATFORM_REFUSALS: Record<PlatformErrorCode, ((wording: PlatformWording) => string) | undefined> = {
  PERMISSION: (wording) =>
    `Steady is not allowed to post there. Add Steady to that conversation${wording.invite ? ` (${wording.invite})` : ''} and try again.`,
  NOT_FOUND: () =>
    'Steady could not find that conversation or person: it may have been deleted, archived, or left. Pick another and try again.',
  RATE_LIMITED: () => 'The chat platform asked Steady to slow down. Nothing was lost; please try again in a minute.',
  UNAVAILABLE: () => 'The chat platform did not answer. Please try again in a minute.',
  AUTH: undefined,
  INVALID: undefined,
};

/** Remembers which platform events were already handled, so a retry or double click acts once. */
export interface InboundDedupe {
  /** true the first time a key is seen. */
  claim(key: string): Promise<boolean>;
  /** Forget a key whose handling failed, so the platform's retry can try again. */
  release(key: string): Promise<void>;
}

/**
 * Stores what a person did before it is acknowledged, and runs it from the stored record (see
 * src/inbound/kept-requests.ts): a crash after the acknowledgement resumes it, once.
 */
export interface RequestKeeper {
  /** The stored request's id, or 'repeat' when a request with this key was kept before. */
  keep(event: InboundEvent, interaction: Interaction, route: StoredRoute, key: string): Promise<string | 'repeat'>;
  /** Runs the kept request here and now; `ran` false when it could not (it then runs within seconds). */
  run(id: string, interaction: Interaction): Promise<{ readonly ran: boolean; readonly outcome?: FormOutcome | undefined }>;
  /** Leaves the kept request to the scheduler, due now: whichever instance has room runs it. */
  leave(id: string): Promise<void>;
}

export interface DispatcherOptions {
  readonly log: Logger;
  readonly dedupe: InboundDedupe;
  /** Called before each event with the person who acted (keeps the people directory fresh). */
  readonly onActor?: (interaction: Interaction) => Promise<void>;
  /**
   * Wraps the handling of an event that is not kept; the core passes the scheduler's `runOwn`, so
   * the jobs an event enqueued (the owner's direct message after /escalate) run at once, here, and
   * nobody else's do. A kept request is a job itself: what it enqueues runs right after it.
   */
  readonly around?: <T>(work: () => Promise<T>) => Promise<T>;
  readonly keeper?: RequestKeeper;
  /** Whether an error says the database could not be reached. */
  readonly isUnavailable?: (err: unknown) => boolean;
  /** The wording of the platform of a workspace (how to invite the bot), for what a person is told. */
  readonly wording?: (workspaceId: string) => PlatformWording;
  /** Errors that belong to what runs the handling (a lost lease, a change another run recorded): passed on untouched. */
  readonly passThrough?: (err: unknown) => boolean;
  /** Events handled at once by this instance (16 when absent); the others wait, kept, in arrival order. */
  readonly concurrency?: number;
  /**
   * Events that may wait for a turn here (16 × concurrency when absent: a second or two of work). Past that, a kept request is
   * left to the scheduler (any instance with room) and a command that only reads is turned away.
   */
  readonly maxQueued?: number;
  /** How long an event may wait for its turn before its person is told it is queued (1.5 s when absent). */
  readonly queuedNoticeMs?: number;
  /** Wraps all the work of one event: the core gives it the database connections kept for requests. */
  readonly requestScope?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface HandleOptions {
  /**
   * Called once the event is stored (or known to be a repeat, or could not be stored), before it
   * is handled: where an adapter acknowledges it to the platform.
   */
  readonly kept?: () => Promise<void>;
  /**
   * The platform's limit for an answer, less a margin (the adapter declares it): keeping that takes
   * longer is given up on, and the person told it may not have been saved. No limit when absent.
   */
  readonly keepWithinMs?: number;
  /**
   * Acknowledges with a short answer for the person, where the platform shows one (to whoever typed
   * the command): the cheapest way to turn a request away under load.
   */
  readonly ackWith?: (text: string) => Promise<void>;
  /**
   * Where the platform lets an acknowledgement carry the answer (as some do a command's), how long after
   * the event arrived the acknowledgement may wait for the handling: `kept` is then called when the
   * handling is done or this time has passed, whichever is first, so a quick answer rides in the
   * acknowledgement, and a sender that waits for acknowledgements is slowed to the pace Steady
   * answers at instead of piling up work nobody will see for a minute. At once when absent.
   */
  readonly answerWithinMs?: number;
}

/** How one handling of an event runs. */
interface Run {
  /** The event is kept: a failure to reach the database is retried, not the end. */
  readonly kept: boolean;
  readonly attempt: number;
  /** A dedupe key to release when the handling changed nothing. */
  readonly dedupeKey?: string | undefined;
  /** A command that only reads: failing, it changed nothing. */
  readonly readOnly?: boolean;
}

const NOT_KEPT = (reference: string) =>
  `Steady cannot reach its database right now, so nothing was done or saved. Please try again in a minute (reference ${reference}).`;
const KEPT_FOR_LATER = (reference: string) =>
  `Steady saved this but cannot finish it now: its database stopped answering. It will be done as soon as the database is back, and you will be told (reference ${reference}).`;
const somethingWrong = (reference: string) =>
  `Sorry, something went wrong on Steady's side (reference ${reference}). Please try again; if it keeps happening, give your Steady admin that reference.`;
const SLOW_TO_KEEP = (reference: string) =>
  `Steady's database is slow to answer, so this may not have been saved. If it was, it will be done within a minute and you will be told; if you hear nothing, try again (reference ${reference}).`;

class KeepTimedOut extends Error {
  override readonly name = 'KeepTimedOut';
}

/** The promise's value, or KeepTimedOut after `ms` (the work itself goes on: it cannot be called back). */
async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KeepTimedOut(`not kept within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const QUEUED = (reference: string) => `Steady is busy: this is saved and queued, and will be done in a moment (reference ${reference}).`;
const BUSY = (reference: string) =>
  `Steady is too busy to answer this right now; nothing was changed. Please try again in a minute (reference ${reference}).`;
const NOT_RUN_YET = (reference: string) => `Saved. Steady is busy; it will be done within a minute (reference ${reference}).`;

function isMessage(value: RichText | Message): value is Message {
  return typeof value === 'object' && value !== null && 'blocks' in value;
}

function done(event: InboundEvent): FormOutcome | undefined {
  return event.type === 'form' ? FORM_DONE : undefined;
}

/**
 * Routes what people do to the workflow that owns it. Every adapter calls `handle`; what a person
 * is told when something goes wrong is decided here, once, and everything is inside that promise:
 * whatever fails, the person gets an answer.
 */
export class Dispatcher {
  private readonly commands = new Map<string, Workflow>();
  private readonly actions = new Map<string, Workflow>();
  private readonly forms = new Map<string, Workflow>();
  private readonly readOnly = new Map<string, ReadonlySet<string>>();
  private readonly slots: Slots;

  constructor(
    private readonly workflows: readonly Workflow[],
    private readonly options: DispatcherOptions,
  ) {
    for (const workflow of workflows) {
      for (const name of Object.keys(workflow.commands ?? {})) this.claimName(this.commands, name, workflow, 'command');
      for (const id of Object.keys(workflow.actions ?? {})) this.claimName(this.actions, id, workflow, 'action');
      for (const id of Object.keys(workflow.forms ?? {})) this.claimName(this.forms, id, workflow, 'form');
      for (const [command, words] of Object.entries(workflow.readOnly ?? {})) this.readOnly.set(command, new Set(words));
    }
    this.slots = new Slots(options.concurrency ?? 16);
  }

  /** Commands the workflows answer, e.g. ['escalate', 'standup', …], for adapters and manifests. */
  commandNames(): string[] {
    return [...this.commands.keys()];
  }

  /**
   * Handles what a person did. An event with a key and a route is kept first (stored), then
   * acknowledged (`options.kept`), then run from the stored record; others are deduplicated by
   * key and run. A form's outcome is returned for the adapter to show.
   */
  handle(raw: InboundEvent, interaction: Interaction, options: HandleOptions = {}): Promise<FormOutcome | undefined> {
    const answerBy = options.answerWithinMs === undefined ? undefined : performance.now() + options.answerWithinMs;
    const work = () => this.keepAndHandle(cleanInboundEvent(raw), interaction, options, answerBy);
    return this.options.requestScope ? this.options.requestScope(work) : work();
  }

  private async keepAndHandle(
    event: InboundEvent,
    interaction: Interaction,
    options: HandleOptions,
    answerBy: number | undefined,
  ): Promise<FormOutcome | undefined> {
    const ctx = this.contextFor(interaction, this.logFor(event, interaction));
    const key = interaction.idempotencyKey;
    const { keeper } = this.options;
    if (this.isReadOnly(event)) {
      if (this.full()) {
        ctx.log.warn({ queued: this.slots.queued }, 'busy: a command that only reads was turned away');
        if (options.ackWith) return void (await options.ackWith(BUSY(interaction.correlationId)));
        await options.kept?.();
        await this.tell(ctx, BUSY(interaction.correlationId));
        return undefined;
      }
      return this.acknowledgedBy(answerBy, options, () =>
        this.inTurn(ctx, () => this.handleHere(event, ctx, { kept: false, attempt: 1, readOnly: true })),
      );
    }
    let id: string;
    try {
      if (keeper && interaction.route && key) {
        const keeping = keeper.keep(event, interaction, interaction.route, key);
        id = await (options.keepWithinMs === undefined ? keeping : withinDeadline(keeping, options.keepWithinMs));
      } else id = key && !(await this.options.dedupe.claim(key)) ? 'repeat' : 'here';
    } catch (err) {
      await options.kept?.();
      return this.notKept(event, ctx, err);
    }
    if (id === 'repeat') {
      await options.kept?.();
      ctx.log.info({ idempotencyKey: key }, 'repeat of an event already handled; ignored');
      return done(event);
    }
    if (id === 'here')
      return this.acknowledgedBy(answerBy, options, () =>
        this.inTurn(ctx, () => this.handleHere(event, ctx, { kept: false, attempt: 1, dedupeKey: key })),
      );
    return this.acknowledgedBy(answerBy, options, () => this.runKept(id, event, ctx));
  }

  /**
   * Starts the handling and acknowledges the event when it is done or when `answerBy` (a
   * performance.now() time) has come, whichever is first; without `answerBy`, acknowledges first.
   */
  private async acknowledgedBy<T>(answerBy: number | undefined, options: HandleOptions, work: () => Promise<T>): Promise<T> {
    if (answerBy === undefined) {
      await options.kept?.();
      return work();
    }
    const handling = work();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, answerBy - performance.now()))));
    try {
      await Promise.race([
        handling.then(
          () => undefined,
          () => undefined,
        ),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
    await options.kept?.();
    return handling;
  }

  /** Runs a kept request here, or leaves it to the scheduler when this instance is full. */
  private async runKept(id: string, event: InboundEvent, ctx: HandlerContext): Promise<FormOutcome | undefined> {
    const { keeper } = this.options;
    const { interaction } = ctx;
    if (this.full()) {
      ctx.log.warn({ queued: this.slots.queued, request: id }, 'busy: a kept request is left to the scheduler');
      await keeper!
        .leave(id)
        .catch((err: unknown) => ctx.log.warn({ err: errorMessage(err) }, 'could not hand a kept request on; it runs within seconds'));
      await this.tell(ctx, QUEUED(interaction.correlationId));
      return done(event);
    }
    const ran = await this.inTurn(ctx, () => keeper!.run(id, interaction)).catch((err: unknown) => {
      ctx.log.error({ err: errorMessage(err), request: id }, 'a kept request failed to start here');
      return { ran: false, outcome: undefined };
    });
    if (ran.ran) return ran.outcome;
    ctx.log.warn({ request: id }, 'a kept request could not run here at once; it will run shortly');
    await this.tell(ctx, NOT_RUN_YET(interaction.correlationId));
    return done(event);
  }

  /** Waits for a free slot (telling the person if the wait is long), then runs `work`. */
  private inTurn<T>(ctx: HandlerContext, work: () => Promise<T>): Promise<T> {
    let notice: NodeJS.Timeout | undefined;
    const started = () => {
      clearTimeout(notice);
      return work();
    };
    const told = this.slots.run(started, () => {
      ctx.log.info({ queued: this.slots.queued }, 'busy: the event waits for its turn');
      notice = setTimeout(() => void this.tell(ctx, QUEUED(ctx.interaction.correlationId)), this.options.queuedNoticeMs ?? 1500);
    });
    return told.finally(() => clearTimeout(notice));
  }

  private full(): boolean {
    return this.slots.queued >= (this.options.maxQueued ?? 16 * this.slots.size);
  }

  private isReadOnly(event: InboundEvent): boolean {
    return event.type === 'command' && (this.readOnly.get(event.command)?.has(splitFirstWord(event.text).word) ?? false);
  }

  /** Handles a kept request (called by the keeper's job, here or in another process). */
  handleKept(event: InboundEvent, interaction: Interaction, run: { readonly attempt: number }): Promise<FormOutcome | undefined> {
    const ctx = this.contextFor(interaction, this.logFor(event, interaction));
    return this.handleHere(event, ctx, { kept: true, attempt: run.attempt });
  }

  private async handleHere(event: InboundEvent, ctx: HandlerContext, run: Run): Promise<FormOutcome | undefined> {
    const { interaction } = ctx;
    try {
      await this.options.onActor?.(interaction);
      const route = () => this.route(event, ctx);
      const outcome = await (!run.kept && this.options.around ? this.options.around(route) : route());
      // An invalid submission changed nothing: the same values sent again must be checked again,
      // not taken for a repeat of a submission that was accepted.
      if (run.dedupeKey && outcome?.status === 'invalid') await this.options.dedupe.release(run.dedupeKey);
      return outcome;
    } catch (err) {
      if (this.options.passThrough?.(err)) throw err;
      if (run.dedupeKey)
        await this.options.dedupe
          .release(run.dedupeKey)
          .catch((e: unknown) => ctx.log.warn({ err: errorMessage(e) }, 'could not release a key'));
      return this.failed(event, ctx, run, err);
    }
  }

  /** Tells the person what went wrong, once; a kept request that met a database outage is tried again. */
  private async failed(event: InboundEvent, ctx: HandlerContext, run: Run, err: unknown): Promise<FormOutcome | undefined> {
    const reference = ctx.interaction.correlationId;
    if (err instanceof UserError) {
      ctx.log.info({ refusal: err.userMessage }, 'refused');
      await this.tell(ctx, err.text);
    } else if (err instanceof PlatformError) {
      ctx.log.warn({ code: err.code, platformCode: err.platformCode }, 'the platform refused a call made while handling');
      const what = PLATFORM_REFUSALS[err.code]?.(this.options.wording?.(ctx.interaction.actor.workspaceId) ?? {});
      await this.tell(ctx, what ? `${what} (reference ${reference})` : somethingWrong(reference));
    } else if (this.options.isUnavailable?.(err)) {
      ctx.log.warn({ err: errorMessage(err), attempt: run.attempt }, 'the database could not be reached while handling');
      if (!run.kept) {
        await this.tell(
          ctx,
          run.readOnly
            ? NOT_KEPT(reference)
            : `Steady cannot reach its database right now, so this may not have been done. Please try again in a minute (reference ${reference}).`,
        );
        return done(event);
      }
      // Said once; the answer to the request follows when a later attempt gets through.
      if (run.attempt === 1) await this.tell(ctx, KEPT_FOR_LATER(reference));
      throw err;
    } else {
      ctx.log.error({ err }, 'handling failed');
      await this.tell(ctx, somethingWrong(reference));
    }
    return done(event);
  }

  /** The event could not be stored: nothing was done, and a form stays open to be sent again. */
  private async notKept(event: InboundEvent, ctx: HandlerContext, err: unknown): Promise<FormOutcome | undefined> {
    const reference = ctx.interaction.correlationId;
    const unavailable = this.options.isUnavailable?.(err) ?? false;
    ctx.log.warn({ err: errorMessage(err), unavailable }, 'an event could not be kept; nothing was done');
    const text = err instanceof KeepTimedOut ? SLOW_TO_KEEP(reference) : unavailable ? NOT_KEPT(reference) : somethingWrong(reference);
    if (event.type === 'form') return { status: 'invalid', errors: { [FORM_PROBLEM]: text } };
    await this.tell(ctx, text);
    return undefined;
  }

  private logFor(event: InboundEvent, interaction: Interaction): Logger {
    return this.options.log.child({
      workspace: interaction.actor.workspaceId,
      user: interaction.actor.userId,
      correlationId: interaction.correlationId,
      event: event.type,
    });
  }

  /** Whether some workflow is waiting for this person's answer in their direct messages. */
  async awaitsDirectReply(actor: Actor): Promise<boolean> {
    for (const workflow of this.workflows) {
      if (workflow.awaitsDirectReply && (await workflow.awaitsDirectReply(actor))) return true;
    }
    return false;
  }

  /** A person's home view: each workflow's section, in order; a failing section is left out and logged. */
  home(actor: Actor): Promise<Message> {
    return homeView(this.workflows, actor, this.options.log);
  }

  private async route(event: InboundEvent, ctx: HandlerContext): Promise<FormOutcome | undefined> {
    switch (event.type) {
      case 'command': {
        const handler = this.commands.get(event.command)?.commands?.[event.command];
        if (!handler) throw new UserError(`I don't know the command /${event.command}. Try /steady help.`);
        ctx.log.info({ command: event.command }, 'command');
        await handler(ctx, event.text);
        return undefined;
      }
      case 'button': {
        const handler = this.actions.get(event.actionId)?.actions?.[event.actionId];
        if (!handler) throw new UserError('That button no longer does anything. Use /steady help to find what you need.');
        ctx.log.info({ action: event.actionId }, 'button');
        await handler(ctx, { value: event.value, ...(event.message ? { message: event.message } : {}) });
        return undefined;
      }
      case 'form': {
        const handler = this.forms.get(event.formId)?.forms?.[event.formId];
        if (!handler) throw new UserError('That form is no longer in use. Please start again from the command.');
        ctx.log.info({ form: event.formId }, 'form submitted');
        return await handler(ctx, { values: event.values, ...(event.state === undefined ? {} : { state: event.state }) });
      }
      case 'direct-message': {
        for (const workflow of this.workflows) {
          if (workflow.directMessage && (await workflow.directMessage(ctx, event.text))) return undefined;
        }
        await ctx.reply('Hi! I work through commands. Try /steady help to see them.');
        return undefined;
      }
    }
  }

  private contextFor(interaction: Interaction, log: Logger): HandlerContext {
    return {
      actor: interaction.actor,
      ...(interaction.conversation ? { conversation: interaction.conversation } : {}),
      log,
      interaction,
      reply: (text) => interaction.replyPrivately(isMessage(text) ? text : textMessage(text)),
      openForm: async (form) => {
        if (!interaction.openForm)
          throw new UserError('This place cannot show forms. Run the command again from a conversation with the bot.');
        await interaction.openForm(form);
      },
    };
  }

  /** Tells the person something; a failure to tell is logged (there is no one else to tell). */
  private async tell(ctx: HandlerContext, text: RichText): Promise<void> {
    try {
      await ctx.reply(text);
    } catch (err) {
      ctx.log.error({ err: errorMessage(err) }, 'could not tell the person');
    }
  }

  private claimName(map: Map<string, Workflow>, name: string, workflow: Workflow, what: string): void {
    const owner = map.get(name);
    if (owner) throw new Error(`${what} "${name}" is claimed by both ${owner.name} and ${workflow.name}`);
    map.set(name, workflow);
  }
}
