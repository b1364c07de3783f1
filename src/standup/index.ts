import type { WorkflowApis } from '../apis';
import type { Actor } from '../core/refs';
import type { CoreServices } from '../core/services';
import type { Workflow } from '../core/workflow';
import type { WorkflowModule } from '../workflow-modules';
import { findStandup, standupsOf } from '../storage/standup/standups-repository';
import { absenceOn } from '../storage/standup/absences-repository';
import { datesAskedSince, openSessionsOf } from '../storage/standup/sessions-repository';
import { ANSWERS_FORM } from './forms/answers';
import { Answering } from './answering';
import type { StandupsApi } from './api';
import { Away } from './away';
import { Blockers } from './blockers';
import { openForChat } from './chat-window';
import { standupCommand } from './commands/standup';
import type { StandupDeps } from './deps';
import { HELP_LINES, homeBlocks } from './messages/info';
import { standupJobs } from './jobs/kinds';
import { Asking } from './asking';
import { ACTION } from './messages/prompt';
import { Prompting } from './prompting';
import { DayPublisher } from './publisher';
import { earliestToday, localDate, nextPromptAt } from './schedule';
import { SETUP_FORM } from './forms/setup';
import { Setup } from './setup';
import { Membership } from './membership';
import { Control } from './control';

/** Stand-ups need escalations while being built: they listen for escalations raised from blockers. */
export const standupModule: WorkflowModule<'standups', 'escalations'> = {
  name: 'standups',
  needs: ['escalations'],
  create: (services, apis) => createStandups(services, apis),
};

/**
 * Stand-ups: each participant is asked at their own local time, answers in chat or a
 * form, the report channel gets one thread a day that becomes the summary at the cut-off, blockers
 * can be escalated in one click.
 */
export function createStandups(services: CoreServices, apis: Pick<WorkflowApis, 'escalations'>): { workflow: Workflow; api: StandupsApi } {
  const deps: StandupDeps = { services, apis };
  const log = services.log.child({ workflow: 'standup' });
  const publisher = new DayPublisher(deps);
  const prompting = new Prompting(deps);
  const asking = new Asking(deps, publisher);
  const answering = new Answering(deps, publisher, prompting);
  const setup = new Setup(deps);
  const membership = new Membership(deps);
  const control = new Control(deps);
  const away = new Away(deps, publisher);
  const blockers = new Blockers(deps, publisher);

  apis.escalations.onRaisedFromSource((source, escalation) => blockers.raised(source, escalation, log));

  const workflow: Workflow = {
    name: 'standup',
    help: HELP_LINES,
    commands: { standup: standupCommand(deps, { setup, membership, control, away }) },
    readOnly: { standup: ['', 'help', 'list', 'show', 'report'] },
    actions: {
      [ACTION.answer]: (ctx, press) => answering.openAnswers(ctx, press.value),
      [ACTION.skip]: (ctx, press) => answering.skip(ctx, press.value),
      [ACTION.escalate]: (ctx, press) => blockers.escalate(ctx, press.value),
      [ACTION.delete]: (ctx, press) => control.delete(ctx, press.value),
    },
    forms: {
      [SETUP_FORM]: (ctx, submission) => setup.submit(ctx, submission.state, submission.values),
      [ANSWERS_FORM]: (ctx, submission) => answering.submitAnswers(ctx, submission.state, submission.values),
    },
    directMessage: (ctx, text) => answering.chat(ctx, text),
    awaitsDirectReply: (actor) => awaitsAnswer(deps, actor),
    jobs: standupJobs(services, { asking, prompting, publisher }),
    home: (actor) => home(deps, actor),
  };
  return {
    workflow,
    api: { unresolvedBlockers: (workspaceId, userIds, since) => blockers.unresolved(workspaceId, userIds, since, log) },
  };
}

/** A prompt not yet answered, before its cut-off: after it, a command word is a command again. */
async function awaitsAnswer(deps: StandupDeps, actor: Actor): Promise<boolean> {
  const { db, clock } = deps.services;
  return (await openSessionsOf(db, actor.workspaceId, actor.userId, { cutoffAfter: clock.now() })).length > 0;
}

async function home(deps: StandupDeps, actor: Actor) {
  const { db, clock, people } = deps.services;
  const now = clock.now();
  const open = [];
  for (const session of await openSessionsOf(db, actor.workspaceId, actor.userId, openForChat(now))) {
    const standup = await findStandup(db, session.standupId);
    if (standup) open.push({ session, standupName: standup.name });
  }
  const next = [];
  for (const { standup, participant } of await standupsOf(db, actor.workspaceId, actor.userId)) {
    const asked = await datesAskedSince(db, standup.id, earliestToday(now), actor.userId);
    next.push({ standup, zone: participant.ruleZone, at: nextPromptAt(standup, participant.ruleZone, now, asked.get(actor.userId)) });
  }
  const today = localDate(now, await people.zoneOf(actor.workspaceId, actor.userId));
  const absence = await absenceOn(db, actor.workspaceId, actor.userId, today);
  return homeBlocks({ open, next, now, ...(absence ? { awayUntil: absence.untilDate } : {}) });
}
