import type { WorkflowApis } from '../apis';
import type { CoreServices } from '../core/services';

/** What every part of the stand-up workflow is built from. */
export interface StandupDeps {
  readonly services: CoreServices;
  readonly apis: Pick<WorkflowApis, 'escalations'>;
}
