import type { Db } from '../../db/schema';
import type { Clock } from '../core/clock';
import type { InboundDedupe } from '../core/dispatcher';

/** Platform event ids already handled, in the database so every instance and restart shares them. */
export function databaseDedupe(db: Db, clock: Clock): InboundDedupe {
  return {
    async claim(key) {
      const row = await db
        .insertInto('inbound_events')
        .values({ key, received_at: clock.now() })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      return row !== undefined;
    },
    async release(key) {
      await db.deleteFrom('inbound_events').where('key', '=', key).execute();
    },
  };
}

/** Forgets event ids older than `before` (platforms stop retrying within hours). */
export async function purgeInboundEvents(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('inbound_events').where('received_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
