import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { Logger } from 'pino';
import { migrations as coreMigrations } from '../../db/migrations';
import type { Db } from '../../db/schema';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export type Migrations = Readonly<Record<string, Migration>>;

/**
 * The core's migrations and every platform's, in one order: by name, as the Migrator applies them.
 * Every platform's are included whether it is configured or not: the Migrator refuses a database
 * that recorded a migration it is not given, and a platform turned off keeps its tables (and may be
 * turned on again). Names share one numbered sequence, so a name given twice is a mistake.
 */
export function migrationsOf(platforms: readonly { readonly name: string; readonly migrations?: Migrations }[]): Migrations {
  const all = new Map<string, Migration>(Object.entries(coreMigrations));
  for (const platform of platforms) {
    for (const [name, migration] of Object.entries(platform.migrations ?? {})) {
      if (all.has(name)) throw new Error(`migration ${name} of the ${platform.name} platform is named like another: take the next number`);
      all.set(name, migration);
    }
  }
  return Object.fromEntries([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function migrator(db: Db, known: Migrations): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => known },
  });
}

/** Told as each migration starts: its name, and which of how many still to apply it is. */
export type MigrationProgress = (step: { readonly name: string; readonly n: number; readonly of: number }) => void;

/** The migrations, each saying when it starts (a first start applies them all and takes a while). */
async function reporting(db: Db, migrations: Migrations, progress: MigrationProgress): Promise<Migrations> {
  const pending = (await migrator(db, migrations).getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
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
 * Brings the schema to the latest of `migrations` (see migrationsOf). kysely's migrator holds a
 * PostgreSQL advisory lock while it works, so two instances starting together apply each migration once.
 */
export async function migrateToLatest(db: Db, migrations: Migrations, log: Logger, progress?: MigrationProgress): Promise<string[]> {
  const known = progress ? await reporting(db, migrations, progress) : migrations;
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

/** True when every one of `migrations` has been applied (for /readyz). */
export async function isMigrated(db: Db, migrations: Migrations): Promise<boolean> {
  const known = await migrator(db, migrations).getMigrations();
  return known.every((m) => m.executedAt !== undefined);
}
