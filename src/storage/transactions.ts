import type { Executor } from '../../db/schema';

/** Runs `work` in the caller's transaction when given one, else in a new one. */
export async function inTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}
