import type { WorkflowApis } from '../apis';
import { UserError } from '../core/errors';
import type { CoreServices } from '../core/services';
import type { Workflow } from '../core/workflow';
import type { EscalationsApi } from './api';

/** Escalations (issue 3). A placeholder until the workflow lands: it answers nothing and owns nothing. */
export function createEscalations(_services: CoreServices, _apis: WorkflowApis): { workflow: Workflow; api: EscalationsApi } {
  const notYet = () => Promise.reject(new UserError('Escalations are not available in this version of Steady yet.'));
  return {
    workflow: { name: 'escalation' },
    api: {
      openRaiseForm: notYet,
      openOwnedBy: async () => [],
      transfer: notYet,
      onRaisedFromSource: () => undefined,
    },
  };
}
