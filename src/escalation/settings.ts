import type { Executor } from '../../db/schema';
import { findEscalationSettings } from '../storage/escalation-settings-repository';
import { DEFAULT_CHASE_MINUTES, DEFAULT_DUE_RULES, type EscalationSettings } from './model';
import { DEFAULT_WORKING_HOURS } from './working-hours';

/** A workspace's escalation settings with the defaults filled in. */
export async function loadSettings(db: Executor, workspaceId: string): Promise<EscalationSettings> {
  const stored = await findEscalationSettings(db, workspaceId);
  return {
    channel: stored?.channel ?? null,
    defaultPolicyId: stored?.defaultPolicyId ?? null,
    dueRules: { ...DEFAULT_DUE_RULES, ...(stored?.dueRules ?? {}) },
    chaseMinutes: stored?.chaseMinutes ?? DEFAULT_CHASE_MINUTES,
    workingHours: stored?.workingHours ?? DEFAULT_WORKING_HOURS,
  };
}
