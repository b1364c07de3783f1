import { z } from 'zod';
import { PlatformError, UserError } from '../../../src/core/errors';
import { FORM_DONE, invalid, validateForm, type Form } from '../../../src/core/form';
import { actions, button, fields, header, message, section, textMessage, type Message } from '../../../src/core/message';
import type { Actor } from '../../../src/core/refs';
import { bold, channel, time, user } from '../../../src/core/rich-text';
import type { CoreServices } from '../../../src/core/services';
import type { Workflow } from '../../../src/core/workflow';
import type { JobKind } from '../../../src/scheduler/job';

/**
 * A small workflow written against the neutral core only, as the real ones are, to drive the
 * Slack adapter through every kind of exchange: a form, a card with buttons, a card update, a
 * thread reply, a direct message, a job that posts, the home view.
 */
export interface ProbeItem {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  readonly raiser: Actor;
  readonly due: Date;
  readonly zone: string;
  card?: string;
  acknowledgedBy?: string;
}

export class ProbeState {
  readonly items = new Map<string, ProbeItem>();
  acks = 0;
  pings = 0;
  private release?: () => void;
  /** Commands and forms that wait for `open()`. */
  gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  open(): void {
    this.release?.();
  }
}

const raiseSchema = z.object({
  title: z.string({ error: 'Give it a title.' }).trim().min(1, { error: 'Give it a title.' }),
  owner: z.string({ error: 'Choose an owner.' }),
  due: z.iso.datetime({ error: 'Choose a due time.' }).transform((s) => new Date(s)),
  severity: z.enum(['high', 'low']).default('low'),
  notify: z.boolean().default(false),
});

const postJob = z.object({ workspaceId: z.string(), userId: z.string(), channel: z.string(), text: z.string() });

export function probeWorkflow(services: CoreServices, state: ProbeState): Workflow {
  const card = (item: ProbeItem): Message =>
    message(
      [
        header(`Probe: ${item.title}`),
        fields({ label: 'Owner', value: [user(item.owner)] }, { label: 'Due', value: [time(item.due, item.zone)] }),
        item.acknowledgedBy
          ? section(['Acknowledged by ', user(item.acknowledgedBy)])
          : actions(button('Acknowledge', 'probe.ack', item.id, 'primary'), button('Ping', 'probe.ping', item.id)),
      ],
      `Probe: ${item.title}`,
    );

  const raiseForm = async (actor: Actor): Promise<Form> => ({
    formId: 'probe.raise',
    title: 'Raise a probe',
    submitLabel: 'Raise',
    state: 'from-command',
    fields: [
      { id: 'title', kind: 'text', label: 'Title', required: true, maxLength: 150 },
      { id: 'owner', kind: 'user', label: 'Owner', required: true },
      { id: 'due', kind: 'datetime', label: 'Due', required: true, zone: await services.people.zoneOf(actor.workspaceId, actor.userId) },
      {
        id: 'severity',
        kind: 'select',
        label: 'Severity',
        required: true,
        options: [
          { value: 'high', label: 'High' },
          { value: 'low', label: 'Low' },
        ],
        initial: 'low',
      },
      { id: 'notify', kind: 'checkbox', label: 'Tell the owner', required: false },
    ],
  });

  const post: JobKind<z.output<typeof postJob>> = {
    kind: 'probe.post',
    payload: postJob,
    async run(p) {
      try {
        await services.platforms.for(p.channel).post(p.channel, textMessage(p.text));
      } catch (err) {
        if (err instanceof PlatformError && !err.retryable) {
          await services.problems.reportOnce({
            key: `probe:post:${p.channel}`,
            workspaceId: p.workspaceId,
            userId: p.userId,
            text: ['I could not post in ', channel(p.channel), ` (${err.code}). Invite me there or pick another channel.`],
          });
        }
        throw err;
      }
    },
  };

  return {
    name: 'probe',
    help: ['/probe form|slow|later #channel|whoami: exercise the adapter'],
    jobs: [post],
    commands: {
      probe: async (ctx, text) => {
        const [word, ...rest] = text.split(/\s+/);
        switch (word) {
          case 'form':
            await ctx.openForm(await raiseForm(ctx.actor));
            return;
          case 'slowform':
            await ctx.openForm({
              formId: 'probe.slow',
              title: 'Slow',
              fields: [{ id: 'title', kind: 'text', label: 'Title', required: true }],
            });
            return;
          case 'slow':
            await state.gate;
            await ctx.reply('Done at last.');
            return;
          case 'later': {
            const target = /^<#([^>]+)>$/.exec(rest[0] ?? '')?.[1];
            if (!target) throw new UserError('Say where: /probe later #channel');
            await services.scheduler.enqueue({
              kind: 'probe.post',
              payload: { workspaceId: ctx.actor.workspaceId, userId: ctx.actor.userId, channel: target, text: 'A scheduled hello' },
              runAt: services.clock.now(),
            });
            await ctx.reply(['I will post in ', channel(target), '.']);
            return;
          }
          case 'whoami': {
            const person = await services.people.get(ctx.actor.workspaceId, ctx.actor.userId);
            await ctx.reply(['You are ', user(ctx.actor.userId), ` (${person?.displayName}, ${person?.timeZone}).`]);
            return;
          }
          default:
            throw new UserError('Try /probe form.');
        }
      },
    },
    forms: {
      'probe.raise': async (ctx, submission) => {
        const parsed = validateForm(raiseSchema, submission.values);
        if (!parsed.ok) return invalid(parsed.errors);
        if (parsed.value.due.getTime() <= services.clock.now().getTime()) return invalid({ due: 'The due time must be in the future.' });
        if (submission.state !== 'from-command') return invalid({ _form: 'This form lost its way.' });
        if (!ctx.conversation) throw new UserError('Raise it from a channel.');
        const item: ProbeItem = {
          id: String(state.items.size + 1),
          title: parsed.value.title,
          owner: parsed.value.owner,
          raiser: ctx.actor,
          due: parsed.value.due,
          zone: await services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId),
        };
        state.items.set(item.id, item);
        item.card = await services.platforms.for(ctx.conversation).post(ctx.conversation, card(item));
        await ctx.reply(['Raised ', bold(item.title), '.']);
        return FORM_DONE;
      },
      'probe.slow': async () => {
        await state.gate;
        return invalid({ title: 'Too slow to say.' });
      },
    },
    actions: {
      'probe.ack': async (ctx, press) => {
        const item = state.items.get(press.value);
        if (!item) throw new UserError('That probe is gone.');
        if (item.acknowledgedBy) throw new UserError('Already acknowledged.');
        state.acks++;
        item.acknowledgedBy = ctx.actor.userId;
        const platform = services.platforms.for(item.card!);
        await platform.update(press.message ?? item.card!, card(item));
        await platform.post(ctx.conversation!, textMessage(['Acknowledged by ', user(ctx.actor.userId), '.']), { threadOf: item.card! });
        await platform.postDirect(
          item.raiser.workspaceId,
          item.raiser.userId,
          textMessage(['Your probe ', bold(item.title), ' was acknowledged by ', user(ctx.actor.userId), '.']),
        );
      },
      'probe.ping': async (ctx, press) => {
        state.pings++;
        await services.platforms
          .for(press.message!)
          .post(ctx.conversation!, textMessage(['Ping from ', user(ctx.actor.userId)]), { threadOf: press.message! });
      },
      'probe.ackall': async (ctx) => {
        for (const item of state.items.values()) if (item.owner === ctx.actor.userId) item.acknowledgedBy = ctx.actor.userId;
        await ctx.reply('All acknowledged.');
      },
    },
    directMessage: async (ctx, text) => {
      if (!text.startsWith('echo ')) return false;
      await ctx.reply(`You said: ${text.slice(5)}`);
      return true;
    },
    home: async (actor) => {
      const mine = [...state.items.values()].filter((i) => i.owner === actor.userId && !i.acknowledgedBy);
      if (mine.length === 0) return [];
      return [section([bold('Probes you own: '), String(mine.length)]), actions(button('Acknowledge all', 'probe.ackall', 'all'))];
    },
  };
}
