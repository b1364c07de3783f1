import type { WorkflowApis } from '../apis';
import type { CoreServices } from '../core/services';
import type { EscalationSource, EscalationSummary } from './api';
import type { Planner } from './planner';

export type SourceListener = (source: EscalationSource, escalation: EscalationSummary) => Promise<void>;

/** What the escalation workflow's parts are built from. */
export interface EscalationDeps {
  readonly services: CoreServices;
  readonly apis: WorkflowApis;
  readonly planner: Planner;
  /** Other workflows' listeners for escalations raised from their sources. */
  readonly sourceListeners: SourceListener[];
}

/** Runs what was just enqueued now rather than at the next tick, so people see the result at once. */
export async function deliverNow(deps: EscalationDeps): Promise<void> {
  const { scheduler, clock, log } = deps.services;
  try {
    for (let round = 0; round < 3; round++) {
      const next = await scheduler.nextDueAt();
      if (!next || next > clock.now()) return;
      const report = await scheduler.tick();
      if (report.ran + report.failed + report.retried + report.skipped === 0) return;
    }
  } catch (err) {
    // The jobs are stored: the ticker runs them shortly.
    log.warn({ err }, 'running escalation jobs right away failed; the scheduler will run them');
  }
}
