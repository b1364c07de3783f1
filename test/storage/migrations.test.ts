import { sql } from 'kysely';
import { MIGRATIONS as migrations, PLATFORMS } from '../../adapters';
import { migrations as coreMigrations } from '../../db/migrations';
import { connectDatabase } from '../../src/storage/database';
import { isMigrated, migrateToLatest, migrationsOf } from '../../src/storage/migrate';
import { onPostgres, openTestDatabase, silentLog, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
});
afterAll(async () => {
  await database.close();
});

async function tables(): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(database.db);
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  test('apply from an empty database, then have nothing left to do', async () => {
    expect(await tables()).toEqual([]);
    expect(await isMigrated(database.db, migrations)).toBe(false);

    const applied = await migrateToLatest(database.db, migrations, silentLog);
    expect(applied).toEqual(Object.keys(migrations));
    expect(await tables()).toEqual(expect.arrayContaining(['jobs', 'recurring_rules', 'workspaces', 'people', 'inbound_events']));
    expect(await isMigrated(database.db, migrations)).toBe(true);

    expect(await migrateToLatest(database.db, migrations, silentLog)).toEqual([]);
  });

  test("the platforms' migrations join the core's in one order, under the names databases recorded", () => {
    // Names already recorded in kysely_migration by databases in use: a platform's keep theirs.
    expect(Object.keys(migrations)).toEqual(
      expect.arrayContaining(['0005-teams', '0006-slack', '0012-validation', '0015-slack-installations']),
    );
    expect(Object.keys(migrations)).toEqual(Object.keys(migrations).sort());
    const platforms = PLATFORMS.flatMap((p) => Object.keys(p.migrations ?? {}));
    expect(Object.keys(migrations).sort()).toEqual([...Object.keys(coreMigrations), ...platforms].sort());
    expect(() => migrationsOf([{ name: 'echo', migrations: { '0001-foundation': coreMigrations['0001-foundation']! } }])).toThrow(
      'migration 0001-foundation of the echo platform is named like another: take the next number',
    );
  });

  (onPostgres ? test : test.skip)('two instances starting together apply each migration once (advisory lock)', async () => {
    const fresh = await openTestDatabase({ migrate: false });
    const second = await connectDatabase({ engine: 'postgres', url: fresh.url! });
    try {
      const [a, b] = await Promise.all([
        migrateToLatest(fresh.db, migrations, silentLog),
        migrateToLatest(second.db, migrations, silentLog),
      ]);
      expect([...a, ...b].sort()).toEqual(Object.keys(migrations).sort());
      expect(await isMigrated(fresh.db, migrations)).toBe(true);
    } finally {
      await second.close();
      await fresh.close();
    }
  });
});
