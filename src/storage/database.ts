import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { Database, Db } from '../../db/schema';
import { LanePool } from './lanes';
import { guardClient } from './request-once';

/** Where the data lives: a PostgreSQL server, or PGlite (PostgreSQL in WebAssembly) in-process. */
export type DatabaseTarget =
  | {
      readonly engine: 'postgres';
      readonly url: string;
      /** Connections for the scheduler's own work (default 10). */
      readonly poolSize?: number;
      /** Connections kept for what people are waiting for, apart from the scheduler's (default 5). */
      readonly requestConnections?: number;
    }
  /**
   * `dataDir` null keeps everything in memory (tests); `from`, a data directory PGlite dumped
   * (`dumpDataDir`), starts that memory from it instead of from an empty cluster.
   */
  | { readonly engine: 'pglite'; readonly dataDir: string | null; readonly from?: Blob };

export interface DatabaseConnection {
  readonly db: Db;
  readonly engine: DatabaseTarget['engine'];
  close(): Promise<void>;
  /** PGlite only: its whole data directory, to start another in-memory instance from (tests). */
  dump?(): Promise<Blob>;
}

/**
 * Opens the database. PGlite is reached through its node-postgres adapter so one kysely
 * PostgresDialect, and the same SQL, serves both engines. PGlite is loaded only when used: its
 * WebAssembly costs a second and hundreds of megabytes a production server does not need.
 */
export async function connectDatabase(target: DatabaseTarget, onIdleError?: (err: Error) => void): Promise<DatabaseConnection> {
  if (target.engine === 'postgres') {
    const pool = new LanePool(
      serverPool(target.url, target.requestConnections ?? 5, onIdleError),
      serverPool(target.url, target.poolSize ?? 10, onIdleError),
    );
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const pglite = target.dataDir ? new PGlite(target.dataDir) : new PGlite(target.from ? { loadDataDir: target.from } : {});
  await pglite.waitReady;
  // PGlite is one session: one pooled connection, so transactions queue instead of interleaving.
  const pool = new Pool({ ...createPgConfig(pglite), max: 1 });
  pool.on('connect', guardClient);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
    dump: () => pglite.dumpDataDir('none'),
  };
}

function serverPool(url: string, max: number, onIdleError?: (err: Error) => void): Pool {
  const pool = new Pool({ connectionString: url, max });
  // A connection dropped by the server (restart, failover) must not crash the process: idle, the
  // pool replaces it on next use; in hand (a transaction between two statements), its next query
  // fails and the work is retried. pg emits 'error' on a client in hand with no listener of its
  // own, so each client gets one.
  pool.on('error', (err) => onIdleError?.(err));
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    guardClient(client);
  });
  return pool;
}

/** Whether the database answers at all. */
export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
