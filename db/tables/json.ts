import type { ColumnType } from 'kysely';

/**
 * A jsonb column: read back as a value, written as JSON text. Writing text (not the object) matters:
 * node-postgres would send a JavaScript array as a PostgreSQL array, not as JSON.
 */
export type Json<T> = ColumnType<T, string, string>;

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}
