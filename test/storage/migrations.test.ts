import { sql } from 'kysely';
import { migrations } from '../../db/migrations';
import { connectDatabase } from '../../src/storage/database';
import { isMigrated, migrateToLatest } from '../../src/storage/migrate';
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
    expect(await isMigrated(database.db)).toBe(false);

    const applied = await migrateToLatest(database.db, silentLog);
    expect(applied).toEqual(Object.keys(migrations));
    expect(await tables()).toEqual(expect.arrayContaining(['jobs', 'recurring_rules', 'workspaces', 'people', 'inbound_events']));
    expect(await isMigrated(database.db)).toBe(true);

    expect(await migrateToLatest(database.db, silentLog)).toEqual([]);
  });

  (onPostgres ? test : test.skip)('two instances starting together apply each migration once (advisory lock)', async () => {
    const fresh = await openTestDatabase({ migrate: false });
    const second = await connectDatabase({ engine: 'postgres', url: fresh.url! });
    try {
      const [a, b] = await Promise.all([migrateToLatest(fresh.db, silentLog), migrateToLatest(second.db, silentLog)]);
      expect([...a, ...b].sort()).toEqual(Object.keys(migrations).sort());
      expect(await isMigrated(fresh.db)).toBe(true);
    } finally {
      await second.close();
      await fresh.close();
    }
  });
});
