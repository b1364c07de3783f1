import type { EscalationsApi } from './escalation/api';
import type { OnShiftApi } from './handoff/api';
import type { StandupsApi } from './standup/api';

/**
 * The APIs workflows offer each other, by the name of the workflow module that offers them. A
 * module declares which of them it needs (`WorkflowModule.needs`) and gets only those.
 */
export interface WorkflowApis {
  readonly escalations: EscalationsApi;
  readonly standups: StandupsApi;
  /** Who is on shift in a rotation: the handoff workflow's. */
  readonly handoffs: OnShiftApi;
}
