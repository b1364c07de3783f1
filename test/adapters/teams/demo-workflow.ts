import { z } from 'zod';
import { mentionsIn, splitFirstWord } from '../../../src/core/command-text';
import { parseDuration } from '../../../src/core/duration';
import { PlatformError, UserError } from '../../../src/core/errors';
import { FORM_DONE, invalid, validateForm, type Form } from '../../../src/core/form';
import { actions, button, context, fields, header, message, section, textMessage, type Message } from '../../../src/core/message';
import { bold, channel, time, user } from '../../../src/core/rich-text';
import type { CoreServices } from '../../../src/core/services';
import type { Workflow } from '../../../src/core/workflow';
import type { JobKind } from '../../../src/scheduler/job';
import { withGeneral } from '../../support/with-general';

/**
 * A small workflow that uses every ability of the port, for the Teams adapter's tests: a form with
 * every field kind, a card with buttons that is updated in place and answered in its thread, a
 * direct message, a scheduled reminder and a problem reported to the person who asked.
 */
export interface DemoLog {
  readonly commands: string[];
  readonly submissions: Record<string, unknown>[];
  readonly directMessages: string[];
  readonly presses: { actionId: string; value: string; message?: string; by: string }[];
  /** References of the ticket cards posted. */
  readonly tickets: string[];
}

const ticketSchema = z.object({
  title: z.string({ error: 'Give the ticket a title.' }).min(3, { error: 'Give the ticket a title of at least 3 characters.' }),
  details: z.string().optional(),
  owner: z.string({ error: 'Choose an owner.' }),
  watchers: z.array(z.string()).optional(),
  due: z.iso.datetime({ error: 'Choose when it is due.' }),
  channel: z.string().optional(),
  priority: z.enum(['low', 'high']).optional(),
  labels: z.array(z.string()).optional(),
  urgent: z.boolean().optional(),
  start: z.string().optional(),
  at: z.string().optional(),
});

export function demoWorkflows(log: DemoLog) {
  return (services: CoreServices): Workflow[] => withGeneral(services, [demoWorkflow(services, log)]);
}

export function emptyDemoLog(): DemoLog {
  return { commands: [], submissions: [], directMessages: [], presses: [], tickets: [] };
}

function ticketCard(title: string, owner: string, due: Date, zone: string, state: 'open' | 'acknowledged', by?: string): Message {
  return message([
    header(`Ticket: ${title}`),
    fields(
      { label: 'Owner', value: [user(owner)] },
      { label: 'Due', value: [time(due, zone)] },
      { label: 'State', value: state === 'open' ? 'Open' : [bold('Acknowledged'), ' by ', user(by!)] },
    ),
    ...(state === 'open'
      ? [
          actions(
            button('Acknowledge', 'demo.ack', `${title}|${owner}|${due.toISOString()}`, 'primary'),
            button('Close', 'demo.close', title, 'danger'),
          ),
        ]
      : []),
    context('Demo tickets are for tests.'),
  ]);
}

function ticketForm(zone: string, title: string, where?: string): Form {
  return {
    formId: 'demo.ticket',
    title: 'New ticket',
    submitLabel: 'Create ticket',
    intro: 'Tell us what is wrong.',
    state: 'v1',
    fields: [
      { id: 'title', kind: 'text', label: 'Title', required: true, initial: title, maxLength: 80 },
      { id: 'details', kind: 'text', label: 'Details', required: false, multiline: true },
      { id: 'owner', kind: 'user', label: 'Owner', required: true },
      { id: 'watchers', kind: 'users', label: 'Watchers', required: false },
      { id: 'due', kind: 'datetime', label: 'Due', required: true, zone },
      { id: 'channel', kind: 'channel', label: 'Post in', required: false, ...(where ? { initial: where } : {}) },
      {
        id: 'priority',
        kind: 'select',
        label: 'Priority',
        required: false,
        options: [
          { value: 'low', label: 'Low' },
          { value: 'high', label: 'High' },
        ],
        initial: 'low',
      },
      {
        id: 'labels',
        kind: 'multiselect',
        label: 'Labels',
        required: false,
        options: [
          { value: 'hw', label: 'Hardware' },
          { value: 'sw', label: 'Software' },
          { value: 'net', label: 'Network' },
        ],
      },
      { id: 'urgent', kind: 'checkbox', label: 'Urgent', required: false },
      { id: 'start', kind: 'date', label: 'Start date', required: false },
      { id: 'at', kind: 'time', label: 'Start time', required: false, hint: '24-hour clock' },
    ],
  };
}

function demoWorkflow(services: CoreServices, log: DemoLog): Workflow {
  const remind: JobKind<{ workspaceId: string; userId: string; text: string }> = {
    kind: 'demo.remind',
    payload: z.object({ workspaceId: z.string(), userId: z.string(), text: z.string() }),
    run: async (p) => {
      await services.platforms.for(p.workspaceId).postDirect(p.workspaceId, p.userId, textMessage(['Reminder: ', bold(p.text)]));
    },
  };
  return {
    name: 'demo',
    help: ['demo form|remind <duration> <text>|dm @someone|echo <text>: the demo workflow'],
    jobs: [remind],
    home: async (actor) => [section(['Demo home for ', user(actor.userId)])],
    commands: {
      demo: async (ctx, text) => {
        log.commands.push(text);
        const { word, rest } = splitFirstWord(text);
        switch (word) {
          case 'form':
            await ctx.openForm(ticketForm(await services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId), rest, ctx.conversation));
            return;
          case 'remind': {
            const { word: span, rest: what } = splitFirstWord(rest);
            const ms = parseDuration(span);
            if (!ms) throw new UserError('Say how long, e.g. demo remind 30m Stand-up notes.');
            await services.scheduler.enqueue({
              kind: 'demo.remind',
              payload: { ...ctx.actor, text: what || 'something' },
              runAt: new Date(services.clock.now().getTime() + ms),
            });
            await ctx.reply(`I will remind you in ${span}.`);
            return;
          }
          case 'dm': {
            const [target] = mentionsIn(rest);
            if (!target) throw new UserError('Mention someone: demo dm @Bob.');
            try {
              await services.platforms
                .for(ctx.actor.workspaceId)
                .postDirect(ctx.actor.workspaceId, target, textMessage([user(ctx.actor.userId), ' says hello.']));
              await ctx.reply('Sent.');
            } catch (err) {
              if (!(err instanceof PlatformError) || err.code !== 'NOT_FOUND') throw err;
              await services.problems.reportOnce({
                key: `demo:unreachable:${target}`,
                workspaceId: ctx.actor.workspaceId,
                userId: ctx.actor.userId,
                text: err.message,
              });
            }
            return;
          }
          case 'echo': {
            const parts = rest
              .split(/(<@[^>]+>)/)
              .filter(Boolean)
              .map((part) => {
                const id = /^<@([^>]+)>$/.exec(part)?.[1];
                return id ? user(id) : part;
              });
            await ctx.reply(['You said: ', ...parts]);
            return;
          }
          default:
            throw new UserError('Try demo form, demo remind 30m, demo dm @Bob or demo echo.');
        }
      },
    },
    forms: {
      'demo.ticket': async (ctx, submission) => {
        const checked = validateForm(ticketSchema, submission.values);
        if (!checked.ok) return invalid(checked.errors);
        const due = new Date(checked.value.due);
        if (due.getTime() <= services.clock.now().getTime()) return invalid({ due: 'The due time must be in the future.' });
        log.submissions.push({ ...checked.value, state: submission.state, conversation: ctx.conversation });
        const to = checked.value.channel ?? ctx.conversation!;
        const zone = await services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
        log.tickets.push(
          await services.platforms.for(to).post(to, ticketCard(checked.value.title, checked.value.owner, due, zone, 'open')),
        );
        await services.platforms
          .for(ctx.actor.workspaceId)
          .postDirect(
            ctx.actor.workspaceId,
            checked.value.owner,
            textMessage(['You own the ticket ', bold(checked.value.title), ' in ', channel(to)]),
          );
        return FORM_DONE;
      },
    },
    actions: {
      'demo.ack': async (ctx, press) => {
        log.presses.push({
          actionId: 'demo.ack',
          value: press.value,
          ...(press.message ? { message: press.message } : {}),
          by: ctx.actor.userId,
        });
        const [title, owner, due] = press.value.split('|');
        const zone = await services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
        const platform = services.platforms.for(press.message!);
        await platform.update(press.message!, ticketCard(title!, owner!, new Date(due!), zone, 'acknowledged', ctx.actor.userId));
        await platform.post(ctx.conversation!, textMessage([user(ctx.actor.userId), ' acknowledged it.']), { threadOf: press.message! });
      },
      'demo.close': async (ctx, press) => {
        log.presses.push({ actionId: 'demo.close', value: press.value, by: ctx.actor.userId });
        await ctx.reply(['Closing ', bold(press.value), ' is not possible in the demo.']);
      },
    },
    directMessage: async (ctx, text) => {
      log.directMessages.push(text);
      await ctx.reply(['Noted: ', text]);
      return true;
    },
  };
}
