/** PostgreSQL's SQLSTATE for a row that a unique constraint or unique index refused. */
const UNIQUE_VIOLATION = '23505';

/**
 * Whether a statement failed because a unique constraint or unique index refused the row: how two
 * people saving the same name at the same moment are told apart from a real failure, after the
 * check before the transaction passed for both. node-postgres and PGlite both give the SQLSTATE as
 * `code` and the constraint's (or the unique index's) name as `constraint`; the error's wording is
 * never read, since it is translated with the server's locale.
 *
 * `constraint`: only a violation of this one counts (another unique index on the same table means
 * something else, and its error must not be taken for "the name is taken").
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, constraint: violated } = err as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && (constraint === undefined || violated === constraint);
}
