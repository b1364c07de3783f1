import { parseMention, splitFirstWord } from '../core/command-text';
import { parseDuration } from '../core/duration';
import { FORM_DONE, invalid, validateForm, type FormOutcome, type FormValues } from '../core/form';
import type { Actor } from '../core/refs';
import { bold, time, user, type Span } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { fromLocal, isLocalDate, isLocalTime } from '../core/zoned-time';
import { findEscalation, findEscalationByNumber } from '../storage/escalation/escalations-repository';
import { listEvents } from '../storage/escalation/events-repository';
import { stateRefusal, type EscalationActions } from './actions';
import { workUsage } from './commands/parse';
import type { EscalationDeps } from './deps';
import { cancelForm, dueForm, reassignForm, reopenForm, resolveForm, updateForm } from './forms/escalation';
import { showMessage } from './messages/views';
import type { Escalation } from './model';
import { ACTION_VERBS, permissionFor, type WorkAction } from './permissions';
import { UserError } from '../core/errors';
import { cancelSchema, dueSchema, reassignSchema, reopenSchema, resolveSchema, updateSchema } from './schemas';
import { loadSettings } from './settings';

/**
 * The same work done from a command (`/escalate resolve ESC-3 …`), a button on a card or message,
 * or the form a button opens: find the escalation, check early what the service checks again under
 * its lock, do it, and tell the person what happened.
 */
export class Work {
  constructor(
    private readonly deps: EscalationDeps,
    private readonly actions: EscalationActions,
  ) {}

  async byNumber(actor: Actor, number: number): Promise<Escalation> {
    const e = await findEscalationByNumber(this.deps.services.db, actor.workspaceId, number);
    if (!e) throw new UserError(`There is no ESC-${number} in this workspace. /escalate list shows the open ones.`);
    return e;
  }

  async byId(actor: Actor, id: string): Promise<Escalation> {
    const e = await findEscalation(this.deps.services.db, actor.workspaceId, id);
    if (!e) throw new UserError('That escalation does not exist in this workspace. /escalate list shows the open ones.');
    return e;
  }

  private zone(actor: Actor): Promise<string> {
    return this.deps.services.people.zoneOf(actor.workspaceId, actor.userId);
  }

  async show(ctx: HandlerContext, e: Escalation): Promise<void> {
    const events = await listEvents(this.deps.services.db, e.id);
    await ctx.reply(showMessage(e, events, await this.zone(ctx.actor), this.deps.services.clock.now()));
  }

  /** Refuses before a form is opened, so nobody fills one in for nothing. */
  private async precheck(actor: Actor, e: Escalation, action: WorkAction): Promise<void> {
    const refusal = stateRefusal(action, e, this.deps.services.clock.now(), await this.zone(actor));
    if (refusal) throw new UserError(refusal);
    const permission = permissionFor(action, e, actor.userId, await this.deps.services.admins.isAdmin(actor));
    if (!permission.allowed) throw new UserError(['Only ', ...permission.who, ` can ${ACTION_VERBS[action]} ${e.reference}.`]);
  }

  /** A button or a command without its text: acknowledge at once, or open the form. */
  async start(ctx: HandlerContext, e: Escalation, action: WorkAction): Promise<void> {
    await this.precheck(ctx.actor, e, action);
    const zone = await this.zone(ctx.actor);
    switch (action) {
      case 'acknowledge':
        return this.acknowledge(ctx, e);
      case 'update':
        return ctx.openForm(updateForm(e));
      case 'reassign':
        return ctx.openForm(reassignForm(e));
      case 'change-due':
        return ctx.openForm(dueForm(e, zone));
      case 'resolve':
        return ctx.openForm(resolveForm(e));
      case 'cancel':
        return ctx.openForm(cancelForm(e));
      case 'reopen':
        return ctx.openForm(reopenForm(e, zone, await loadSettings(this.deps.services.db, ctx.actor.workspaceId)));
    }
  }

  async acknowledge(ctx: HandlerContext, e: Escalation): Promise<void> {
    const after = await this.actions.acknowledge(ctx.actor, e.id);
    const stops = after.policy && after.policy.levels.length > 0 ? ' The escalation policy stops here.' : '';
    await ctx.reply([`You acknowledged `, bold(after.reference), `: ${after.title}.${stops}`]);
  }

  /** `/escalate <verb> ESC-12 <rest>`: done at once when the text says enough, else the form. */
  async command(ctx: HandlerContext, number: number, action: WorkAction, rest: string): Promise<void> {
    const e = await this.byNumber(ctx.actor, number);
    if (action === 'acknowledge' || !rest) return this.start(ctx, e, action);
    await this.finish(ctx, action, e.id, await this.commandValues(ctx.actor, action, rest), 'command');
  }

  /** The text after the reference, as the values the action's form would have. */
  private async commandValues(actor: Actor, action: Exclude<WorkAction, 'acknowledge'>, rest: string): Promise<FormValues> {
    switch (action) {
      case 'update':
        return { text: rest };
      case 'resolve':
        return { resolution: rest };
      case 'cancel':
      case 'reopen':
        return { reason: rest };
      case 'reassign': {
        const { typed, rest: reason } = splitFirstWord(rest);
        const to = parseMention(typed);
        if (!to) throw new UserError(`Name the new owner as a mention: ${workUsage('reassign')}.`);
        return { owner: to, reason };
      }
      case 'change-due': {
        const parsed = await this.readDue(actor, rest);
        if (!parsed)
          throw new UserError(
            `Give the new due time as +4h (from now) or YYYY-MM-DD HH:MM (your time), then the reason: ${workUsage('change-due')}.`,
          );
        if (!parsed.reason) throw new UserError(`Give a reason for the new due time: ${workUsage('change-due')}.`);
        return { due: parsed.due.toISOString(), reason: parsed.reason };
      }
    }
  }

  private async readDue(actor: Actor, text: string): Promise<{ due: Date; reason: string } | undefined> {
    const now = this.deps.services.clock.now();
    const relative = /^(?:\+|in\s+)(\S+)\s*([\s\S]*)$/i.exec(text);
    if (relative) {
      const ms = parseDuration(relative[1]!);
      return ms === undefined ? undefined : { due: new Date(now.getTime() + ms), reason: relative[2]!.trim() };
    }
    const absolute = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s*([\s\S]*)$/.exec(text);
    if (!absolute || !isLocalDate(absolute[1]!) || !isLocalTime(absolute[2]!.padStart(5, '0'))) return undefined;
    return { due: fromLocal(absolute[1]!, absolute[2]!.padStart(5, '0'), await this.zone(actor)), reason: absolute[3]!.trim() };
  }

  /**
   * Does the work with the values a form (or a command) gave. A bad value goes back to its field
   * (or, from a command, to the person); a refusal is answered and nothing changes.
   */
  async finish(
    ctx: HandlerContext,
    action: Exclude<WorkAction, 'acknowledge'>,
    id: string,
    values: FormValues,
    via: 'form' | 'command',
  ): Promise<FormOutcome> {
    const { actor } = ctx;
    const now = this.deps.services.clock.now();
    const fromCommand = via === 'command';
    const refuse = (errors: Record<string, string>): FormOutcome => {
      if (fromCommand) throw new UserError(Object.values(errors)[0]!);
      return invalid(errors);
    };
    const zone = await this.zone(actor);
    let done: Span[];
    switch (action) {
      case 'update': {
        const v = validateForm(updateSchema, values);
        if (!v.ok) return refuse(v.errors);
        const e = await this.actions.addUpdate(actor, id, v.value.text);
        done = ['Added your update to ', bold(e.reference), '. It is on the timeline and under the card.'];
        break;
      }
      case 'reassign': {
        const v = validateForm(reassignSchema, values);
        if (!v.ok) return refuse(v.errors);
        const person = await this.deps.services.people.get(actor.workspaceId, v.value.owner).catch(() => undefined);
        if (!person || person.deleted || person.isBot)
          return refuse({ owner: `@${v.value.owner} is not a person of this workspace. Choose someone who is.` });
        const before = await this.byId(actor, id);
        const e = await this.actions.reassign(actor, id, v.value.owner, v.value.reason);
        done = [
          bold(e.reference),
          ' now belongs to ',
          user(e.ownerId),
          '. ',
          user(before.ownerId),
          ' and ',
          user(e.ownerId),
          ' have been told.',
        ];
        break;
      }
      case 'change-due': {
        const v = validateForm(dueSchema, values);
        if (!v.ok) return refuse(v.errors);
        if (v.value.due <= now) return refuse({ due: 'That due time is in the past. Pick a later one.' });
        const e = await this.actions.changeDue(actor, id, v.value.due, v.value.reason);
        done = [bold(e.reference), ' is now due ', time(e.dueAt, zone), '. Reminders follow the new time.'];
        break;
      }
      case 'resolve': {
        const v = validateForm(resolveSchema, values);
        if (!v.ok) return refuse(v.errors);
        const e = await this.actions.resolve(actor, id, v.value.resolution);
        done = ['Resolved ', bold(e.reference), `: ${e.title}. The decision is recorded and every pending reminder is cancelled.`];
        break;
      }
      case 'cancel': {
        const v = validateForm(cancelSchema, values);
        if (!v.ok) return refuse(v.errors);
        const e = await this.actions.cancel(actor, id, v.value.reason);
        done = ['Cancelled ', bold(e.reference), '. Its pages and reminders are stopped.'];
        break;
      }
      case 'reopen': {
        const v = validateForm(reopenSchema, values);
        if (!v.ok) return refuse(v.errors);
        if (v.value.due && v.value.due <= now)
          return refuse({ due: 'That due time is in the past. Pick a later one, or leave it empty for the default.' });
        const e = await this.actions.reopen(actor, id, v.value.reason, v.value.due);
        done = [
          'Reopened ',
          bold(e.reference),
          '; due ',
          time(e.dueAt, zone),
          e.policy?.levels.length ? '. Its escalation policy starts again from level 1.' : '.',
        ];
        break;
      }
    }
    await ctx.reply(done);
    return FORM_DONE;
  }
}
