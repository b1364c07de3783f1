import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import type { Outbox } from '../delivery/outbox';
import type { PeopleDirectory } from '../people/people-directory';
import type { ProblemReports } from '../people/problem-reports';
import type { WorkspaceAdmins } from '../people/workspace-admins';
import type { Scheduler } from '../scheduler/scheduler';
import type { Clock } from './clock';
import type { Platforms } from './platform';

/** What every workflow is built from; assembled once in `createSteady`. */
export interface CoreServices {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly platforms: Platforms;
  readonly scheduler: Scheduler;
  readonly people: PeopleDirectory;
  readonly admins: WorkspaceAdmins;
  /** Tells a person once about a problem they can fix (e.g. a channel the bot cannot post in). */
  readonly problems: ProblemReports;
  /** Every message to a platform goes through it: once per key, paced, with one rule for failures. */
  readonly outbox: Outbox;
  /** PUBLIC_URL: where people reach this Steady in a browser (dashboard links); unset, none are given. */
  readonly publicUrl?: string;
}
