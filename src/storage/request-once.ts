import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolClient } from 'pg';
import type { Db } from '../../db/schema';
import { isUniqueViolation } from './unique-violation';

/**
 * Makes a kept request's changes happen once, however often it is run (again after a crash, or by
 * a second instance that took it over). While a request is handled inside `applyOnce`, the first
 * transaction that changes something also writes the request's marker row; the marker's primary
 * key lets only one run commit it. A run that finds the marker knows the change is in and stops.
 *
 * Done at the connection (node-postgres' `client.query`), below kysely, so that none of the
 * workflows' forty-odd transactions needs to know: a workflow decides and records its change in
 * one transaction (the delivery engine's rule), and that transaction is the one that counts.
 */
interface Mark {
  readonly key: string;
  readonly at: Date;
  applied: boolean;
}

const current = new AsyncLocalStorage<Mark>();

/**
 * Tables a request writes on its way rather than as its change (the people directory, a
 * platform's conversation references, forms shown): writing them does not mark the request, so a
 * crash after such a write and before the change still runs the change again. The core's are
 * here; each platform's are added from its descriptor (`incidentalTables`) by the composition root.
 */
const INCIDENTAL = new Set(['people', 'workspaces', 'inbound_events', 'reported_problems', 'send_lanes']);

/**
 * Adds the platforms' incidental tables (PlatformDescriptor.incidentalTables), once at start-up, for
 * every platform in the list whether it runs or not: the set only grows, and a table of a platform
 * that does not run is never written.
 */
export function addIncidentalTables(tables: readonly string[]): void {
  for (const table of tables) INCIDENTAL.add(table.toLowerCase());
}

/** Thrown where a run would record a change that another run of the same request already recorded. */
export class AlreadyApplied extends Error {
  override readonly name = 'AlreadyApplied';
}

export function appliedKey(requestId: string): string {
  return `applied:${requestId}`;
}

/** Runs `work` so that its first change also records `key`; AlreadyApplied if it was recorded before. */
export function applyOnce<T>(key: string, at: Date, work: () => Promise<T>): Promise<T> {
  return current.run({ key, at, applied: false }, work);
}

export async function wasApplied(db: Db, key: string): Promise<boolean> {
  const row = await db.selectFrom('inbound_events').select('key').where('key', '=', key).executeTakeFirst();
  return row !== undefined;
}

type Query = (text: string, values?: unknown[]) => Promise<unknown>;

interface ClientState {
  inTransaction: boolean;
  /** The transaction wrote a table that is not incidental. */
  changed: boolean;
}

const WRITE = /^\s*(?:insert\s+into|update|delete\s+from|merge\s+into)\s+(?:"?public"?\.)?"?([a-z_]+)"?/i;
/** A WITH whose parts write (`update x set`, not a `select … for update`). */
const WRITING_CTE = /^\s*with\b[\s\S]*\b(?:insert\s+into|update\s+(?:"?\w+"?\.)?"?\w+"?\s+(?:as\s+\w+\s+)?set|delete\s+from)\b/i;

/** Whether a statement changes a table that counts. */
function changes(text: string): boolean {
  const write = WRITE.exec(text);
  if (write) return !INCIDENTAL.has(write[1]!.toLowerCase());
  return WRITING_CTE.test(text);
}

/** Installs the guard on a pooled client (called on the pool's 'connect'). */
export function guardClient(client: PoolClient): void {
  const query = client.query.bind(client) as unknown as Query;
  const state: ClientState = { inTransaction: false, changed: false };
  // Outside a kept request's handling (nearly every statement: the scheduler's, the sends') the
  // query goes straight through: a transaction begun there also ends there, in the same chain.
  const guarded = (text: unknown, values?: unknown[]): Promise<unknown> => {
    const mark = current.getStore();
    if (!mark || typeof text !== 'string') return query(text as string, values);
    return guardedQuery(mark, text, values);
  };
  const guardedQuery = async (mark: Mark, text: string, values?: unknown[]): Promise<unknown> => {
    const verb = /^\s*(begin|start\s+transaction|commit|rollback)\b/i.exec(text)?.[1]?.toLowerCase();
    if (verb === 'begin' || verb?.startsWith('start')) {
      state.inTransaction = true;
      state.changed = false;
      return query(text, values);
    }
    if (verb === 'commit' || verb === 'rollback') {
      try {
        const marking = verb === 'commit' && !mark.applied && state.changed;
        if (marking) await recordMark(query, mark);
        const result = await query(text, values);
        // A commit of an aborted transaction answers ROLLBACK: then nothing, the mark included, is in.
        if (marking && (result as { command?: string }).command === 'COMMIT') mark.applied = true;
        return result;
      } finally {
        state.inTransaction = false;
        state.changed = false;
      }
    }
    if (mark.applied || !changes(text)) return query(text, values);
    if (state.inTransaction) {
      state.changed = true;
      return query(text, values);
    }
    // A change outside a transaction: made one, so the change and its mark commit together.
    await query('begin');
    try {
      await recordMark(query, mark);
      const result = await query(text, values);
      await query('commit');
      mark.applied = true;
      return result;
    } catch (err) {
      // The change's own error is the one to report; a failed rollback ends the session anyway.
      await query('rollback').catch(() => undefined);
      throw err;
    }
  };
  (client as unknown as { query: unknown }).query = guarded;
}

async function recordMark(query: Query, mark: Mark): Promise<void> {
  try {
    await query('insert into inbound_events (key, received_at) values ($1, $2)', [mark.key, mark.at]);
  } catch (err) {
    if (isUniqueViolation(err, 'inbound_events_pkey')) throw new AlreadyApplied(`request ${mark.key} was already applied`);
    throw err;
  }
}
