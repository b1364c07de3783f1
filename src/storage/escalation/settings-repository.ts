import type { Executor } from '../../../db/schema';
import type { DueRuleJson, EscalationSourceJson, SeverityColumn, WorkingHoursJson } from '../../../db/tables/escalation';
import { workingHoursSchema } from '../../escalation/working-hours';
import { toJson } from '../../../db/tables/json';
import { DAY_MS } from '../../core/duration';

export interface StoredEscalationSettings {
  readonly channel: string | null;
  readonly defaultPolicyId: string | null;
  readonly dueRules: Partial<Record<SeverityColumn, DueRuleJson>>;
  readonly chaseMinutes: number | null;
  readonly workingHours: WorkingHoursJson | null;
}

export async function findEscalationSettings(db: Executor, workspaceId: string): Promise<StoredEscalationSettings | undefined> {
  const row = await db.selectFrom('escalation_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (!row) return undefined;
  return {
    channel: row.channel,
    defaultPolicyId: row.default_policy_id === null ? null : String(row.default_policy_id),
    dueRules: row.due_rules ?? {},
    chaseMinutes: row.chase_minutes,
    // Read through the schema: a value that does not fit means the default, not a crash at every chase.
    workingHours: workingHoursSchema.safeParse(row.working_hours).data ?? null,
  };
}

/** Changes some settings of a workspace, creating its row on first use. */
export async function saveEscalationSettings(
  db: Executor,
  workspaceId: string,
  patch: Partial<StoredEscalationSettings>,
  by: string,
  now: Date,
): Promise<void> {
  const current = await db
    .selectFrom('escalation_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .forUpdate()
    .executeTakeFirst();
  const next = {
    channel: patch.channel !== undefined ? patch.channel : (current?.channel ?? null),
    default_policy_id:
      patch.defaultPolicyId !== undefined
        ? patch.defaultPolicyId
        : current?.default_policy_id === undefined || current.default_policy_id === null
          ? null
          : String(current.default_policy_id),
    due_rules: toJson(patch.dueRules ?? current?.due_rules ?? {}),
    chase_minutes: patch.chaseMinutes !== undefined ? patch.chaseMinutes : (current?.chase_minutes ?? null),
    working_hours:
      patch.workingHours !== undefined
        ? patch.workingHours
          ? toJson(patch.workingHours)
          : null
        : current?.working_hours
          ? toJson(current.working_hours)
          : null,
    updated_by: by,
    updated_at: now,
  };
  await db
    .insertInto('escalation_settings')
    .values({ workspace_id: workspaceId, ...next })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(next))
    .execute();
}

/** Clears a deleted policy from being the default. */
export async function clearDefaultPolicy(db: Executor, policyId: string): Promise<void> {
  await db.updateTable('escalation_settings').set({ default_policy_id: null }).where('default_policy_id', '=', policyId).execute();
}

export interface Draft {
  readonly token: string;
  readonly workspaceId: string;
  readonly actorId: string;
  readonly raiserId: string;
  readonly source: EscalationSourceJson | null;
}

/** A raise form opened on someone's behalf; drafts older than a week are forgotten when a new one is made. */
export async function insertDraft(db: Executor, draft: Draft, now: Date): Promise<void> {
  await db
    .deleteFrom('escalation_drafts')
    .where('created_at', '<', new Date(now.getTime() - 7 * DAY_MS))
    .execute();
  await db
    .insertInto('escalation_drafts')
    .values({
      token: draft.token,
      workspace_id: draft.workspaceId,
      actor_id: draft.actorId,
      raiser_id: draft.raiserId,
      source: draft.source ? toJson(draft.source) : null,
      created_at: now,
    })
    .execute();
}

export async function findDraft(db: Executor, token: string): Promise<Draft | undefined> {
  const row = await db.selectFrom('escalation_drafts').selectAll().where('token', '=', token).executeTakeFirst();
  if (!row) return undefined;
  return { token: row.token, workspaceId: row.workspace_id, actorId: row.actor_id, raiserId: row.raiser_id, source: row.source };
}

export async function deleteDraft(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('escalation_drafts').where('token', '=', token).execute();
}
