import type { Logger } from 'pino';
import type { Db } from '../db/schema';
import type { Clock } from './core/clock';
import { Dispatcher } from './core/dispatcher';
import type { Platforms } from './core/platform';
import type { CoreServices } from './core/services';
import type { Workflow } from './core/workflow';
import { generalWorkflow } from './people/general-workflow';
import { PeopleDirectory } from './people/people-directory';
import { housekeepingJob } from './scheduler/housekeeping';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler';
import { databaseDedupe } from './storage/inbound-events-repository';

export interface SteadyOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly platforms: Platforms;
  readonly defaultTimeZone?: string;
  readonly configuredAdmins?: readonly string[];
  readonly scheduler?: Omit<SchedulerOptions, 'db' | 'clock' | 'log'>;
  /** Replaces the standard workflows (tests of the core's own machinery use small ones). */
  readonly workflows?: (services: CoreServices, helpLines: () => readonly string[]) => Workflow[];
}

/** The platform-neutral core: workflows, the dispatcher every adapter calls, the scheduler. */
export interface Steady {
  readonly dispatcher: Dispatcher;
  readonly scheduler: Scheduler;
  readonly people: PeopleDirectory;
  readonly services: CoreServices;
  readonly workflows: readonly Workflow[];
}

/** Builds the workflows from the services. Each workflow module adds itself here. */
export function buildWorkflows(services: CoreServices, helpLines: () => readonly string[]): Workflow[] {
  return [generalWorkflow({ people: services.people, clock: services.clock, helpLines })];
}

export function createSteady(options: SteadyOptions): Steady {
  const { db, clock, log, platforms } = options;
  const scheduler = new Scheduler({ db, clock, log: log.child({ component: 'scheduler' }), ...options.scheduler });
  const people = new PeopleDirectory({ db, platforms, clock, log, defaultTimeZone: options.defaultTimeZone ?? 'UTC' });
  const services: CoreServices = { db, clock, log, platforms, scheduler, people, configuredAdmins: options.configuredAdmins ?? [] };
  const workflows = (options.workflows ?? buildWorkflows)(services, () => workflows.flatMap((w) => w.help ?? []));
  scheduler.register(housekeepingJob(db));
  for (const workflow of workflows) scheduler.register(...(workflow.jobs ?? []));
  const dispatcher = new Dispatcher(workflows, {
    log,
    dedupe: databaseDedupe(db, clock),
    onActor: (interaction) => people.noticed(interaction.actor, interaction.reportedTimeZone),
  });
  return { dispatcher, scheduler, people, services, workflows };
}
