import { z } from 'zod';
import type { Executor } from '../../db/schema';
import type { Actor } from '../core/refs';
import { auditRecordsBetween, insertAuditRecord } from '../storage/audit/records-repository';

/**
 * Every admin change Steady records, by a name that stays stable (exports and scripts read it).
 * `person.forgotten` records an erasure without what was erased.
 */
export const AUDIT_ACTIONS = [
  'policy.created',
  'policy.changed',
  'policy.removed',
  'settings.changed',
  'digest.changed',
  'admin.added',
  'admin.removed',
  'rotation.created',
  'rotation.changed',
  'rotation.removed',
  'standup.created',
  'standup.changed',
  'standup.removed',
  'retention.changed',
  'person.forgotten',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a service says about its change; who and when come from the caller's actor and clock. */
export interface AuditChange {
  readonly action: AuditAction;
  /** What was changed: a policy's, rotation's or stand-up's name, a person's id, `escalation settings`. */
  readonly subject: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Records one admin change. Call it with the change's own transaction: if the change rolls back,
 * so does its record, and a record never describes a change that was not stored.
 */
export async function recordChange(trx: Executor, actor: Actor, at: Date, change: AuditChange): Promise<void> {
  await insertAuditRecord(trx, {
    workspaceId: actor.workspaceId,
    actorId: actor.userId,
    at,
    action: change.action,
    subject: change.subject,
    before: change.before ?? null,
    after: change.after ?? null,
  });
}

/** JSON as stored: read back through a schema, so an export never carries a value that is not JSON. */
const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const recordSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  actorId: z.string(),
  action: z.string().min(1).max(100),
  subject: z.string().max(500),
  before: jsonValue,
  after: jsonValue,
  at: z.date(),
});
export type AuditRecord = z.infer<typeof recordSchema>;

/**
 * A workspace's records in [from, before), newest first, at most `limit` of them, with how many
 * there are. A record that does not read as one (edited by hand) is shown with its JSON as null
 * rather than stopping the whole list.
 */
export async function auditRecords(
  db: Executor,
  workspaceId: string,
  from: Date,
  before: Date,
  limit: number,
): Promise<{ records: AuditRecord[]; total: number }> {
  const { rows, total } = await auditRecordsBetween(db, workspaceId, from, before, limit);
  const records = rows.map((row) => {
    const parsed = recordSchema.safeParse(row);
    return parsed.success ? parsed.data : { ...row, before: null, after: null };
  });
  return { records, total };
}

/** One line per setting that differs: `chaseMinutes: 60 → 120`. Values longer than `width` are cut with "…". */
export function changedFields(
  before: unknown,
  after: unknown,
  width = 80,
): { field: string; before: string; after: string; was?: unknown; is?: unknown }[] {
  const show = (v: unknown) => (isEmpty(v) ? '(none)' : cut(JSON.stringify(v), width));
  // A creation (nothing before) or a removal (nothing after) compares with an empty object.
  const was = before === null && isObject(after) ? {} : before;
  const is = after === null && isObject(before) ? {} : after;
  if (!isObject(was) || !isObject(is)) {
    if (JSON.stringify(was) === JSON.stringify(is)) return [];
    return [{ field: '', before: show(was), after: show(is) }];
  }
  const keys = [...new Set([...Object.keys(was), ...Object.keys(is)])];
  return keys
    .filter((k) => JSON.stringify(was[k]) !== JSON.stringify(is[k]) && !(isEmpty(was[k]) && isEmpty(is[k])))
    .map((k) => ({ field: k, before: show(was[k]), after: show(is[k]), was: was[k], is: is[k] }));
}

/** Nothing worth showing: no value, null, {} or []. */
function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
