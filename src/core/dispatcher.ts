import type { Logger } from 'pino';
import { cleanInboundEvent } from './clean-text';
import { PlatformError, UserError, errorMessage, type PlatformErrorCode } from './errors';
import { FORM_DONE, type FormOutcome } from './form';
import type { InboundEvent, Interaction } from './inbound';
import { divider, textMessage, type Block, type Message } from './message';
import type { Actor } from './refs';
import type { RichText } from './rich-text';
import type { HandlerContext, Workflow } from './workflow';

/** What to tell a person when the platform refused something Steady did for them. */
const PLATFORM_REFUSALS: Record<PlatformErrorCode, string | undefined> = {
  PERMISSION: 'Steady is not allowed to post there. Add Steady to that conversation (in Slack: /invite @Steady; in Teams: add the app to the team or chat) and try again.',
  NOT_FOUND: 'Steady could not find that conversation or person: it may have been deleted, archived, or left. Pick another and try again.',
  RATE_LIMITED: 'The chat platform asked Steady to slow down. Nothing was lost; please try again in a minute.',
  UNAVAILABLE: 'The chat platform did not answer. Please try again in a minute.',
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

export interface DispatcherOptions {
  readonly log: Logger;
  readonly dedupe: InboundDedupe;
  /** Called before each event with the person who acted (keeps the people directory fresh). */
  readonly onActor?: (interaction: Interaction) => Promise<void>;
  /**
   * Wraps each event's handling; the core passes the scheduler's `runOwn`, so the jobs an event
   * enqueued (the owner's direct message after /escalate) run at once, here, and nobody else's do.
   */
  readonly around?: <T>(work: () => Promise<T>) => Promise<T>;
}

function isMessage(value: RichText | Message): value is Message {
  return typeof value === 'object' && value !== null && 'blocks' in value;
}

/**
 * Routes what people do to the workflow that owns it. Every adapter calls `handle`; what a person
 * is told when something goes wrong is decided here, once.
 */
export class Dispatcher {
  private readonly commands = new Map<string, Workflow>();
  private readonly actions = new Map<string, Workflow>();
  private readonly forms = new Map<string, Workflow>();

  constructor(
    private readonly workflows: readonly Workflow[],
    private readonly options: DispatcherOptions,
  ) {
    for (const workflow of workflows) {
      for (const name of Object.keys(workflow.commands ?? {})) this.claimName(this.commands, name, workflow, 'command');
      for (const id of Object.keys(workflow.actions ?? {})) this.claimName(this.actions, id, workflow, 'action');
      for (const id of Object.keys(workflow.forms ?? {})) this.claimName(this.forms, id, workflow, 'form');
    }
  }

  /** Commands the workflows answer, e.g. ['escalate', 'standup', …], for adapters and manifests. */
  commandNames(): string[] {
    return [...this.commands.keys()];
  }

  async handle(raw: InboundEvent, interaction: Interaction): Promise<FormOutcome | undefined> {
    const event = cleanInboundEvent(raw);
    const log = this.options.log.child({
      workspace: interaction.actor.workspaceId,
      user: interaction.actor.userId,
      correlationId: interaction.correlationId,
      event: event.type,
    });
    const key = interaction.idempotencyKey;
    if (key && !(await this.options.dedupe.claim(key))) {
      log.info({ idempotencyKey: key }, 'repeat of an event already handled; ignored');
      return event.type === 'form' ? FORM_DONE : undefined;
    }
    const ctx = this.contextFor(interaction, log);
    try {
      await this.options.onActor?.(interaction);
      const route = () => this.route(event, ctx);
      const outcome = await (this.options.around ? this.options.around(route) : route());
      // An invalid submission changed nothing: the same values sent again must be checked again,
      // not taken for a repeat of a submission that was accepted.
      if (key && outcome?.status === 'invalid') await this.options.dedupe.release(key);
      return outcome;
    } catch (err) {
      if (key) await this.options.dedupe.release(key);
      if (err instanceof UserError) {
        log.info({ refusal: err.userMessage }, 'refused');
        await ctx.reply(err.userMessage);
        return event.type === 'form' ? FORM_DONE : undefined;
      }
      if (err instanceof PlatformError) {
        log.warn({ code: err.code, platformCode: err.platformCode }, 'the platform refused a call made while handling');
        await this.tellAboutFailure(ctx, interaction.correlationId, PLATFORM_REFUSALS[err.code]);
        return event.type === 'form' ? FORM_DONE : undefined;
      }
      log.error({ err }, 'handling failed');
      await this.tellAboutFailure(ctx, interaction.correlationId);
      return event.type === 'form' ? FORM_DONE : undefined;
    }
  }

  /** Whether some workflow is waiting for this person's answer in their direct messages. */
  async awaitsDirectReply(actor: Actor): Promise<boolean> {
    for (const workflow of this.workflows) {
      if (workflow.awaitsDirectReply && (await workflow.awaitsDirectReply(actor))) return true;
    }
    return false;
  }

  /** A person's home view: each workflow's section, in order; a failing section is left out and logged. */
  async home(actor: Actor): Promise<Message> {
    const blocks: Block[] = [];
    for (const workflow of this.workflows) {
      if (!workflow.home) continue;
      try {
        const section = await workflow.home(actor);
        if (section.length && blocks.length) blocks.push(divider);
        blocks.push(...section);
      } catch (err) {
        this.options.log.error({ workspace: actor.workspaceId, user: actor.userId, workflow: workflow.name, err: errorMessage(err) }, 'home section failed');
      }
    }
    if (blocks.length === 0) blocks.push({ type: 'section', text: 'Nothing needs you right now. Try /steady help to see what Steady does.' });
    return { blocks, fallback: 'Your Steady home' };
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
        if (!interaction.openForm) throw new UserError('This place cannot show forms. Run the command again from a conversation with the bot.');
        await interaction.openForm(form);
      },
    };
  }

  private async tellAboutFailure(ctx: HandlerContext, correlationId: string, what?: string): Promise<void> {
    try {
      await ctx.reply(
        what
          ? `${what} (reference ${correlationId})`
          : `Sorry, something went wrong on Steady's side (reference ${correlationId}). Please try again; if it keeps happening, give your Steady admin that reference.`,
      );
    } catch (err) {
      ctx.log.error({ err: errorMessage(err) }, 'could not tell the person about a failure');
    }
  }

  private claimName(map: Map<string, Workflow>, name: string, workflow: Workflow, what: string): void {
    const owner = map.get(name);
    if (owner) throw new Error(`${what} "${name}" is claimed by both ${owner.name} and ${workflow.name}`);
    map.set(name, workflow);
  }
}
