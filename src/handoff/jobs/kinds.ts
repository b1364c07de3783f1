import type { AnyJobKind } from '../../scheduler/job';
import type { HandoffDeps } from '../deps';
import { swapLapseJob } from '../swaps';
import { memberWelcomeJob } from './member-welcome';
import { planJob } from './plan';
import { handoffStepJobs } from './steps';

/** The handoff workflow's scheduled work: each shift change's steps, the hourly re-plan, lapsed swaps, welcomes. */
export function handoffJobs(deps: HandoffDeps): AnyJobKind[] {
  return [...handoffStepJobs(deps), planJob(deps), swapLapseJob(deps), memberWelcomeJob(deps)];
}
