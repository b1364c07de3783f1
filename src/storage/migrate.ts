import { Migrator, type MigrationResultSet } from 'kysely';
import type { Logger } from 'pino';
import { migrations } from '../../db/migrations';
import type { Db } from '../../db/schema';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
}

/**
 * Brings the schema to the latest migration. kysely's migrator holds a PostgreSQL advisory lock
 * while it works, so two instances starting together apply each migration once.
 */
export async function migrateToLatest(db: Db, log: Logger): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  const applied: string[] = [];
  for (const r of result.results ?? []) {
    if (r.status === 'Success') applied.push(r.migrationName);
    if (r.status === 'Error') log.error({ migration: r.migrationName }, 'migration failed');
  }
  if (result.error) {
    throw new MigrationError(`database migration failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`, {
      cause: result.error,
    });
  }
  if (applied.length) log.info({ applied }, 'database migrated');
  return applied;
}

/** True when every known migration has been applied (for /readyz). */
export async function isMigrated(db: Db): Promise<boolean> {
  const known = await migrator(db).getMigrations();
  return known.every((m) => m.executedAt !== undefined);
}
