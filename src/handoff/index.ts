import type { WorkflowApis } from '../apis';
import type { CoreServices } from '../core/services';
import type { Workflow } from '../core/workflow';
import type { OnShiftApi } from './api';

/** Shift handoffs (issue 7). A placeholder until the workflow lands. */
export function createHandoffs(_services: CoreServices, _apis: WorkflowApis): { workflow: Workflow; api: OnShiftApi } {
  return {
    workflow: { name: 'handoff' },
    api: { onShift: async () => [], rotations: async () => [] },
  };
}
