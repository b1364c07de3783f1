import type { WorkflowApis } from '../apis';
import type { CoreServices } from '../core/services';

/** What the handoff workflow is built from. */
export interface HandoffDeps {
  readonly services: CoreServices;
  readonly apis: Pick<WorkflowApis, 'escalations' | 'standups'>;
}
