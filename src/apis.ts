import type { EscalationsApi } from './escalation/api';
import type { OnShiftApi } from './handoff/api';
import type { StandupsApi } from './standup/api';

/**
 * The workflows' APIs to each other. They depend on each other in a circle (a policy level pages
 * whoever is on shift; a handoff transfers escalations), so each is built with a late-bound view of
 * the others: calls are forwarded once every workflow exists.
 */
export interface WorkflowApis {
  readonly escalations: EscalationsApi;
  readonly standups: StandupsApi;
  readonly onShift: OnShiftApi;
}

export class LateBoundApis {
  private bound: Partial<WorkflowApis> = {};

  bind(apis: Partial<WorkflowApis>): void {
    this.bound = { ...this.bound, ...apis };
  }

  /** A view whose methods call the bound implementation at call time. */
  readonly view: WorkflowApis = {
    escalations: {
      openRaiseForm: (...args) => this.get('escalations').openRaiseForm(...args),
      openOwnedBy: (...args) => this.get('escalations').openOwnedBy(...args),
      byIds: (...args) => this.get('escalations').byIds(...args),
      policiesPaging: (...args) => this.get('escalations').policiesPaging(...args),
      transfer: (...args) => this.get('escalations').transfer(...args),
      onRaisedFromSource: (...args) => this.get('escalations').onRaisedFromSource(...args),
    },
    standups: {
      unresolvedBlockers: (...args) => this.get('standups').unresolvedBlockers(...args),
    },
    onShift: {
      onShift: (...args) => this.get('onShift').onShift(...args),
      rotations: (...args) => this.get('onShift').rotations(...args),
    },
  };

  private get<K extends keyof WorkflowApis>(name: K): WorkflowApis[K] {
    const api = this.bound[name];
    if (!api) throw new Error(`the ${name} workflow is not wired`);
    return api;
  }
}
