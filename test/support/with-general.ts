import type { CoreServices } from '../../src/core/services';
import type { Workflow } from '../../src/core/workflow';
import { generalWorkflow } from '../../src/people/general-workflow';

/** The workflows a test builds, then `/steady` (help and home gathered from them), as `buildWorkflows` ends. */
export function withGeneral(services: CoreServices, others: readonly Workflow[]): Workflow[] {
  return [...others, generalWorkflow({ people: services.people, admins: services.admins, clock: services.clock, others })];
}
