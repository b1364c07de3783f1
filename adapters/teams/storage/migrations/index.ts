import type { Migration } from 'kysely';
import * as teams from './0005-teams';

/**
 * The Teams adapter's migrations. Their names are numbered in the one sequence the core's share (the
 * Migrator applies all of them in name order) and recorded in `kysely_migration`: never rename one.
 */
export const teamsMigrations: Readonly<Record<string, Migration>> = {
  '0005-teams': teams,
};
