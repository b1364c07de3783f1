import type { Logger } from 'pino';
import type { Db } from '../db/schema';
import type { Clock } from './core/clock';
import { Dispatcher } from './core/dispatcher';
import { KeptRequests } from './inbound/kept-requests';
import { LeaseLost } from './scheduler/job';
import { AlreadyApplied } from './storage/request-once';
import { inRequestLane } from './storage/lanes';
import { isDatabaseUnavailable } from './storage/unavailable';
import type { Platforms } from './core/platform';
import type { CoreServices } from './core/services';
import type { Workflow } from './core/workflow';
import { escalationModule } from './escalation';
import { handoffModule } from './handoff';
import { generalWorkflow } from './people/general-workflow';
import { dashboardCommand } from './dashboard/command';
import { exportCommand } from './dashboard/export-command';
import { createDigest } from './insight/digest';
import { recordsCommands } from './audit/records-commands';
import { ProblemReports, problemReportJob, type ProblemReport } from './people/problem-reports';
import { Outbox, type OutboxOptions } from './delivery/outbox';
import { textMessage } from './core/message';
import { WorkspaceAdmins } from './people/workspace-admins';
import { standupModule } from './standup';
import { type AnyWorkflowModule, buildWorkflowModules } from './workflow-modules';
import { PeopleDirectory } from './people/people-directory';
import { housekeepingJob } from './scheduler/housekeeping';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler';
import { noMetrics, type MetricsRecorder } from './metrics/recorder';
import { databaseDedupe } from './storage/inbound-events-repository';

export interface SteadyOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly platforms: Platforms;
  readonly defaultTimeZone?: string;
  readonly configuredAdmins?: readonly string[];
  /** PUBLIC_URL, for dashboard sign-in links. */
  readonly publicUrl?: string;
  readonly scheduler?: Omit<SchedulerOptions, 'db' | 'clock' | 'log' | 'metrics'>;
  /** Where job runs and platform calls are counted for /metrics (nothing is counted when absent). */
  readonly metrics?: MetricsRecorder;
  /** The outbox's waiting and doubt settings (tests move a fake clock instead of waiting). */
  readonly outbox?: Pick<OutboxOptions, 'wait' | 'maxWaitMs' | 'doubtAfterMs'>;
  /** Finished jobs and delivery records are deleted after this many days. */
  readonly retentionDays?: number;
  /** Events one instance handles at once, and how long one waits before its person is told it is queued. */
  readonly requests?: { readonly concurrency?: number; readonly maxQueued?: number; readonly queuedNoticeMs?: number };
  /** Replaces the standard workflows (tests of the core's own machinery use small ones). */
  readonly workflows?: (services: CoreServices) => Workflow[];
}

/** The platform-neutral core: workflows, the dispatcher every adapter calls, the scheduler. */
export interface Steady {
  readonly dispatcher: Dispatcher;
  readonly scheduler: Scheduler;
  readonly people: PeopleDirectory;
  readonly services: CoreServices;
  readonly workflows: readonly Workflow[];
  /** Where adapters register how to answer the person of a request kept by another process. */
  readonly kept: KeptRequests;
  /** Adapters count their platform calls here. */
  readonly metrics: MetricsRecorder;
}

/** Steady's workflows, listed in the order of their help lines; each is built after those it needs. */
export const WORKFLOW_MODULES: readonly AnyWorkflowModule[] = [escalationModule, standupModule, handoffModule];

/** Builds the workflows from the services, and `/steady` (help, home, admins, digest, dashboard) after them. */
export function buildWorkflows(services: CoreServices): Workflow[] {
  const { workflows } = buildWorkflowModules(services, WORKFLOW_MODULES);
  return [
    ...workflows,
    generalWorkflow({
      people: services.people,
      admins: services.admins,
      clock: services.clock,
      others: workflows,
      digest: createDigest(services),
      dashboard: dashboardCommand(services),
      exports: exportCommand(services),
      records: recordsCommands(services),
    }),
  ];
}

export function createSteady(options: SteadyOptions): Steady {
  const { db, clock, log, platforms } = options;
  const metrics = options.metrics ?? noMetrics;
  const scheduler = new Scheduler({ db, clock, log: log.child({ component: 'scheduler' }), ...options.scheduler, metrics: metrics.jobs });
  const people = new PeopleDirectory({ db, platforms, clock, log, defaultTimeZone: options.defaultTimeZone ?? 'UTC' });
  const problems = new ProblemReports(db, scheduler, clock);
  const outbox = new Outbox({
    db,
    clock,
    log: log.child({ component: 'outbox' }),
    platforms,
    problems,
    scheduler,
    readerZone: (workspaceId, userId) => people.zoneOf(workspaceId, userId),
    ...options.outbox,
  });
  const services: CoreServices = {
    db,
    clock,
    log,
    platforms,
    scheduler,
    people,
    admins: new WorkspaceAdmins(db, clock, options.configuredAdmins ?? []),
    problems,
    outbox,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  };
  const workflows = (options.workflows ?? buildWorkflows)(services);
  scheduler.register(
    housekeepingJob(db, { retentionDays: options.retentionDays ?? 14 }),
    problemReportJob(reportProblem(outbox, log)),
    outbox.postJob(),
  );
  for (const workflow of workflows) scheduler.register(...(workflow.jobs ?? []));
  const kept = new KeptRequests({ db, scheduler, clock, log: log.child({ component: 'inbound' }) });
  scheduler.register(kept.job());
  const dispatcher = new Dispatcher(workflows, {
    log,
    dedupe: databaseDedupe(db, clock),
    onActor: (interaction) => people.noticed(interaction.actor, interaction.reportedTimeZone),
    around: (work) => scheduler.runOwn(work),
    keeper: kept,
    isUnavailable: isDatabaseUnavailable,
    wording: (workspaceId) => platforms.wordingFor(workspaceId),
    passThrough: (err) => err instanceof AlreadyApplied || err instanceof LeaseLost,
    ...options.requests,
    requestScope: inRequestLane,
  });
  kept.handleWith((event, interaction, run) => dispatcher.handleKept(event, interaction, run));
  return { dispatcher, scheduler, people, services, workflows, kept, metrics };
}

/** A problem report is told in the person's direct messages; if they cannot be reached either, the log keeps it. */
function reportProblem(outbox: Outbox, log: Logger) {
  return async (report: ProblemReport, key: string): Promise<void> => {
    const sent = await outbox.post({
      key,
      to: { workspaceId: report.workspaceId, userId: report.userId },
      message: textMessage(report.text),
    });
    if (!sent.ok)
      log.error(
        { workspace: report.workspaceId, user: report.userId, problem: report.key, code: sent.code },
        'could not report a problem to the person responsible',
      );
  };
}
