import type { Executor } from '../../../db/schema';

/** Deletes up to `batch` of a workspace's stand-up sessions (with their answers) prompted before `before`. */
export async function deleteAnswersBefore(db: Executor, workspaceId: string, before: Date, batch: number): Promise<number> {
  const ids = db
    .selectFrom('standup_sessions')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('prompt_at', '<', before)
    .limit(batch);
  const result = await db.deleteFrom('standup_sessions').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Erases up to `batch` handoff notes written before `before`: the note's text goes, the handoff
 * (who handed over to whom, when, confirmed or not) stays for the reports.
 */
export async function eraseNotesBefore(db: Executor, workspaceId: string, before: Date, batch: number): Promise<number> {
  const ids = db
    .selectFrom('handoffs')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('note', 'is not', null)
    .where('note_written_at', '<', before)
    .limit(batch);
  const result = await db.updateTable('handoffs').set({ note: null }).where('id', 'in', ids).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes up to `batch` questions asked on the workspace's handoffs before `before` (they quote the note). */
export async function deleteQuestionsBefore(db: Executor, workspaceId: string, before: Date, batch: number): Promise<number> {
  const handoffs = db.selectFrom('handoffs').select('id').where('workspace_id', '=', workspaceId);
  const ids = db
    .selectFrom('handoff_questions')
    .select('id')
    .where('handoff_id', 'in', handoffs)
    .where('asked_at', '<', before)
    .limit(batch);
  const result = await db.deleteFrom('handoff_questions').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}
