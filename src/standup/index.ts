import type { WorkflowApis } from '../apis';
import type { CoreServices } from '../core/services';
import type { Workflow } from '../core/workflow';
import type { StandupsApi } from './api';

/** Stand-ups (issue 6). A placeholder until the workflow lands. */
export function createStandups(_services: CoreServices, _apis: WorkflowApis): { workflow: Workflow; api: StandupsApi } {
  return {
    workflow: { name: 'standup' },
    api: { unresolvedBlockers: async () => [] },
  };
}
