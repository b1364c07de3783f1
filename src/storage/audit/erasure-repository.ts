import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../../db/schema';

/**
 * The statements behind `/steady forget @person` (src/audit/forget.ts), one workspace at a time.
 * Each returns how many rows it touched. `former` is the id that replaces the person in what is kept.
 */

const count = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint } | undefined) => Number(r?.numDeletedRows ?? r?.numUpdatedRows ?? 0n);

/** The person's id as it appears inside JSON, and what replaces it there. */
function jsonTokens(userId: string, former: string): { from: string; to: string } {
  return { from: JSON.stringify(userId), to: JSON.stringify(former) };
}

/** `column` with every JSON string equal to the id replaced (a value anywhere, an array item, a key). */
function replacedJson(column: string, userId: string, former: string): RawBuilder<string> {
  const { from, to } = jsonTokens(userId, former);
  return sql<string>`replace(${sql.ref(column)}::text, ${from}, ${to})::jsonb`;
}

function mentionsJson(column: string, userId: string): RawBuilder<boolean> {
  return sql<boolean>`strpos(${sql.ref(column)}::text, ${JSON.stringify(userId)}) > 0`;
}

/** What a person left that is erased or kept under another name: what blocks it is checked before. */
export async function eraseStandupData(
  db: Executor,
  workspaceId: string,
  userId: string,
  former: string,
): Promise<{ answers: number; sessionIds: string[]; standupIds: string[] }> {
  const sessions = await db
    .deleteFrom('standup_sessions')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .returning('id')
    .execute();
  const standupIds = (await db.selectFrom('standups').select('id').where('workspace_id', '=', workspaceId).execute()).map((s) =>
    String(s.id),
  );
  if (standupIds.length) {
    await db.deleteFrom('standup_participants').where('standup_id', 'in', standupIds).where('user_id', '=', userId).execute();
    await db
      .updateTable('standups')
      .set({ creator_id: former })
      .where('workspace_id', '=', workspaceId)
      .where('creator_id', '=', userId)
      .execute();
    // A stand-up's own admins: the person is taken off the list rather than kept under another name.
    await db
      .updateTable('standups')
      .set({
        admin_ids: sql<string>`coalesce((select jsonb_agg(a) from jsonb_array_elements(admin_ids) a where a <> to_jsonb(${userId}::text)), '[]'::jsonb)`,
      })
      .where('workspace_id', '=', workspaceId)
      .where(mentionsJson('admin_ids', userId))
      .execute();
  }
  await db.deleteFrom('standup_absences').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
  return { answers: sessions.length, sessionIds: sessions.map((s) => String(s.id)), standupIds };
}

export async function eraseHandoffData(
  db: Executor,
  workspaceId: string,
  userId: string,
  former: string,
): Promise<{ notes: number; questions: number }> {
  const notes = await db
    .updateTable('handoffs')
    .set({ note: null, note_written_by: former })
    .where('workspace_id', '=', workspaceId)
    .where('note_written_by', '=', userId)
    .executeTakeFirst();
  for (const column of ['outgoing_id', 'incoming_id', 'confirmed_by'] as const) {
    await db
      .updateTable('handoffs')
      .set({ [column]: former })
      .where('workspace_id', '=', workspaceId)
      .where(column, '=', userId)
      .execute();
  }
  const handoffIds = db.selectFrom('handoffs').select('id').where('workspace_id', '=', workspaceId);
  const questions = await db
    .deleteFrom('handoff_questions')
    .where('handoff_id', 'in', handoffIds)
    .where('asker_id', '=', userId)
    .executeTakeFirst();
  const rotationIds = db.selectFrom('rotations').select('id').where('workspace_id', '=', workspaceId);
  await db
    .updateTable('rotations')
    .set({ created_by: former })
    .where('workspace_id', '=', workspaceId)
    .where('created_by', '=', userId)
    .execute();
  await db
    .updateTable('rotation_versions')
    .set({ members: replacedJson('members', userId, former) })
    .where('rotation_id', 'in', rotationIds)
    .where(mentionsJson('members', userId))
    .execute();
  for (const column of ['supervisor_id', 'created_by'] as const) {
    await db
      .updateTable('rotation_versions')
      .set({ [column]: former })
      .where('rotation_id', 'in', rotationIds)
      .where(column, '=', userId)
      .execute();
  }
  for (const column of ['user_id', 'created_by'] as const) {
    await db
      .updateTable('rotation_overrides')
      .set({ [column]: former })
      .where('rotation_id', 'in', rotationIds)
      .where(column, '=', userId)
      .execute();
  }
  for (const column of ['requester_id', 'other_id'] as const) {
    await db
      .updateTable('rotation_swaps')
      .set({ [column]: former })
      .where('workspace_id', '=', workspaceId)
      .where(column, '=', userId)
      .execute();
  }
  // Notes others wrote name the person in their blockers: the name goes, the note stays.
  await db
    .updateTable('handoffs')
    .set({ note: replacedJson('note', userId, former) })
    .where('workspace_id', '=', workspaceId)
    .where(mentionsJson('note', userId))
    .execute();
  return { notes: count(notes), questions: count(questions) };
}

/** Escalations and their timelines are kept; every place that names the person names `former` instead. */
export async function anonymiseEscalations(
  db: Executor,
  workspaceId: string,
  userId: string,
  former: string,
): Promise<{ escalations: number; events: number }> {
  const ids = db.selectFrom('escalations').select('id').where('workspace_id', '=', workspaceId);
  let escalations = 0;
  for (const column of ['owner_id', 'raiser_id', 'created_by', 'acknowledged_by', 'resolved_by', 'cancelled_by'] as const) {
    escalations += count(
      await db
        .updateTable('escalations')
        .set({ [column]: former })
        .where('workspace_id', '=', workspaceId)
        .where(column, '=', userId)
        .executeTakeFirst(),
    );
  }
  for (const column of ['notified_user_ids', 'policy'] as const) {
    await db
      .updateTable('escalations')
      .set({ [column]: replacedJson(column, userId, former) })
      .where('workspace_id', '=', workspaceId)
      .where(mentionsJson(column, userId))
      .execute();
  }
  const actors = await db
    .updateTable('escalation_events')
    .set({ actor_id: former })
    .where('escalation_id', 'in', ids)
    .where('actor_id', '=', userId)
    .executeTakeFirst();
  const data = await db
    .updateTable('escalation_events')
    .set({ data: replacedJson('data', userId, former) })
    .where('escalation_id', 'in', ids)
    .where(mentionsJson('data', userId))
    .executeTakeFirst();
  await db.deleteFrom('escalation_direct_messages').where('escalation_id', 'in', ids).where('user_id', '=', userId).execute();
  await db
    .deleteFrom('escalation_drafts')
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('actor_id', '=', userId), eb('raiser_id', '=', userId)]))
    .execute();
  for (const column of ['created_by', 'updated_by'] as const) {
    await db
      .updateTable('escalation_policies')
      .set({ [column]: former })
      .where('workspace_id', '=', workspaceId)
      .where(column, '=', userId)
      .execute();
  }
  await db
    .updateTable('escalation_settings')
    .set({ updated_by: former })
    .where('workspace_id', '=', workspaceId)
    .where('updated_by', '=', userId)
    .execute();
  return { escalations, events: count(actors) + count(data) };
}

/** The person's profile (name, zone), admin rights, dashboard links and deliveries addressed to them. */
export async function eraseProfile(
  db: Executor,
  workspaceId: string,
  userId: string,
  former: string,
): Promise<{ profile: number; links: number }> {
  const profile = await db.deleteFrom('people').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();
  const links = await db
    .deleteFrom('dashboard_links')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  await db.deleteFrom('workspace_admins').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
  await db
    .updateTable('workspace_admins')
    .set({ added_by: former })
    .where('workspace_id', '=', workspaceId)
    .where('added_by', '=', userId)
    .execute();
  // Finished deliveries to the person (the records say where, never what); one in flight finishes first.
  await db
    .deleteFrom('outbox')
    .where('workspace_id', '=', workspaceId)
    .where('target', '=', `@${userId}`)
    .where('state', 'in', ['sent', 'failed'])
    .execute();
  // The workspace's own settings (the digest's "set by", say).
  await db
    .updateTable('workspaces')
    .set({ settings: replacedJson('settings', userId, former) })
    .where('id', '=', workspaceId)
    .where(mentionsJson('settings', userId))
    .execute();
  return { profile: count(profile), links: count(links) };
}

/**
 * Pending jobs addressed to the person: by their id in the workspace (a problem report, a direct
 * message), in one of its stand-ups, rotations or escalations, or about one of their erased sessions.
 */
export async function cancelJobsFor(
  db: Executor,
  scope: { workspaceId: string; userId: string; standupIds: readonly string[]; sessionIds: readonly string[] },
  now: Date,
): Promise<number> {
  const { workspaceId, userId } = scope;
  const rotationIds = (await db.selectFrom('rotations').select('id').where('workspace_id', '=', workspaceId).execute()).map((r) =>
    String(r.id),
  );
  const escalationIds = (await db.selectFrom('escalations').select('id').where('workspace_id', '=', workspaceId).execute()).map((r) =>
    String(r.id),
  );
  const inList = (key: string, values: readonly string[]) =>
    values.length ? sql<boolean>`payload->>${key} in (${sql.join(values)})` : sql<boolean>`false`;
  const result = await db
    .updateTable('jobs')
    .set({ state: 'cancelled', finished_at: now, updated_at: now })
    .where('state', '=', 'pending')
    .where(
      sql<boolean>`(
        (payload->>'userId' = ${userId} and (payload->>'workspaceId' = ${workspaceId} or ${inList('standupId', scope.standupIds)} or ${inList('rotationId', rotationIds)}))
        or (payload->'to'->>'userId' = ${userId} and payload->'to'->>'workspaceId' = ${workspaceId})
        or ((payload->>'user' = ${userId} or payload->>'to' = ${userId}) and ${inList('escalationId', escalationIds)})
        or ${inList('sessionId', scope.sessionIds)}
      )`,
    )
    .executeTakeFirst();
  return count(result);
}

/** The audit trail keeps who changed what, with the person's id replaced in it. */
export async function anonymiseAudit(db: Executor, workspaceId: string, userId: string, former: string): Promise<void> {
  await db
    .updateTable('audit_records')
    .set({ actor_id: former })
    .where('workspace_id', '=', workspaceId)
    .where('actor_id', '=', userId)
    .execute();
  await db
    .updateTable('audit_records')
    .set({ subject: former })
    .where('workspace_id', '=', workspaceId)
    .where('subject', '=', userId)
    .execute();
  for (const column of ['before', 'after'] as const) {
    await db
      .updateTable('audit_records')
      .set({ [column]: replacedJson(column, userId, former) })
      .where('workspace_id', '=', workspaceId)
      .where(mentionsJson(column, userId))
      .execute();
  }
}
