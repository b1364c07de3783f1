import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { HandoffQuestionsTable, HandoffsTable } from '../../../db/tables/handoff';
import { toJson } from '../../../db/tables/json';
import type { Handoff, HandoffNote, TransferOutcome } from '../../handoff/model';

type HandoffRow = Selectable<HandoffsTable>;

function toHandoff(row: HandoffRow): Handoff {
  return {
    id: String(row.id),
    rotationId: String(row.rotation_id),
    workspaceId: row.workspace_id,
    versionId: String(row.version_id),
    outgoingStart: row.outgoing_start,
    outgoingEnd: row.outgoing_end,
    incomingStart: row.incoming_start,
    incomingEnd: row.incoming_end,
    outgoingId: row.outgoing_id,
    incomingId: row.incoming_id,
    note: row.note,
    noteWrittenAt: row.note_written_at,
    noteWrittenBy: row.note_written_by,
    remindedAt: row.reminded_at,
    chasedAt: row.chased_at,
    noNoteToldAt: row.no_note_told_at,
    supervisorNoteAt: row.supervisor_note_at,
    channelMessageRef: row.channel_message_ref,
    channelError: row.channel_error,
    incomingMessageRef: row.incoming_message_ref,
    postedAt: row.posted_at,
    confirmRemindedAt: row.confirm_reminded_at,
    supervisorConfirmAt: row.supervisor_confirm_at,
    confirmedAt: row.confirmed_at,
    confirmedBy: row.confirmed_by,
    outgoingToldAt: row.outgoing_told_at,
    transfers: row.transfers,
    skippedAt: row.skipped_at,
    skipReason: row.skip_reason,
    cancelledAt: row.cancelled_at,
    createdAt: row.created_at,
  };
}

/** A shift change as planned: the handoff's shifts and people, before anyone has written or confirmed. */
export type NewHandoff = Pick<
  Handoff,
  | 'rotationId'
  | 'workspaceId'
  | 'versionId'
  | 'outgoingStart'
  | 'outgoingEnd'
  | 'incomingStart'
  | 'incomingEnd'
  | 'outgoingId'
  | 'incomingId'
>;

/** Plans a shift change; undefined when it is already planned (by another job run or instance). */
export async function insertHandoff(db: Executor, h: NewHandoff, now: Date): Promise<Handoff | undefined> {
  const row = await db
    .insertInto('handoffs')
    .values({
      rotation_id: h.rotationId,
      workspace_id: h.workspaceId,
      version_id: h.versionId,
      outgoing_start: h.outgoingStart,
      outgoing_end: h.outgoingEnd,
      incoming_start: h.incomingStart,
      incoming_end: h.incomingEnd,
      outgoing_id: h.outgoingId,
      incoming_id: h.incomingId,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['rotation_id', 'incoming_start']).where('cancelled_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toHandoff(row) : undefined;
}

export async function findHandoff(db: Executor, id: string): Promise<Handoff | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const row = await db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toHandoff(row) : undefined;
}

export async function lockHandoff(db: Executor, id: string): Promise<Handoff | undefined> {
  const row = await db.selectFrom('handoffs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toHandoff(row) : undefined;
}

/**
 * Handoffs of a rotation whose note has not been delivered yet and that still count: their
 * incoming shift has not ended by `now` (after that a note nobody read is history).
 */
export async function findUndelivered(db: Executor, rotationId: string, now: Date): Promise<Handoff[]> {
  const rows = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('rotation_id', '=', rotationId)
    .where('incoming_end', '>', now)
    .where('posted_at', 'is', null)
    .where('skipped_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .orderBy('incoming_start')
    .execute();
  return rows.map(toHandoff);
}

/** Handoffs of a rotation not yet confirmed (nor skipped or cancelled). */
export async function findUnconfirmed(db: Executor, rotationId: string): Promise<Handoff[]> {
  const rows = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('rotation_id', '=', rotationId)
    .where('confirmed_at', 'is', null)
    .where('skipped_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .orderBy('incoming_start')
    .execute();
  return rows.map(toHandoff);
}

export async function deleteHandoff(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('handoffs').where('id', '=', id).execute();
}

/** Sets columns on a handoff; with `unlessSet`, only while that column is still empty (a step done once). */
export async function updateHandoff(
  db: Executor,
  id: string,
  patch: Updateable<HandoffsTable>,
  unlessSet?: keyof HandoffsTable & `${string}_at`,
): Promise<boolean> {
  let query = db.updateTable('handoffs').set(patch).where('id', '=', id);
  if (unlessSet) query = query.where(unlessSet, 'is', null);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function saveNote(db: Executor, id: string, note: HandoffNote, by: string, now: Date): Promise<void> {
  await db
    .updateTable('handoffs')
    .set({ note: toJson(note), note_written_at: now, note_written_by: by })
    .where('id', '=', id)
    .execute();
}

export async function saveTransfers(db: Executor, id: string, transfers: readonly TransferOutcome[]): Promise<void> {
  await db
    .updateTable('handoffs')
    .set({ transfers: toJson(transfers) })
    .where('id', '=', id)
    .execute();
}

/** Records the confirmation; false when someone confirmed first. */
export async function markConfirmed(db: Executor, id: string, by: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('handoffs')
    .set({ confirmed_at: now, confirmed_by: by })
    .where('id', '=', id)
    .where('confirmed_at', 'is', null)
    .where('posted_at', 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Handoffs waiting for a person: to write (they are outgoing, the outgoing shift has started, no
 * note delivered yet) or to confirm (they are incoming, the note is delivered, not confirmed);
 * either only until the incoming shift ends.
 */
export async function findWaitingFor(db: Executor, workspaceId: string, userId: string, now: Date): Promise<Handoff[]> {
  const rows = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('skipped_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('incoming_end', '>', now)
    .where((eb) =>
      eb.or([
        eb.and([eb('outgoing_id', '=', userId), eb('posted_at', 'is', null), eb('outgoing_start', '<=', now)]),
        eb.and([eb('incoming_id', '=', userId), eb('posted_at', 'is not', null), eb('confirmed_at', 'is', null)]),
      ]),
    )
    .orderBy('incoming_start')
    .execute();
  return rows.map(toHandoff);
}

/** Shift changes of these rotations in [from, to), oldest first. */
export async function findHandoffsBetween(db: Executor, rotationIds: readonly string[], from: Date, to: Date): Promise<Handoff[]> {
  if (rotationIds.length === 0) return [];
  const rows = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('rotation_id', 'in', [...rotationIds])
    .where('incoming_start', '>=', from)
    .where('incoming_start', '<', to)
    .where('cancelled_at', 'is', null)
    .orderBy('incoming_start')
    .execute();
  return rows.map(toHandoff);
}

export async function findLatestPosted(db: Executor, rotationId: string): Promise<Handoff | undefined> {
  const row = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('rotation_id', '=', rotationId)
    .where('posted_at', 'is not', null)
    .orderBy('incoming_start', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toHandoff(row) : undefined;
}

export type QuestionRow = Selectable<HandoffQuestionsTable>;

export async function insertQuestion(
  db: Executor,
  q: { handoffId: string; askerId: string; question: string; now: Date },
): Promise<string> {
  const row = await db
    .insertInto('handoff_questions')
    .values({ handoff_id: q.handoffId, asker_id: q.askerId, question: q.question, asked_at: q.now, answer: null, answered_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export async function findQuestion(db: Executor, id: string): Promise<QuestionRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db.selectFrom('handoff_questions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function answerQuestion(db: Executor, id: string, answer: string, now: Date): Promise<void> {
  await db.updateTable('handoff_questions').set({ answer, answered_at: now }).where('id', '=', id).execute();
}

export async function countQuestions(db: Executor, handoffId: string): Promise<number> {
  const row = await db
    .selectFrom('handoff_questions')
    .select(sql<string>`count(*)`.as('n'))
    .where('handoff_id', '=', handoffId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
