import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { Logger } from 'pino';
import { migrations } from '../../db/migrations';
import type { Db } from '../../db/schema';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

function migrator(db: Db, known: Readonly<Record<string, Migration>> = migrations): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => known },
  });
}

/** Told as each migration starts: its name, and which of how many still to apply it is. */
export type MigrationProgress = (step: { readonly name: string; readonly n: number; readonly of: number }) => void;

/** The migrations, each saying when it starts (a first start applies them all and takes a while). */
async function reporting(db: Db, progress: MigrationProgress): Promise<Readonly<Record<string, Migration>>> {
  const pending = (await migrator(db).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => [
      name,
      {
        ...migration,
        // biome-ignore lint/suspicious/noExplicitAny: migrations take Kysely<any>, not today's table types
        up: async (trx: Kysely<any>) => {
          progress({ name, n: pending.indexOf(name) + 1, of: pending.length });
          await migration.up(trx);
        },
      },
    ]),
  );
}

/**
 * Brings the schema to the latest migration. kysely's migrator holds a PostgreSQL advisory lock
 * while it works, so two instances starting together apply each migration once.
 */
export async function migrateToLatest(db: Db, log: Logger, progress?: MigrationProgress): Promise<string[]> {
  const known = progress ? await reporting(db, progress) : migrations;
  const result: MigrationResultSet = await migrator(db, known).migrateToLatest();
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
