import type { Db, Executor } from '../../db/schema';
import { recordChange } from '../audit/audit-log';
import type { Actor } from '../core/refs';
import { findEscalationSettings, saveEscalationSettings, type StoredEscalationSettings } from '../storage/escalation/settings-repository';
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

/**
 * Changes some of a workspace's escalation settings and records the change in the audit trail, in
 * one transaction. Nothing is recorded when nothing changed.
 */
export async function changeEscalationSettings(db: Db, actor: Actor, patch: Partial<StoredEscalationSettings>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findEscalationSettings(trx, actor.workspaceId);
    await saveEscalationSettings(trx, actor.workspaceId, patch, actor.userId, now);
    const after = await findEscalationSettings(trx, actor.workspaceId);
    if (JSON.stringify(before) !== JSON.stringify(after))
      await recordChange(trx, actor, now, { action: 'settings.changed', subject: 'escalation settings', before: before ?? null, after });
  });
}
