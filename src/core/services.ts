import type { Logger } from 'pino';
import type { Db } from '../../db/schema';
import type { PeopleDirectory } from '../people/people-directory';
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
  /** Workspace admins named in configuration, as `workspaceId/userId`, besides those set by command. */
  readonly configuredAdmins: readonly string[];
}
