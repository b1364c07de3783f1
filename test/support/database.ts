import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import pino from 'pino';
import { MIGRATIONS, PLATFORMS } from '../../adapters';
import type { Database, Db } from '../../db/schema';
import { connectDatabase, type DatabaseConnection } from '../../src/storage/database';
import { migrateToLatest } from '../../src/storage/migrate';
import { addIncidentalTables } from '../../src/storage/request-once';

export const silentLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export const onPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase extends DatabaseConnection {
  /** The URL of this test's own database (PostgreSQL only), for opening more connections to it. */
  readonly url?: string;
}

// As main.ts does at start-up: the platforms' incidental tables, for kept requests (request-once.ts).
addIncidentalTables(PLATFORMS.flatMap((p) => p.incidentalTables ?? []));

/**
 * A migrated database of the test file's own: PGlite in memory by default, or, with DATABASE_URL,
 * a fresh database on that PostgreSQL server, dropped on close.
 */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (!process.env.DATABASE_URL) {
    if (!migrate) return connectDatabase({ engine: 'pglite', dataDir: null });
    return connectDatabase({ engine: 'pglite', dataDir: null, from: await migratedPglite() });
  }
  const name = `steady_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = adminDb(process.env.DATABASE_URL);
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = withDatabase(process.env.DATABASE_URL, name);
  const connection = await connectDatabase({ engine: 'postgres', url });
  if (migrate) await migrateToLatest(connection.db, MIGRATIONS, silentLog);
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

/**
 * A migrated PGlite data directory, made once per set of migrations and kept in the system's temp
 * folder: starting from it takes about half a second, where a new cluster and every migration take
 * several (each test file opens its own database, and jest's workers share nothing else).
 */
async function migratedPglite(): Promise<Blob> {
  const path = join(tmpdir(), `steady-pglite-${migrationsHash()}.tar`);
  if (!existsSync(path)) {
    const fresh = await connectDatabase({ engine: 'pglite', dataDir: null });
    try {
      await migrateToLatest(fresh.db, MIGRATIONS, silentLog);
      const dump = Buffer.from(await (await fresh.dump!()).arrayBuffer());
      // Written aside, then renamed: a worker reading it meanwhile never sees half a file.
      const partial = `${path}.${process.pid}.${randomUUID()}`;
      writeFileSync(partial, dump);
      renameSync(partial, path);
    } finally {
      await fresh.close();
    }
  }
  return new Blob([readFileSync(path)]);
}

/** Changes whenever a migration does (the core's or a platform's), so a stale template is never used. */
function migrationsHash(): string {
  const root = join(__dirname, '..', '..');
  const adapters = join(root, 'adapters');
  const dirs = [
    join(root, 'db', 'migrations'),
    ...readdirSync(adapters)
      .sort()
      .map((name) => join(adapters, name, 'storage', 'migrations'))
      .filter((dir) => existsSync(dir)),
  ];
  const hash = createHash('sha256').update(Object.keys(MIGRATIONS).join(','));
  for (const dir of dirs) for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.digest('hex').slice(0, 16);
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
export async function rows(db: Db, table: keyof Database): Promise<Record<string, unknown>[]> {
  return (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
}
