import { sql } from 'kysely';
import { isUniqueViolation } from '../../src/storage/unique-violation';
import { openTestDatabase, type TestDatabase } from '../support/database';

/**
 * Two people saving the same name at once: the second insert is refused by the unique index, and
 * the workflow tells them the name is taken. The error is recognised the same way on PGlite and on
 * PostgreSQL, by its SQLSTATE and the index's name, never by its wording.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const at = new Date('2026-12-06T09:00:00Z');

function insertPolicy(name: string) {
  return sql`insert into escalation_policies (workspace_id, name, levels, repeat, created_by, updated_by, created_at, updated_at)
    values ('console:local', ${name}, '[]', 0, 'U1', 'U1', ${at}, ${at})`.execute(database.db);
}

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (err) {
    return err;
  }
  throw new Error('expected the statement to fail');
}

test('a second policy of the same name (whatever its case) is a violation of that unique index, and of no other', async () => {
  await insertPolicy('Ops');
  const err = await failureOf(insertPolicy('OPS'));
  expect(isUniqueViolation(err)).toBe(true);
  expect(isUniqueViolation(err, 'escalation_policies_name')).toBe(true);
  expect(isUniqueViolation(err, 'rotations_name')).toBe(false);
});

test('other failures are not unique violations', async () => {
  const notNull = await failureOf(sql`insert into escalation_policies (workspace_id) values ('console:local')`.execute(database.db));
  expect(isUniqueViolation(notNull)).toBe(false);
  expect(isUniqueViolation(new Error('duplicate key value violates unique constraint "escalation_policies_name"'))).toBe(false);
  expect(isUniqueViolation(undefined)).toBe(false);
  expect(isUniqueViolation('23505')).toBe(false);
});
