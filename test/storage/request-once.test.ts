import { sql } from 'kysely';
import { AlreadyApplied, appliedKey, applyOnce, wasApplied } from '../../src/storage/request-once';
import { openTestDatabase, type TestDatabase } from '../support/database';

/**
 * A kept request's change happens once: the first transaction of its handling that changes a
 * table that counts also records the request's marker, and a second run cannot record it again.
 * Writes on the way (the people directory), locks and rolled-back work leave no marker.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const at = new Date('2026-12-06T09:00:00Z');

async function addAdmin(userId: string): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    await sql`insert into workspaces (id, platform, settings, created_at) values ('console:local', 'console', '{}', ${at}) on conflict do nothing`.execute(
      trx,
    );
    await sql`insert into workspace_admins (workspace_id, user_id, added_by, added_at) values ('console:local', ${userId}, 'test', ${at})`.execute(
      trx,
    );
  });
}

test('the first change records the marker; a second run of the same request records nothing', async () => {
  const key = appliedKey('101');
  expect(await wasApplied(database.db, key)).toBe(false);
  await applyOnce(key, at, () => addAdmin('U1'));
  expect(await wasApplied(database.db, key)).toBe(true);
  await expect(applyOnce(key, at, () => addAdmin('U2'))).rejects.toBeInstanceOf(AlreadyApplied);
  const { rows } = await sql<{ user_id: string }>`select user_id from workspace_admins order by user_id`.execute(database.db);
  expect(rows.map((r) => r.user_id)).toEqual(['U1']);
});

test('writes on the way, locks and rolled-back changes leave no marker', async () => {
  const key = appliedKey('102');
  await applyOnce(key, at, async () => {
    await sql`insert into workspaces (id, platform, settings, created_at) values ('slack:T1', 'slack', '{}', ${at}) on conflict do nothing`.execute(
      database.db,
    );
    await database.db.transaction().execute(async (trx) => {
      await sql`with held as (select id from jobs for update skip locked) select count(*) from held`.execute(trx);
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`insert into workspace_admins (workspace_id, user_id, added_by, added_at) values ('console:local', 'U3', 'test', ${at})`.execute(
          trx,
        );
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
  });
  expect(await wasApplied(database.db, key)).toBe(false);
});

test('a change made outside a transaction is made with its marker, in one', async () => {
  const key = appliedKey('103');
  await applyOnce(key, at, async () => {
    await sql`insert into workspace_admins (workspace_id, user_id, added_by, added_at) values ('console:local', 'U4', 'test', ${at})`.execute(
      database.db,
    );
  });
  expect(await wasApplied(database.db, key)).toBe(true);
  await expect(
    applyOnce(key, at, async () => {
      await sql`insert into workspace_admins (workspace_id, user_id, added_by, added_at) values ('console:local', 'U5', 'test', ${at})`.execute(
        database.db,
      );
    }),
  ).rejects.toBeInstanceOf(AlreadyApplied);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from workspace_admins where user_id = 'U5'`.execute(database.db);
  expect(rows[0]!.n).toBe(0);
});
