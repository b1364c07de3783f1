import { FORM_DONE, invalid, type FormOutcome, type FormValues } from '../core/form';
import { actions, button, message, section } from '../core/message';
import { bold, type Span } from '../core/rich-text';
import type { HandlerContext } from '../core/workflow';
import { clearDefaultPolicy } from '../storage/escalation/settings-repository';
import {
  deletePolicy,
  findPolicy,
  findPolicyByName,
  insertPolicy,
  listPolicies,
  updatePolicy,
} from '../storage/escalation/policies-repository';
import { requireAdmin } from '../people/admin-gate';
import type { EscalationDeps } from './deps';
import { policyListMessage, policyLines } from './messages/admin';
import { ACTIONS } from './messages/parts';
import type { Policy } from './model';
import { policyForm, readPolicyForm, toLevels } from './forms/policy';
import { belongsToWorkspace } from './raise';
import { UserError } from '../core/errors';
import { changeEscalationSettings, loadSettings } from './settings';
import { recordChange } from '../audit/audit-log';
import { isUniqueViolation } from '../storage/unique-violation';

/** The unique index that keeps policy names apart per workspace, whatever their case (migration 0002). */
const NAME_INDEX = 'escalation_policies_name';

/**
 * Escalation policies, managed by admins: `/escalate policy list|create|edit|delete|default`.
 * Editing or deleting a policy never changes an escalation already raised with it (it has a copy).
 */
export class Policies {
  constructor(private readonly deps: EscalationDeps) {}

  async list(ctx: HandlerContext): Promise<void> {
    const { db } = this.deps.services;
    const [policies, settings] = await Promise.all([listPolicies(db, ctx.actor.workspaceId), loadSettings(db, ctx.actor.workspaceId)]);
    await ctx.reply(policyListMessage(policies, settings.defaultPolicyId));
  }

  async openCreate(ctx: HandlerContext, name: string): Promise<void> {
    await requireAdmin(this.deps.services.admins, ctx.actor, 'create escalation policies');
    const rotations = await this.deps.onShift().rotations(ctx.actor.workspaceId);
    await ctx.openForm(policyForm(undefined, rotations, name || undefined));
  }

  async openEdit(ctx: HandlerContext, name: string): Promise<void> {
    await requireAdmin(this.deps.services.admins, ctx.actor, 'edit escalation policies');
    const policy = await this.named(ctx, name, 'edit');
    const rotations = await this.deps.onShift().rotations(ctx.actor.workspaceId);
    await ctx.openForm(policyForm(policy, rotations));
  }

  async submit(ctx: HandlerContext, values: FormValues, state: string | undefined): Promise<FormOutcome> {
    const { db, clock, people } = this.deps.services;
    const ws = ctx.actor.workspaceId;
    await requireAdmin(this.deps.services.admins, ctx.actor, 'change escalation policies');
    const existing = state && state !== 'new' ? await findPolicy(db, ws, state) : undefined;
    if (state && state !== 'new' && !existing)
      throw new UserError('That escalation policy was deleted meanwhile. Nothing was saved; create it again with /escalate policy create.');
    const { input, errors } = readPolicyForm(values);
    const rotations = await this.deps.onShift().rotations(ws);
    for (const level of input.levels) {
      for (const userId of level.users) {
        const person = await people.get(ws, userId).catch(() => undefined);
        if (!person || person.deleted || person.isBot) {
          errors[`l${level.slot}_users`] ??= `Level ${level.slot}: @${userId} is not a person of this workspace.`;
        }
      }
      if (level.channel && !belongsToWorkspace(level.channel, ws))
        errors[`l${level.slot}_channel`] = `Level ${level.slot}: that channel is not in this workspace.`;
      const keptRotation = existing?.levels.some((l) => l.rotationId === level.rotationId);
      if (level.rotationId && !rotations.some((r) => r.id === level.rotationId) && !keptRotation) {
        errors[`l${level.slot}_rotation`] = `Level ${level.slot}: that rotation does not exist. Choose one from the list.`;
      }
    }
    if (!errors.name) {
      const clash = await findPolicyByName(db, ws, input.name);
      if (clash && clash.id !== existing?.id)
        errors.name = `There is already a policy called "${clash.name}". Choose another name, or edit that one.`;
    }
    if (Object.keys(errors).length > 0) return invalid(errors);
    const levels = toLevels(input, rotations).map((l) => {
      // A rotation that disappeared keeps the name it had.
      const before = existing?.levels.find((old) => old.rotationId && old.rotationId === l.rotationId);
      return before && !rotations.some((r) => r.id === l.rotationId) ? { ...l, rotationName: before.rotationName ?? 'a rotation' } : l;
    });
    const now = clock.now();
    let saved: Policy | undefined;
    try {
      saved = await db.transaction().execute(async (trx) => {
        const stored = existing
          ? await updatePolicy(trx, {
              workspaceId: ws,
              id: existing.id,
              name: input.name,
              levels,
              repeat: input.repeat,
              by: ctx.actor.userId,
              now,
            })
          : await insertPolicy(trx, { workspaceId: ws, name: input.name, levels, repeat: input.repeat, by: ctx.actor.userId, now });
        if (stored) {
          await recordChange(trx, ctx.actor, now, {
            action: existing ? 'policy.changed' : 'policy.created',
            subject: stored.name,
            before: existing ? auditedPolicy(existing) : null,
            after: auditedPolicy(stored),
          });
        }
        return stored;
      });
    } catch (err) {
      // Two admins saving the same name at once: the unique index decides.
      if (isUniqueViolation(err, NAME_INDEX))
        return invalid({ name: `There is already a policy called "${input.name}". Choose another name.` });
      throw err;
    }
    if (!saved) throw new UserError('That escalation policy was deleted meanwhile. Nothing was saved.');
    ctx.log.info({ policy: saved.id, levels: levels.length }, existing ? 'escalation policy edited' : 'escalation policy created');
    const settings = await loadSettings(db, ws);
    const lines: Span[] = [existing ? 'Saved. ' : 'Created. ', ...policyLines(saved, settings.defaultPolicyId === saved.id)];
    if (existing) lines.push('\nEscalations already raised with it keep the version they were raised with.');
    else if (!settings.defaultPolicyId)
      lines.push(`\nMake it the default for new escalations with /escalate policy default ${saved.name}.`);
    await ctx.reply(lines);
    return FORM_DONE;
  }

  /** `/escalate policy delete <name>` asks first: a button does it. */
  async askDelete(ctx: HandlerContext, name: string): Promise<void> {
    const { db } = this.deps.services;
    await requireAdmin(this.deps.services.admins, ctx.actor, 'delete escalation policies');
    const policy = await this.named(ctx, name, 'delete');
    const settings = await loadSettings(db, ctx.actor.workspaceId);
    await ctx.reply(
      message([
        section([
          'Delete the escalation policy ',
          bold(policy.name),
          '?',
          settings.defaultPolicyId === policy.id
            ? ' It is the default for new escalations: new ones will have no policy unless the raiser picks one.'
            : '',
          ' Escalations already raised with it keep their copy and carry on.',
        ]),
        actions(button(`Delete ${policy.name}`, ACTIONS.deletePolicy, policy.id, 'danger')),
      ]),
    );
  }

  async delete(ctx: HandlerContext, policyId: string): Promise<void> {
    const { db } = this.deps.services;
    await requireAdmin(this.deps.services.admins, ctx.actor, 'delete escalation policies');
    const policy = await findPolicy(db, ctx.actor.workspaceId, policyId);
    if (!policy) throw new UserError('That escalation policy was already deleted.');
    await db.transaction().execute(async (trx) => {
      await deletePolicy(trx, ctx.actor.workspaceId, policy.id);
      await clearDefaultPolicy(trx, policy.id);
      await recordChange(trx, ctx.actor, this.deps.services.clock.now(), {
        action: 'policy.removed',
        subject: policy.name,
        before: auditedPolicy(policy),
        after: null,
      });
    });
    ctx.log.info({ policy: policy.id }, 'escalation policy deleted');
    await ctx.reply(['Deleted the escalation policy ', bold(policy.name), '. Escalations raised with it keep their copy and carry on.']);
  }

  async setDefault(ctx: HandlerContext, name: string): Promise<void> {
    const { db, clock } = this.deps.services;
    await requireAdmin(this.deps.services.admins, ctx.actor, 'choose the default escalation policy');
    if (/^none$/i.test(name.trim())) {
      await changeEscalationSettings(db, ctx.actor, { defaultPolicyId: null }, clock.now());
      await ctx.reply('New escalations now have no escalation policy unless the raiser picks one.');
      return;
    }
    const policy = await this.named(ctx, name, 'make the default');
    await changeEscalationSettings(db, ctx.actor, { defaultPolicyId: policy.id }, clock.now());
    await ctx.reply(['New escalations now use ', bold(policy.name), ' unless the raiser picks another.']);
  }

  private async named(ctx: HandlerContext, name: string, verb: string): Promise<Policy> {
    const clean = name.trim().replace(/^"(.*)"$/, '$1');
    if (!clean)
      throw new UserError(
        `Name the policy to ${verb}, e.g. /escalate policy ${verb === 'make the default' ? 'default' : verb} Ops. /escalate policy list shows them.`,
      );
    const policy = await findPolicyByName(this.deps.services.db, ctx.actor.workspaceId, clean);
    if (!policy) throw new UserError(`There is no escalation policy called "${clean}". /escalate policy list shows them.`);
    return policy;
  }
}

/** A policy as the audit trail keeps it: what an admin sets, not the bookkeeping. */
function auditedPolicy(p: Policy): { name: string; levels: Policy['levels']; repeat: number } {
  return { name: p.name, levels: p.levels, repeat: p.repeat };
}
