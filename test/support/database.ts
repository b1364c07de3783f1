import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import pino from 'pino';
import type { Db } from '../../db/schema';
import { connectDatabase, type DatabaseConnection } from '../../src/storage/database';
import { migrateToLatest } from '../../src/storage/migrate';

export const silentLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export const onPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase extends DatabaseConnection {
  /** The URL of this test's own database (PostgreSQL only), for opening more connections to it. */
  readonly url?: string;
}

/**
 * A migrated database of the test file's own: PGlite in memory by default, or, with DATABASE_URL,
 * a fresh database on that PostgreSQL server, dropped on close.
 */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (!process.env.DATABASE_URL) {
    const connection = await connectDatabase({ engine: 'pglite', dataDir: null });
    if (migrate) await migrateToLatest(connection.db, silentLog);
    return connection;
  }
  const name = `steady_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = adminDb(process.env.DATABASE_URL);
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = withDatabase(process.env.DATABASE_URL, name);
  const connection = await connectDatabase({ engine: 'postgres', url });
  if (migrate) await migrateToLatest(connection.db, silentLog);
  return {
    ...connection,
    url,
    close: async () => {
      await connection.close();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

function adminDb(url: string): Kysely<unknown> {
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Every row of a table, for asserting what is stored. */
export async function rows(db: Db, table: keyof import('../../db/schema').Database): Promise<Record<string, unknown>[]> {
  return (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
}
