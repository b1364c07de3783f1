import type { Selectable } from 'kysely';
import type { Executor } from '../../db/schema';
import type { RecurringRulesTable } from '../../db/tables/foundation';
import { toJson } from '../../db/tables/json';

export type RuleRow = Selectable<RecurringRulesTable>;

export interface RuleSpec {
  /** Unique and stable, e.g. `standup:12:U123`; occurrences' dedupe keys derive from it. */
  readonly key: string;
  readonly jobKind: string;
  /** Five-field cron in wall-clock time of `zone`, e.g. `30 9 * * 1-5`. */
  readonly cron: string;
  readonly zone: string;
  readonly payload: Record<string, unknown>;
  readonly owner?: string;
  readonly active?: boolean;
}

export async function upsertRule(db: Executor, spec: RuleSpec, nextRunAt: Date | null, now: Date): Promise<void> {
  const values = {
    job_kind: spec.jobKind,
    cron: spec.cron,
    zone: spec.zone,
    payload: toJson(spec.payload),
    owner: spec.owner ?? null,
    active: spec.active ?? true,
    next_run_at: nextRunAt,
    updated_at: now,
  };
  await db
    .insertInto('recurring_rules')
    .values({ key: spec.key, created_at: now, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

export async function findRule(db: Executor, key: string): Promise<RuleRow | undefined> {
  return db.selectFrom('recurring_rules').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function findRulesByOwner(db: Executor, owner: string): Promise<RuleRow[]> {
  return db.selectFrom('recurring_rules').selectAll().where('owner', '=', owner).orderBy('key').execute();
}

export async function deleteRules(db: Executor, filter: { readonly key: string } | { readonly owner: string }): Promise<number> {
  let query = db.deleteFrom('recurring_rules');
  query = 'key' in filter ? query.where('key', '=', filter.key) : query.where('owner', '=', filter.owner);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Locks the active rules that are due, skipping those another scheduler is materialising. */
export async function lockDueRules(db: Executor, now: Date, limit: number): Promise<RuleRow[]> {
  return db
    .selectFrom('recurring_rules')
    .selectAll()
    .where('active', '=', true)
    .where('next_run_at', '<=', now)
    .orderBy('next_run_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function setNextRun(db: Executor, key: string, nextRunAt: Date | null, now: Date): Promise<void> {
  await db.updateTable('recurring_rules').set({ next_run_at: nextRunAt, updated_at: now }).where('key', '=', key).execute();
}
