import type { Migration } from 'kysely';
import * as channels from './0012-validation';

/**
 * The console's migrations. Their names are numbered in the one sequence the core's share (the
 * Migrator applies all of them in name order) and recorded in `kysely_migration`: never rename one.
 */
export const consoleMigrations: Readonly<Record<string, Migration>> = {
  '0012-validation': channels,
};
