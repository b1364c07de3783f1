import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { OverrideSource, RotationOverridesTable, RotationSwapsTable, SwapStatus } from '../../../db/tables/handoff';
import { toJson } from '../../../db/tables/json';
import type { RotationOverride, SwapRequest, SwapShift } from '../../handoff/model';

function toOverride(row: Selectable<RotationOverridesTable>): RotationOverride {
  return {
    id: String(row.id),
    rotationId: String(row.rotation_id),
    userId: row.user_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    source: row.source,
    swapId: row.swap_id === null ? null : String(row.swap_id),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toSwap(row: Selectable<RotationSwapsTable>): SwapRequest {
  return {
    id: String(row.id),
    rotationId: String(row.rotation_id),
    workspaceId: row.workspace_id,
    requesterId: row.requester_id,
    otherId: row.other_id,
    requesterShifts: row.requester_shifts,
    otherShifts: row.other_shifts,
    status: row.status,
    requestMessageRef: row.request_message_ref,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

export async function insertOverride(
  db: Executor,
  o: {
    rotationId: string;
    userId: string;
    startsAt: Date;
    endsAt: Date;
    source: OverrideSource;
    swapId?: string;
    createdBy: string;
    now: Date;
  },
): Promise<RotationOverride> {
  const row = await db
    .insertInto('rotation_overrides')
    .values({
      rotation_id: o.rotationId,
      user_id: o.userId,
      starts_at: o.startsAt,
      ends_at: o.endsAt,
      source: o.source,
      swap_id: o.swapId ?? null,
      created_by: o.createdBy,
      created_at: o.now,
      cancelled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOverride(row);
}

/** Live overrides of a rotation that overlap [from, to), oldest first (a later one wins). */
export async function findOverrides(db: Executor, rotationId: string, from: Date, to: Date): Promise<RotationOverride[]> {
  const rows = await db
    .selectFrom('rotation_overrides')
    .selectAll()
    .where('rotation_id', '=', rotationId)
    .where('cancelled_at', 'is', null)
    .where('ends_at', '>', from)
    .where('starts_at', '<', to)
    .orderBy('id')
    .execute();
  return rows.map(toOverride);
}

export async function insertSwap(
  db: Executor,
  s: {
    rotationId: string;
    workspaceId: string;
    requesterId: string;
    otherId: string;
    requesterShifts: readonly SwapShift[];
    otherShifts: readonly SwapShift[];
    now: Date;
  },
): Promise<SwapRequest> {
  const row = await db
    .insertInto('rotation_swaps')
    .values({
      rotation_id: s.rotationId,
      workspace_id: s.workspaceId,
      requester_id: s.requesterId,
      other_id: s.otherId,
      requester_shifts: toJson(s.requesterShifts),
      other_shifts: toJson(s.otherShifts),
      status: 'pending',
      request_message_ref: null,
      created_at: s.now,
      decided_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSwap(row);
}

export async function findSwap(db: Executor, id: string): Promise<SwapRequest | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db.selectFrom('rotation_swaps').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSwap(row) : undefined;
}

export async function setSwapMessage(db: Executor, id: string, ref: string): Promise<void> {
  await db.updateTable('rotation_swaps').set({ request_message_ref: ref }).where('id', '=', id).execute();
}

/** Decides a pending swap; undefined when it was already decided (a second click). */
export async function decideSwap(
  db: Executor,
  id: string,
  status: Exclude<SwapStatus, 'pending'>,
  now: Date,
): Promise<SwapRequest | undefined> {
  const row = await db
    .updateTable('rotation_swaps')
    .set({ status, decided_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  return row ? toSwap(row) : undefined;
}

/** Overrides of a rotation that are not over yet, soonest first. */
export async function findComingOverrides(db: Executor, rotationId: string, now: Date, limit: number): Promise<RotationOverride[]> {
  const rows = await db
    .selectFrom('rotation_overrides')
    .selectAll()
    .where('rotation_id', '=', rotationId)
    .where('cancelled_at', 'is', null)
    .where('ends_at', '>', now)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toOverride);
}

export async function findOverride(db: Executor, id: string): Promise<RotationOverride | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db
    .selectFrom('rotation_overrides')
    .selectAll()
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
  return row ? toOverride(row) : undefined;
}

/**
 * Takes overrides back: one that has not started is cancelled; one in progress ends now, so the
 * record of who was on until now stays true. Returns how many were still live.
 */
export async function withdrawOverrides(db: Executor, ids: readonly string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const cancelled = await db
    .updateTable('rotation_overrides')
    .set({ cancelled_at: now })
    .where('id', 'in', ids)
    .where('cancelled_at', 'is', null)
    .where('starts_at', '>', now)
    .executeTakeFirst();
  const ended = await db
    .updateTable('rotation_overrides')
    .set({ ends_at: now })
    .where('id', 'in', ids)
    .where('cancelled_at', 'is', null)
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .executeTakeFirst();
  return Number(cancelled.numUpdatedRows) + Number(ended.numUpdatedRows);
}

/** The overrides one accepted swap made (both sides go together). */
export async function findSwapOverrides(db: Executor, swapId: string): Promise<RotationOverride[]> {
  const rows = await db
    .selectFrom('rotation_overrides')
    .selectAll()
    .where('swap_id', '=', swapId)
    .where('cancelled_at', 'is', null)
    .execute();
  return rows.map(toOverride);
}
