import { randomUUID } from 'node:crypto';
import { FakeClock } from '../../src/core/clock';
import type { Message } from '../../src/core/message';
import { visibleText } from './visible-text';
import type { Form, FormOutcome, FormValues } from '../../src/core/form';
import type { InboundEvent, Interaction } from '../../src/core/inbound';
import { Platforms } from '../../src/core/platform';
import type { Button } from '../../src/core/message';
import { advanceThrough } from '../../src/scheduler/advance';
import { createSteady, type Steady, type SteadyOptions } from '../../src/steady';
import type { TestDatabase } from './database';
import { silentLog } from './database';
import { RecordingPlatform, type Sent } from './recording-platform';

export const WORKSPACE = 'test:W1';

/**
 * Steady on a real database with a fake clock and a recording platform, so workflow tests read like
 * a conversation: `await h.as('alice').command('escalate', 'Printer down')`, then look at what the
 * bot sent (`h.platform.sent`), what alice was told privately, which form opened.
 */
export class Harness {
  readonly clock: FakeClock;
  readonly platform: RecordingPlatform;
  readonly steady: Steady;
  /** Private replies per user, in order. */
  readonly replies = new Map<string, string[]>();
  /** Forms opened per user; the last one is the open one. */
  readonly forms = new Map<string, Form[]>();

  constructor(
    readonly database: TestDatabase,
    options: {
      readonly start?: string;
      readonly people?: ConstructorParameters<typeof RecordingPlatform>[1];
      readonly steady?: Partial<SteadyOptions>;
    } = {},
  ) {
    this.clock = new FakeClock(options.start ?? '2026-11-30T08:00:00Z');
    this.platform = new RecordingPlatform('test', options.people ?? {});
    const platforms = new Platforms();
    platforms.register(this.platform);
    this.steady = createSteady({ db: database.db, clock: this.clock, log: silentLog, platforms, ...options.steady });
  }

  as(userId: string, conversation = 'test:C-general'): Actor {
    return new Actor(this, userId, conversation);
  }

  /** Runs the scheduler until `until` (an ISO instant or a duration in ms from now), stopping at each due moment. */
  async advance(until: string | number): Promise<void> {
    const target = typeof until === 'number' ? new Date(this.clock.now().getTime() + until) : new Date(until);
    await advanceThrough(this.steady.scheduler, this.clock, target);
  }

  /** Runs whatever is due now. */
  async tick(): Promise<void> {
    await this.steady.scheduler.tick();
  }

  repliesTo(userId: string): string[] {
    return this.replies.get(userId) ?? [];
  }

  lastForm(userId: string): Form | undefined {
    const forms = this.forms.get(userId);
    return forms?.[forms.length - 1];
  }

  /** Everything sent, as plain text, to a person (direct messages) or a conversation (posts). */
  sentTo(target: string): string[] {
    return this.platform.to(target);
  }

  /** The buttons of a message the bot sent. */
  buttonsOf(sent: Sent): Button[] {
    return sent.message.blocks.flatMap((b) => (b.type === 'actions' ? [...b.buttons] : []));
  }
}

export class Actor {
  constructor(
    private readonly h: Harness,
    readonly userId: string,
    readonly conversation: string,
  ) {}

  in(conversation: string): Actor {
    return new Actor(this.h, this.userId, conversation);
  }

  command(command: string, text = '', idempotencyKey?: string): Promise<FormOutcome | undefined> {
    return this.send({ type: 'command', command, text }, idempotencyKey);
  }

  press(button: Pick<Button, 'actionId' | 'value'>, message?: string): Promise<FormOutcome | undefined> {
    return this.send({ type: 'button', actionId: button.actionId, value: button.value, ...(message ? { message } : {}) });
  }

  /** Submits the form this person has open, with its initial values overridden by `values`. */
  async submit(values: FormValues, form = this.h.lastForm(this.userId)): Promise<FormOutcome | undefined> {
    if (!form) throw new Error(`${this.userId} has no open form`);
    return this.send({
      type: 'form',
      formId: form.formId,
      values: { ...initialValues(form), ...values },
      ...(form.state === undefined ? {} : { state: form.state }),
    });
  }

  /** Submits values to a form by id, with any state: what a forged or stale submission would send. */
  submitTo(formId: string, values: FormValues, state?: string): Promise<FormOutcome | undefined> {
    return this.send({ type: 'form', formId, values, ...(state === undefined ? {} : { state }) });
  }

  directMessage(text: string): Promise<FormOutcome | undefined> {
    return this.send({ type: 'direct-message', text });
  }

  private send(event: InboundEvent, idempotencyKey?: string): Promise<FormOutcome | undefined> {
    const h = this.h;
    const interaction: Interaction = {
      actor: { workspaceId: WORKSPACE, userId: this.userId },
      conversation: this.conversation,
      correlationId: randomUUID().slice(0, 8),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      replyPrivately: async (message: Message) => {
        h.replies.set(this.userId, [...h.repliesTo(this.userId), visibleText(message)]);
      },
      openForm: async (form: Form) => {
        h.forms.set(this.userId, [...(h.forms.get(this.userId) ?? []), form]);
      },
    };
    return h.steady.dispatcher.handle(event, interaction);
  }
}

/** The values a form would submit untouched, as adapters normalise them. */
export function initialValues(form: Form): FormValues {
  const values: Record<string, unknown> = {};
  for (const field of form.fields) {
    if (field.initial === undefined) continue;
    values[field.id] = field.initial instanceof Date ? field.initial.toISOString() : field.initial;
  }
  return values as FormValues;
}
