import type { CoreServices } from '../core/services';
import type { OnShiftApi } from '../handoff/api';
import type { EscalationSource, EscalationSummary } from './api';
import type { Planner } from './jobs/planner';

export type SourceListener = (source: EscalationSource, escalation: EscalationSummary) => Promise<void>;

/** What the escalation workflow's parts are built from. */
export interface EscalationDeps {
  readonly services: CoreServices;
  /** The handoff workflow's API, read when called (it is built after this workflow: see `escalationModule`). */
  readonly onShift: () => OnShiftApi;
  readonly planner: Planner;
  /** Other workflows' listeners for escalations raised from their sources. */
  readonly sourceListeners: SourceListener[];
}
