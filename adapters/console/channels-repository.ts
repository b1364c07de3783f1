import type { Executor } from '../../db/schema';

/** Of these channel references, those the console has seen. */
export async function findChannels(db: Executor, refs: readonly string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  const rows = await db
    .selectFrom('console_channels')
    .select('ref')
    .where('ref', 'in', [...refs])
    .execute();
  return new Set(rows.map((r) => r.ref));
}

export async function rememberChannel(db: Executor, ref: string, now: Date): Promise<void> {
  await db
    .insertInto('console_channels')
    .values({ ref, first_seen_at: now })
    .onConflict((oc) => oc.column('ref').doNothing())
    .execute();
}
