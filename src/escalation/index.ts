import { recordIdState } from '../core/form-state';
import { UserError } from '../core/errors';
import type { FormOutcome } from '../core/form';
import type { CoreServices } from '../core/services';
import type { HandlerContext, Workflow } from '../core/workflow';
import type { LaterApis, WorkflowModule } from '../workflow-modules';
import {
  escalationFacts,
  findEscalation,
  findEscalations,
  listActiveEscalations,
  pageOfActiveEscalations,
} from '../storage/escalation/escalations-repository';
import { listPolicies } from '../storage/escalation/policies-repository';
import { adminsCommand } from '../people/admins-command';
import { EscalationActions } from './actions';
import { AdminCommands } from './commands/settings';
import type { EscalationsApi } from './api';
import { parseEscalate } from './commands/parse';
import type { EscalationDeps, SourceListener } from './deps';
import { FORMS } from './forms/escalation';
import { escalationHome } from './home';
import { escalationJobs } from './jobs/kinds';
import { ACTIONS } from './messages/parts';
import { HELP_LINES, helpMessage, listMessage, statsMessage } from './messages/views';
import { isActive, summaryOf } from './model';
import type { WorkAction } from './permissions';
import { Planner } from './jobs/planner';
import { Policies } from './policies';
import { openRaiseForm, submitRaise } from './raise';
import { REPEAT_WINDOW_MS, computeStats } from './stats';
import { Work } from './work';
import { DAY_MS } from '../core/duration';

const LIST_LIMIT = 50;

const ADMINS_MOVED =
  'Workspace admins are now managed with /steady admins (they matter to stand-ups and handoffs too); /escalate admins still works.';

/**
 * Escalations need who is on shift (a policy level can page a rotation), and handoffs need
 * escalations (a note lists the outgoing person's): a circle. Escalations only ask while running (a
 * level paged, a policy edited), never while being built, so that need is the one read late.
 */
export const escalationModule: WorkflowModule<'escalations', never, 'handoffs'> = {
  name: 'escalations',
  needs: [],
  later: ['handoffs'],
  create: (services, _apis, later) => createEscalations(services, later),
};

/** Escalations: `/escalate`, its buttons and forms, its jobs, its part of the home view. */
export function createEscalations(services: CoreServices, later: LaterApis<'handoffs'>): { workflow: Workflow; api: EscalationsApi } {
  const sourceListeners: SourceListener[] = [];
  const deps: EscalationDeps = {
    services,
    onShift: later.handoffs,
    planner: new Planner(services.scheduler, () => services.clock.now()),
    sourceListeners,
  };
  const actions = new EscalationActions(deps);
  const work = new Work(deps, actions);
  const policies = new Policies(deps);
  const admin = new AdminCommands(deps, policies);
  const workspaceAdmins = adminsCommand(services);

  async function escalate(ctx: HandlerContext, text: string): Promise<void> {
    const command = parseEscalate(text);
    const ws = ctx.actor.workspaceId;
    switch (command.kind) {
      case 'raise':
        return openRaiseForm(deps, ctx, command.title ? { title: command.title, titleTyped: true } : {});
      case 'help':
        return ctx.reply(helpMessage());
      case 'usage':
        throw new UserError(command.message);
      case 'list': {
        const filter =
          command.filter === 'mine'
            ? { kind: 'mine' as const, userId: ctx.actor.userId }
            : command.filter === 'overdue'
              ? { kind: 'overdue' as const, now: services.clock.now() }
              : { kind: 'all' as const };
        const [{ items, total }, zone] = await Promise.all([
          pageOfActiveEscalations(services.db, ws, filter, LIST_LIMIT),
          services.people.zoneOf(ws, ctx.actor.userId),
        ]);
        return ctx.reply(listMessage(command.filter, items, total, zone, services.clock.now()));
      }
      case 'show':
        return work.show(ctx, await work.byNumber(ctx.actor, command.number));
      case 'work':
        return work.command(ctx, command.number, command.action, command.rest);
      case 'stats': {
        const now = services.clock.now();
        const since = new Date(now.getTime() - command.days * DAY_MS);
        const facts = await escalationFacts(services.db, ws, since, REPEAT_WINDOW_MS);
        return ctx.reply(statsMessage(computeStats(facts, since, now), command.days));
      }
      case 'policy':
        switch (command.sub) {
          case 'list':
            return policies.list(ctx);
          case 'create':
            return policies.openCreate(ctx, command.rest);
          case 'edit':
            return policies.openEdit(ctx, command.rest);
          case 'delete':
            return policies.askDelete(ctx, command.rest);
          case 'default':
            return policies.setDefault(ctx, command.rest);
        }
        return;
      case 'settings':
        return admin.settings(ctx, command.rest);
      case 'admins':
        // Admins matter to every workflow, so they moved to /steady; the old name keeps working.
        await ctx.reply(ADMINS_MOVED);
        return workspaceAdmins(ctx, command.rest);
    }
  }

  const button = (action: WorkAction) => async (ctx: HandlerContext, press: { value: string }) =>
    work.start(ctx, await work.byId(ctx.actor, press.value), action);

  const workForm =
    (action: Exclude<WorkAction, 'acknowledge'>) =>
    async (ctx: HandlerContext, submission: { values: Parameters<Work['finish']>[3]; state?: string }): Promise<FormOutcome> =>
      work.finish(ctx, action, recordIdState(submission.state), submission.values, 'form');

  const workflow: Workflow = {
    name: 'escalation',
    help: HELP_LINES,
    commands: { escalate },
    readOnly: { escalate: ['help', 'list', 'show', 'stats'] },
    actions: {
      [ACTIONS.ack]: button('acknowledge'),
      [ACTIONS.update]: button('update'),
      [ACTIONS.reassign]: button('reassign'),
      [ACTIONS.due]: button('change-due'),
      [ACTIONS.resolve]: button('resolve'),
      [ACTIONS.cancel]: button('cancel'),
      [ACTIONS.reopen]: button('reopen'),
      [ACTIONS.view]: async (ctx, press) => work.show(ctx, await work.byId(ctx.actor, press.value)),
      [ACTIONS.deletePolicy]: (ctx, press) => policies.delete(ctx, press.value),
    },
    forms: {
      [FORMS.raise]: (ctx, s) => submitRaise(deps, ctx, s.values, s.state),
      [FORMS.update]: workForm('update'),
      [FORMS.reassign]: workForm('reassign'),
      [FORMS.due]: workForm('change-due'),
      [FORMS.resolve]: workForm('resolve'),
      [FORMS.cancel]: workForm('cancel'),
      [FORMS.reopen]: workForm('reopen'),
      [FORMS.policy]: (ctx, s) => policies.submit(ctx, s.values, s.state),
    },
    jobs: escalationJobs(deps),
    home: (actor) => escalationHome(deps, actor),
  };

  const api: EscalationsApi = {
    openRaiseForm: (ctx, prefill) => openRaiseForm(deps, ctx, prefill),
    async openOwnedBy(workspaceId, userId) {
      return (await listActiveEscalations(services.db, workspaceId, { kind: 'owned', userId })).map(summaryOf);
    },
    async policiesPaging(workspaceId, rotationId) {
      return (await listPolicies(services.db, workspaceId))
        .filter((p) => p.levels.some((l) => l.rotationId === rotationId))
        .map((p) => p.name);
    },
    async byIds(workspaceId, ids) {
      return (await findEscalations(services.db, workspaceId, ids)).map(summaryOf);
    },
    async transfer({ workspaceId, escalationId, toUserId, actorId, reason }) {
      const person = await services.people.get(workspaceId, toUserId).catch(() => undefined);
      if (!person || person.deleted || person.isBot)
        throw new UserError(`@${toUserId} is not a person of this workspace, so the escalation cannot be handed to them.`);
      // Resolved or cancelled meanwhile, or already theirs: there is nothing to hand over.
      const current = await findEscalation(services.db, workspaceId, escalationId);
      if (!current || !isActive(current.status) || current.ownerId === toUserId) return;
      await actions.reassign({ workspaceId, userId: actorId }, escalationId, toUserId, reason, 'handoff');
    },
    onRaisedFromSource(listener) {
      sourceListeners.push(listener);
    },
  };
  return { workflow, api };
}
