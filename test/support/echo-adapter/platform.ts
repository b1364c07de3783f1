import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { platformModule, type PlatformModule } from '../../../src/adapter';
import type { Form, FormOutcome, FormValues } from '../../../src/core/form';
import type { InboundEvent, Interaction } from '../../../src/core/inbound';
import { section } from '../../../src/core/message';
import { intentOf } from '../../../src/core/typed-command';
import type { Steady } from '../../../src/steady';
import { initialValues } from '../harness';
import { ECHO_WORKSPACE, EchoPlatform } from './echo-platform';
import { echoMigrations } from './storage/migrations';
import type { Db } from '../../../db/schema';

const echoEnv = z.object({
  ECHO: z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default('off'),
  /** Checked, and kept secret, as a real platform's credential would be. */
  ECHO_TOKEN: z
    .string()
    .regex(/^echo-/, { error: 'must start with echo-' })
    .optional(),
});

/**
 * A fourth platform, for tests only: a chat held in memory where a test types as people, and whose
 * transcript is a table of its own. It is one folder and one descriptor (`module`), given to
 * `start()` in one line beside the real ones, to show that adding a platform changes nothing in the core.
 */
export class EchoChat {
  private running?: { readonly steady: Steady; readonly db: Db };
  private readonly forms = new Map<string, Form>();

  readonly module: PlatformModule = platformModule({
    name: 'echo',
    env: echoEnv,
    secrets: ['ECHO_TOKEN'],
    problems: (raw) => (raw.ECHO === 'on' && !raw.ECHO_TOKEN ? ['ECHO_TOKEN is required when ECHO is on'] : []),
    enabled: (env) => env.ECHO === 'on',
    create: async ({ steady, db }) => {
      this.running = { steady, db };
      return { platform: new EchoPlatform(db) };
    },
    migrations: echoMigrations,
  });

  /** What `userId` types in a conversation (`#ops`), read as every platform without slash commands reads it. */
  async type(userId: string, text: string, where = '#general'): Promise<FormOutcome | undefined> {
    const { steady } = this.started();
    const intent = intentOf(text, { commands: steady.dispatcher.commandNames(), personal: false });
    const event: InboundEvent = intent.kind === 'home' ? { type: 'command', command: 'steady', text: 'home' } : intent.event;
    return this.send(userId, event, `echo:${where}`);
  }

  /** Submits the form `userId` has open, its initial values overridden by `values`. */
  async submit(userId: string, values: FormValues): Promise<FormOutcome | undefined> {
    const form = this.forms.get(userId);
    if (!form) throw new Error(`${userId} has no open form`);
    return this.send(userId, {
      type: 'form',
      formId: form.formId,
      values: { ...initialValues(form), ...values },
      ...(form.state === undefined ? {} : { state: form.state }),
    });
  }

  /** Runs what is due now (the background pool would, a moment later). */
  async tick(): Promise<void> {
    await this.started().steady.scheduler.tick();
  }

  /** Everything shown so far, as `kind to: text` lines. */
  async transcript(): Promise<string[]> {
    const rows = await this.started().db.selectFrom('echo_transcript').selectAll().orderBy('id').execute();
    return rows.map((r) => `${r.kind} ${r.to}: ${r.text}`);
  }

  private send(userId: string, event: InboundEvent, conversation?: string): Promise<FormOutcome | undefined> {
    const { steady, db } = this.started();
    const platform = new EchoPlatform(db);
    const interaction: Interaction = {
      actor: { workspaceId: ECHO_WORKSPACE, userId },
      ...(conversation ? { conversation } : {}),
      correlationId: randomUUID().slice(0, 8),
      replyPrivately: async (message) => {
        await platform.record('private', userId, message);
      },
      openForm: async (form) => {
        this.forms.set(userId, form);
        await platform.record('private', userId, { blocks: [section(`Form: ${form.title}`)] });
      },
    };
    return steady.dispatcher.handle(event, interaction);
  }

  private started(): { readonly steady: Steady; readonly db: Db } {
    if (!this.running) throw new Error('the echo platform has not been started (ECHO=on)');
    return this.running;
  }
}
