import type { Selectable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { TeamsMembersTable } from './tables';

export type StoredMember = Selectable<TeamsMembersTable>;

export interface MemberRecord {
  readonly tenantId: string;
  readonly userId: string;
  readonly name?: string;
  readonly aadObjectId?: string;
  readonly email?: string;
  readonly timeZone?: string;
  readonly seenIn?: string;
}

/** Remembers what Teams said about a person; what it did not say this time is kept. */
export async function rememberMember(db: Executor, record: MemberRecord, now: Date): Promise<void> {
  await db
    .insertInto('teams_members')
    .values({
      tenant_id: record.tenantId,
      user_id: record.userId,
      aad_object_id: record.aadObjectId ?? null,
      name: record.name ?? record.userId,
      email: record.email ?? null,
      time_zone: record.timeZone ?? null,
      seen_in: record.seenIn ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'user_id']).doUpdateSet({
        updated_at: now,
        ...(record.name ? { name: record.name } : {}),
        ...(record.aadObjectId ? { aad_object_id: record.aadObjectId } : {}),
        ...(record.email ? { email: record.email } : {}),
        ...(record.timeZone ? { time_zone: record.timeZone } : {}),
        ...(record.seenIn ? { seen_in: record.seenIn } : {}),
      }),
    )
    .execute();
}

export async function findMember(db: Executor, tenantId: string, userId: string): Promise<StoredMember | undefined> {
  return db.selectFrom('teams_members').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst();
}

export async function findMembers(db: Executor, tenantId: string, userIds: readonly string[]): Promise<StoredMember[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('teams_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', [...userIds])
    .execute();
}

export async function findMemberByAad(db: Executor, tenantId: string, aadObjectId: string): Promise<StoredMember | undefined> {
  return db
    .selectFrom('teams_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('aad_object_id', '=', aadObjectId)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findMembersByAad(db: Executor, tenantId: string, aadObjectIds: readonly string[]): Promise<StoredMember[]> {
  if (aadObjectIds.length === 0) return [];
  return db
    .selectFrom('teams_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('aad_object_id', 'in', [...aadObjectIds])
    .execute();
}
